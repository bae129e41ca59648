// The sink queue (newest frame wins, lossless mode, draining at Stop, Open
// failures) and the JSON lines sink's exact format.
#include "firmware/sinks/sink.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "firmware/sinks/jsonl_sink.h"
#include "tests/support/test_support.h"

namespace edgefuse::sinks {
namespace {

// Records the frame indices it processes; can be held (Process waits) to
// simulate a sink slower than the pipeline.
class RecordingSink final : public AsyncSink {
 public:
  explicit RecordingSink(SinkQueueOptions queue, bool fail_open = false) : AsyncSink(queue), fail_open_(fail_open) {}
  ~RecordingSink() override { Stop(); }
  const char* name() const override { return "recording"; }

  void Hold() {
    std::lock_guard<std::mutex> lock(mutex_);
    held_ = true;
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      held_ = false;
    }
    changed_.notify_all();
  }
  // Waits until Process has started on n results.
  void WaitForStarted(size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return started_ >= n; });
  }
  std::vector<int64_t> seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

 private:
  bool Open(std::string* error) override {
    if (fail_open_) *error = "cannot open the recording";
    return !fail_open_;
  }
  bool Process(const FusionResult& result) override {
    std::unique_lock<std::mutex> lock(mutex_);
    ++started_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !held_; });
    seen_.push_back(result.frame_index);
    return result.frame_index >= 0;  // a negative index counts as a failed write
  }

  bool fail_open_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  size_t started_ = 0;
  std::vector<int64_t> seen_;
};

FusionResult Frame(int64_t index) {
  FusionResult result;
  result.frame = cv::Mat(8, 8, CV_8UC3, cv::Scalar::all(static_cast<double>(index % 256)));
  result.frame_index = index;
  return result;
}

TEST(AsyncSink, NewestFrameWinsWhenTheSinkIsBehind) {
  RecordingSink sink({.capacity = 2});
  std::string error;
  ASSERT_TRUE(sink.Start(&error)) << error;
  sink.Hold();
  sink.Consume(Frame(0));
  sink.WaitForStarted(1);  // frame 0 is being processed, and held there
  // Never blocks: had it blocked, this loop would wait for Release forever.
  for (int i = 1; i < 10; ++i) sink.Consume(Frame(i));
  sink.Release();
  sink.Stop();
  EXPECT_EQ(sink.seen(), (std::vector<int64_t>{0, 8, 9}));
  const SinkStats stats = sink.stats();
  EXPECT_EQ(stats.received, 10u);
  EXPECT_EQ(stats.written, 3u);
  EXPECT_EQ(stats.dropped, 7u);
  EXPECT_EQ(stats.errors, 0u);
}

TEST(AsyncSink, LosslessWaitsAndKeepsEveryFrameInOrder) {
  RecordingSink sink({.capacity = 2, .lossless = true});
  std::string error;
  ASSERT_TRUE(sink.Start(&error)) << error;
  sink.Hold();
  std::thread release([&] {
    sink.WaitForStarted(1);
    sink.Release();
  });
  std::vector<int64_t> expected;
  for (int i = 0; i < 50; ++i) {
    sink.Consume(Frame(i));
    expected.push_back(i);
  }
  release.join();
  sink.Stop();
  EXPECT_EQ(sink.seen(), expected);
  EXPECT_EQ(sink.stats().dropped, 0u);
  EXPECT_EQ(sink.stats().written, 50u);
}

TEST(AsyncSink, StopDrainsCountsErrorsAndRefusesLateFrames) {
  RecordingSink sink({.capacity = 4});
  std::string error;
  ASSERT_TRUE(sink.Start(&error)) << error;
  sink.Hold();
  sink.Consume(Frame(0));
  sink.WaitForStarted(1);
  sink.Consume(Frame(-1));
  sink.Consume(Frame(2));
  std::thread stopper([&] { sink.Stop(); });
  sink.Release();
  stopper.join();
  EXPECT_EQ(sink.seen(), (std::vector<int64_t>{0, -1, 2}));
  EXPECT_EQ(sink.stats().written, 2u);
  EXPECT_EQ(sink.stats().errors, 1u);
  sink.Consume(Frame(3));  // after Stop: dropped, not queued
  EXPECT_EQ(sink.stats().dropped, 1u);
  EXPECT_EQ(sink.stats().received, 4u);
}

