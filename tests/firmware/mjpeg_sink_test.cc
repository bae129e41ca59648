// The MJPEG sink over real loopback HTTP: two viewers stream at once, one goes away
// mid-stream, the other keeps receiving decodable JPEG frames, and the counters
// show the disconnect; the page, snapshot and metrics endpoints answer. Runs under
// qemu-aarch64 too.
#include "firmware/sinks/mjpeg_sink.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "core/json/json.h"
#include "tests/support/http_test_client.h"
#include "tests/support/test_support.h"

namespace edgefuse::sinks {
namespace {

using edgefuse::testing::HttpGetOnce;
using edgefuse::testing::HttpTestClient;
using edgefuse::testing::WaitUntil;

// Feeds the sink frames every few milliseconds, as a pipeline would, until stopped.
class Producer {
 public:
  explicit Producer(Sink* sink) : thread_([this, sink] { Run(sink); }) {}
  ~Producer() {
    stop_ = true;
    thread_.join();
  }
  uint64_t produced() const { return produced_.load(); }

 private:
  void Run(Sink* sink) {
    FusionResult result;
    result.frame = cv::Mat(240, 320, CV_8UC3);
    result.attention.Reset(16, 12);
    for (int64_t i = 0; !stop_; ++i) {
      // A moving bright square, so that consecutive frames differ.
      result.frame.setTo(cv::Scalar(70, 90, 110));
      cv::rectangle(result.frame, cv::Rect(static_cast<int>(i * 7 % 280), 100, 40, 40), cv::Scalar(250, 250, 250),
                    cv::FILLED);
      std::fill(result.attention.weights.begin(), result.attention.weights.end(), 0.0f);
      result.attention.weights[static_cast<size_t>(i % 192)] = 1.0f;
      result.frame_index = i;
      result.source = {.present = true, .x = 0.5f, .y = 0.5f, .confidence = 0.9f};
      sink->Consume(result);  // never waits for the viewers
      ++produced_;
      std::this_thread::sleep_for(std::chrono::milliseconds(4));
    }
  }

  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> produced_{0};
  std::thread thread_;
};

void ExpectJpeg(const std::string& bytes, cv::Size size) {
  const cv::Mat decoded = cv::imdecode(std::vector<uint8_t>(bytes.begin(), bytes.end()), cv::IMREAD_COLOR);
  ASSERT_FALSE(decoded.empty()) << "not a JPEG (" << bytes.size() << " bytes)";
  EXPECT_EQ(decoded.size(), size);
}

TEST(MjpegSink, TwoViewersWhileOneDisconnectsMidStream) {
  MjpegSink sink({.bind = "127.0.0.1", .port = 0});
  std::string error;
  ASSERT_TRUE(sink.Start(&error)) << error;
  EXPECT_EQ(sink.url(), "http://127.0.0.1:" + std::to_string(sink.port()) + "/");
  Producer producer(&sink);

  HttpTestClient leaving, staying;
  ASSERT_TRUE(leaving.Get(sink.port(), "/stream", &error) && leaving.ReadHead(&error)) << error;
  ASSERT_TRUE(staying.Get(sink.port(), "/video.mjpg", &error) && staying.ReadHead(&error)) << error;
  EXPECT_EQ(staying.status(), 200);
  EXPECT_EQ(staying.Header("content-type"), "multipart/x-mixed-replace; boundary=edgefuseframe");
  std::string jpeg, type, previous;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(leaving.ReadPart(&jpeg, &error, &type)) << error;
    EXPECT_EQ(type, "image/jpeg");
    ExpectJpeg(jpeg, {320, 240});
    ASSERT_TRUE(staying.ReadPart(&jpeg, &error)) << error;
  }
  leaving.Close();  // the viewer goes away mid-stream

  // The other viewer keeps receiving fresh, decodable frames...
  for (int i = 0; i < 10; ++i) {
    previous = jpeg;
    ASSERT_TRUE(staying.ReadPart(&jpeg, &error)) << error;
    ExpectJpeg(jpeg, {320, 240});
    EXPECT_NE(jpeg, previous) << "the stream repeats a frame";
  }
  // ... and the counters show the disconnect (seen at the next send to the gone viewer).
  ASSERT_TRUE(WaitUntil([&] { return sink.stats().client_disconnects == 1; }))
      << "client_disconnects: " << sink.stats().client_disconnects;
  EXPECT_EQ(sink.stats().clients, 1);
  ASSERT_TRUE(staying.ReadPart(&jpeg, &error)) << error;

  // The pipeline was never held up: the sink took every frame, dropping (not
  // waiting) when it was behind.
  const uint64_t written_before = sink.stats().written;
  ASSERT_TRUE(WaitUntil([&] { return sink.stats().written > written_before + 5; }));
  sink.Stop();
  const SinkStats stats = sink.stats();
  EXPECT_EQ(stats.received, stats.written + stats.dropped + stats.errors);
  EXPECT_EQ(stats.errors, 0u);
  EXPECT_GT(sink.frames_encoded(), 13u);
}

TEST(MjpegSink, PageSnapshotMetricsAndErrors) {
  MjpegSink sink({.bind = "127.0.0.1", .port = 0, .quality = 60});
  std::string error;
  ASSERT_TRUE(sink.Start(&error)) << error;
  int status = 0;
  std::string type, body;
  ASSERT_TRUE(HttpGetOnce(sink.port(), "/snapshot.jpg", &status, &type, &body, &error)) << error;
  EXPECT_EQ(status, 503) << "no frame yet";

  Producer producer(&sink);
  ASSERT_TRUE(HttpGetOnce(sink.port(), "/", &status, &type, &body, &error)) << error;
  EXPECT_EQ(status, 200);
  EXPECT_EQ(type, "text/html; charset=utf-8");
  EXPECT_NE(body.find("<img src=\"/stream\""), std::string::npos);
  ASSERT_TRUE(HttpGetOnce(sink.port(), "/snapshot.jpg", &status, &type, &body, &error)) << error;
  EXPECT_EQ(status, 200);
  EXPECT_EQ(type, "image/jpeg");
  ExpectJpeg(body, {320, 240});
  // The earlier requests' threads may still be closing; then /metrics counts only itself.
  ASSERT_TRUE(WaitUntil([&] { return sink.stats().clients == 0; }));
  ASSERT_TRUE(HttpGetOnce(sink.port(), "/metrics", &status, &type, &body, &error)) << error;
  EXPECT_EQ(status, 200);
  EXPECT_EQ(type, "application/json");
  core::Json metrics;
  ASSERT_TRUE(core::ParseJson(body, &metrics, &error)) << error << "\n" << body;
  ASSERT_NE(metrics.Find("http"), nullptr);
  EXPECT_EQ(metrics.Find("http")->Find("clients")->AsInt(), 1);  // this request
  EXPECT_TRUE(metrics.Find("source")->Find("present")->AsBool());
  EXPECT_GE(metrics.Find("frame")->AsInt(), 0);
  ASSERT_TRUE(HttpGetOnce(sink.port(), "/nothing", &status, &type, &body, &error)) << error;
  EXPECT_EQ(status, 404);

  MjpegSink clash({.bind = "127.0.0.1", .port = sink.port()});
  EXPECT_FALSE(clash.Start(&error));
  EXPECT_EQ(error, "127.0.0.1:" + std::to_string(sink.port()) + ": Address already in use");
}

}  // namespace
}  // namespace edgefuse::sinks
