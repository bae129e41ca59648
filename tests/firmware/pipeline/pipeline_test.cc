#include "firmware/pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <utility>

#include "firmware/sinks/fusion_result.h"
#include "tests/firmware/pipeline/pipeline_test_support.h"

namespace edgefuse::pipeline {
namespace {

TEST(PipelineTest, FullSpeedFusesEveryFrameWithItsAudio) {
  SceneRig rig = MakeSceneRig(3, 320, 240, 6.0, /*realtime=*/false);
  PipelineOptions options = FastOptions(true);
  options.audio_clock = rig.audio_raw->SimulatedClock();
  int64_t expected_index = 0;
  int64_t previous_ns = INT64_MIN;
  int invalid = 0;
  std::string error;
  options.on_result = [&](const sinks::FusionResult& result) {
    EXPECT_EQ(result.frame_index, expected_index++);
    EXPECT_GT(result.timestamp_ns, previous_ns);
    previous_ns = result.timestamp_ns;
    if (!sinks::ValidateFusionResult(result, &error)) ++invalid;
    EXPECT_EQ(result.metrics.stages.size(), 6u);
  };
  Pipeline pipeline(options, std::move(rig.video), std::move(rig.audio));
  ASSERT_TRUE(pipeline.Run(&error)) << error;
  const PipelineStats& s = pipeline.stats();
  EXPECT_EQ(s.frames_captured, 180);
  EXPECT_EQ(s.frames_fused, 180);
  EXPECT_EQ(s.frames_dropped, 0);
  EXPECT_EQ(s.audio_overruns, 0);
  // Only the first frame's interval lies before the stream's first sample.
  EXPECT_LE(s.audio_gaps, 1);
  EXPECT_EQ(invalid, 0) << error;
  EXPECT_FALSE(s.stopped);
  EXPECT_NEAR(s.stream_s, 179.0 / 30.0, 1e-6);
}

// The microphone runs 0.1% fast (or slow): its own timestamps drift by 1 ms per
// second; the pipeline's must stay on the true capture times.
void CheckDriftCorrected(double drift) {
  const double duration_s = 20.0;
  SceneRig rig = MakeSceneRig(5, 160, 120, duration_s, /*realtime=*/false, drift);
  PipelineOptions options = FastOptions(true);
  options.audio_clock = rig.audio_raw->SimulatedClock();
  const SceneAudioSource* audio = rig.audio_raw;
  double max_error_ms = 0.0, naive_error_ms = 0.0;
  options.on_audio_hop = [&](int64_t sample, int64_t time_ns) {
    const int64_t truth = audio->TrueTimeOfSample(sample);
    // What the source's own nominal-rate stamps say.
    const int64_t naive = audio->TrueTimeOfSample(0) + static_cast<int64_t>(std::llround(sample * 1e9 / 16000.0));
    naive_error_ms = std::abs(platform::NsToMs(naive - truth));
    if (sample > 3 * 16000) max_error_ms = std::max(max_error_ms, std::abs(platform::NsToMs(time_ns - truth)));
  };
  Pipeline pipeline(options, std::move(rig.video), std::move(rig.audio));
  std::string error;
  ASSERT_TRUE(pipeline.Run(&error)) << error;
  EXPECT_GT(naive_error_ms, 15.0);  // uncorrected, the stamps would be this far off
  EXPECT_LT(max_error_ms, 2.5);     // the scheduling jitter (0..2 ms) plus the fit
  EXPECT_NEAR(pipeline.stats().audio_rate_hz, 16000.0 * (1.0 + drift), 0.5);
}

TEST(PipelineTest, AudioClockDriftIsEstimatedAndCorrected) { CheckDriftCorrected(0.001); }
TEST(PipelineTest, SlowAudioClockIsCorrected) { CheckDriftCorrected(-0.001); }

// An audio source that never delivers (a microphone that stalled).
class SilentDevice final : public audio::AudioSource {
 public:
  bool Start(std::string*) override { return true; }
  void Stop() override {}
  audio::AudioRead Read(std::span<int16_t>, int64_t timeout_ns) override {
    std::this_thread::sleep_for(std::chrono::nanoseconds(timeout_ns));
    return {};
  }
  audio::AudioSourceStats Stats() const override { return {}; }
  std::string Describe() const override { return "silent"; }
};

TEST(PipelineTest, LiveFrameWaitsForAudioAtMostTheBound) {
  SceneRig rig = MakeSceneRig(7, 160, 120, 10.0, /*realtime=*/true);
  PipelineOptions options = FastOptions(false);
  options.duration_s = 1.0;
  options.max_audio_wait_ns = 60'000'000;
  Pipeline pipeline(options, std::move(rig.video), std::make_unique<SilentDevice>());
  std::string error;
  ASSERT_TRUE(pipeline.Run(&error)) << error;
  const PipelineStats& s = pipeline.stats();
  EXPECT_GE(s.frames_fused, 10);
  EXPECT_EQ(s.audio_gaps, s.frames_fused);  // every frame went without audio
  // The bound runs from the end of the front-end, so capture to result is at least
  // the bound, and not much more.
  // (Its upper end also holds the compute backlog of a loaded machine or an
  // emulator, so the wait is bounded below, per stage.)
  EXPECT_GE(s.latency_p50_ms, 60.0);
  const StageSummary& wait = s.stages[3];
  ASSERT_EQ(wait.name, "wait");
  // Without the bound a frame would wait for the whole run (1 s); the slack above
  // 60 ms is for scheduling on a loaded machine or an emulator.
  EXPECT_LE(wait.p50_ms, 60.0 + 10.0);
  EXPECT_LE(wait.max_ms, 60.0 + 300.0);
}

TEST(PipelineTest, NewestFrameWinsWhenTheOutputIsSlow) {
  SceneRig rig = MakeSceneRig(9, 160, 120, 10.0, /*realtime=*/true);
  PipelineOptions options = FastOptions(false);
  options.duration_s = 1.5;
  options.on_result = [](const sinks::FusionResult&) { std::this_thread::sleep_for(std::chrono::milliseconds(100)); };
  Pipeline pipeline(options, std::move(rig.video), std::move(rig.audio));
  std::string error;
  ASSERT_TRUE(pipeline.Run(&error)) << error;
  const PipelineStats& s = pipeline.stats();
  EXPECT_GT(s.frames_dropped, 10);
  EXPECT_LE(s.frames_fused, 20);
  // Every captured frame was fused, dropped, or still in a queue at the end.
  EXPECT_LE(s.frames_captured - s.frames_fused - s.frames_dropped, 5);
  EXPECT_GE(s.frames_captured - s.frames_fused - s.frames_dropped, 0);
  EXPECT_LE(s.video_queue_high_water, 2u);
  EXPECT_EQ(s.audio_overruns, 0);
}

TEST(PipelineTest, StopRequestEndsTheRunWithinOneSecond) {
  SceneRig rig = MakeSceneRig(11, 160, 120, 60.0, /*realtime=*/true);
  PipelineOptions options = FastOptions(false);
  std::atomic<bool> stop{false};
  options.stop_requested = [&] { return stop.load(); };
  Pipeline pipeline(options, std::move(rig.video), std::move(rig.audio));
  std::atomic<int64_t> requested_ns{0};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    requested_ns.store(platform::MonotonicNowNs());
    stop.store(true);
  });
  std::string error;
  ASSERT_TRUE(pipeline.Run(&error)) << error;
  const int64_t returned_ns = platform::MonotonicNowNs();
  stopper.join();
  EXPECT_LT(returned_ns - requested_ns.load(), 1'000'000'000);
  EXPECT_TRUE(pipeline.stats().stopped);
  EXPECT_GT(pipeline.stats().frames_fused, 5);
}

// The settings are checked before the front-end is made from them: a negative grid
// side would otherwise size its buffers from a negative pixel count.
TEST(PipelineTest, RejectsAnInvalidFrontEnd) {
  for (const auto& [grid_width, patch_size] : {std::pair{16, 0}, std::pair{-16, 10}}) {
    SceneRig rig = MakeSceneRig(1, 160, 120, 1.0, false);
    PipelineOptions options = FastOptions(true);
    options.frontend.grid_width = grid_width;
    options.frontend.patch_size = patch_size;
    Pipeline pipeline(options, std::move(rig.video), std::move(rig.audio));
    std::string error;
    EXPECT_FALSE(pipeline.Run(&error));
    EXPECT_NE(error.find("vision front-end"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace edgefuse::pipeline