TEST(AsyncSink, OpenFailureFailsStart) {
  RecordingSink sink({}, /*fail_open=*/true);
  std::string error;
  EXPECT_FALSE(sink.Start(&error));
  EXPECT_EQ(error, "cannot open the recording");
  sink.Consume(Frame(0));
  EXPECT_EQ(sink.stats().dropped, 1u);
}

TEST(JsonlSink, FrameLinesHaveTheLocalizeFormat) {
  std::string line;
  AppendFrameJsonLine(1.2333333, 37, {.present = true, .x = 0.41234f, .y = 0.6012f, .confidence = 0.8123f}, &line);
  EXPECT_EQ(
      line,
      "{\"t\": 1.233333, \"frame\": 37, \"source\": true, \"x\": 0.4123, \"y\": 0.6012, \"confidence\": 0.8123}\n");
  line.clear();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  AppendFrameJsonLine(0.0, 0, {.present = false, .x = nan, .y = 0.5f, .confidence = 0.0f}, &line);
  EXPECT_EQ(line,
            "{\"t\": 0.000000, \"frame\": 0, \"source\": false, \"x\": null, \"y\": 0.5000, \"confidence\": 0.0000}\n");
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(JsonlSink, WritesOneLinePerFrameWithMetricsLines) {
  const testing::ScratchDir dir;
  const std::string path = dir.File("sink.jsonl");
  JsonlSink sink({.path = path, .metrics_interval_s = 1.0, .queue = {.capacity = 2, .lossless = true}});
  std::string error;
  ASSERT_TRUE(sink.Start(&error)) << error;
  FusionResult result = Frame(0);
  result.stream_start_ns = 5'000'000'000;
  result.metrics.fps = 10.0;
  result.metrics.stages = {{"fusion", 1.5, 2.25}};
  for (int i = 0; i < 25; ++i) {  // 2.4 s at 10 fps
    result.frame_index = i;
    result.timestamp_ns = result.stream_start_ns + i * 100'000'000LL;
    result.source = {.present = i % 2 == 0, .x = 0.5f, .y = 0.25f, .confidence = 0.5f};
    sink.Consume(result);
  }
  sink.Stop();
  const std::vector<std::string> lines = Lines(path);
  ASSERT_EQ(lines.size(), 28u);  // 25 frames + metrics at t = 0, 1.0, 2.0
  EXPECT_EQ(lines[0],
            "{\"t\": 0.000000, \"metrics\": {\"fps\": 10.00, \"latency_p50_ms\": 0.00, \"latency_p99_ms\": 0.00, "
            "\"frames_dropped\": 0, \"audio_overruns\": 0, \"level_dbfs\": -120.0, \"noise_floor_dbfs\": -120.0, "
            "\"stages\": {\"fusion\": {\"p50_ms\": 1.50, \"p99_ms\": 2.25}}}}");
  EXPECT_EQ(lines[1],
            "{\"t\": 0.000000, \"frame\": 0, \"source\": true, \"x\": 0.5000, \"y\": 0.2500, \"confidence\": 0.5000}");
  EXPECT_EQ(lines[2].rfind("{\"t\": 0.100000, \"frame\": 1, \"source\": false", 0), 0u) << lines[2];
  EXPECT_EQ(lines[11].rfind("{\"t\": 1.000000, \"metrics\": {", 0), 0u) << lines[11];
  EXPECT_EQ(lines[27].rfind("{\"t\": 2.400000, \"frame\": 24, ", 0), 0u) << lines[27];
  EXPECT_EQ(sink.stats().written, 25u);
}

TEST(JsonlSink, UnwritablePathFailsStart) {
  JsonlSink sink({.path = "/nonexistent/out.jsonl"});
  std::string error;
  EXPECT_FALSE(sink.Start(&error));
  EXPECT_EQ(error, "/nonexistent/out.jsonl: cannot create: No such file or directory");
}

}  // namespace
}  // namespace edgefuse::sinks
