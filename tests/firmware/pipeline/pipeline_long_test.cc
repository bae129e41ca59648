// Ten minutes of the generated scene at full speed through the whole runtime, with a
// microphone clock 0.1% fast: memory must stay flat after the warm-up, the queues
// must stay within their bounds, and every audio hop's time must stay within a
// bound of its true capture time (the drift corrected for the whole run; uncorrected
// it would reach 600 ms). Host only: 18000 frames take tens of seconds natively,
// far too long under QEMU.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "tests/firmware/pipeline/pipeline_test_support.h"

namespace edgefuse::pipeline {
namespace {

// Resident set size in bytes, from /proc/self/statm.
int64_t ResidentBytes() {
  std::FILE* file = std::fopen("/proc/self/statm", "r");
  if (!file) return -1;
  long long size = 0, resident = 0;
  const int read = std::fscanf(file, "%lld %lld", &size, &resident);
  std::fclose(file);
  return read == 2 ? resident * sysconf(_SC_PAGESIZE) : -1;
}

TEST(PipelineLongRunTest, TenMinutesWithDriftingAudioClock) {
  constexpr double kDurationS = 600.0;
  constexpr double kDrift = 0.001;
  SceneRig rig = MakeSceneRig(21, 320, 240, kDurationS, /*realtime=*/false, kDrift);
  PipelineOptions options = FastOptions(true);
  options.audio_clock = rig.audio_raw->SimulatedClock();
  const SceneAudioSource* audio = rig.audio_raw;

  double max_error_ms = 0.0, last_naive_error_ms = 0.0;
  options.on_audio_hop = [&](int64_t sample, int64_t time_ns) {
    const int64_t truth = audio->TrueTimeOfSample(sample);
    if (sample > 3 * 16000) max_error_ms = std::max(max_error_ms, std::abs(platform::NsToMs(time_ns - truth)));
    last_naive_error_ms = (static_cast<double>(sample) / 16000.0 - static_cast<double>(sample) / 16016.0) * 1e3;
  };
  // Localization over the last two minutes, when an uncorrected audio clock would be
  // 480 to 600 ms off: the source within one patch on audible frames, no source on
  // silent ones.
  const SceneFrameSource* video = rig.video_raw;
  scene::AvFrameTruth truth;
  int64_t audible = 0, located = 0, silent = 0, absent = 0;
  int64_t rss_warm = -1, rss_peak = -1;
  int64_t results = 0;
  options.on_result = [&](const sinks::FusionResult& result) {
    ++results;
    if (result.frame_index == 1800) rss_warm = ResidentBytes();  // one minute of stream
    if (result.frame_index > 1800 && result.frame_index % 300 == 0) rss_peak = std::max(rss_peak, ResidentBytes());
    if (result.frame_index < 18000 - 3600 || !video->Truth(result.frame_index, &truth)) return;
    if (truth.audible) {
      ++audible;
      const cv::Rect box = truth.source_box;
      const double x = result.source.x * 320.0, y = result.source.y * 240.0;
      if (result.source.present && x >= box.x - 20 && x <= box.br().x + 20 && y >= box.y - 20 && y <= box.br().y + 20)
        ++located;
    } else {
      ++silent;
      if (!result.source.present) ++absent;
    }
  };
  Pipeline pipeline(options, std::move(rig.video), std::move(rig.audio));
  std::string error;
  ASSERT_TRUE(pipeline.Run(&error)) << error;
  const PipelineStats& s = pipeline.stats();
  std::printf(
      "long run: %lld frames in %.1f s (%.0f fps), rss after 1 min %.1f MB, peak later %.1f MB, "
      "max audio time error %.2f ms (uncorrected %.0f ms), rate %.2f Hz, queues %zu/%zu/%zu\n",
      static_cast<long long>(s.frames_fused), s.wall_s, s.fps, rss_warm / 1e6, rss_peak / 1e6, max_error_ms,
      last_naive_error_ms, s.audio_rate_hz, s.video_queue_high_water, s.fusion_queue_high_water,
      s.audio_queue_high_water);
  for (const auto& stage : s.stages)
    std::printf("  %s p50 %.3f ms p99 %.3f ms\n", stage.name.c_str(), stage.p50_ms, stage.p99_ms);
  const double located_pct = 100.0 * located / std::max<int64_t>(audible, 1);
  const double absent_pct = 100.0 * absent / std::max<int64_t>(silent, 1);
  std::printf(
      "last two minutes: %.1f%% of %lld audible frames located, %.1f%% of %lld silent frames without a source\n",
      located_pct, static_cast<long long>(audible), absent_pct, static_cast<long long>(silent));
  EXPECT_GT(located_pct, 60.0);
  EXPECT_GT(absent_pct, 80.0);
  EXPECT_EQ(s.frames_fused, 18000);
  EXPECT_EQ(s.frames_dropped, 0);
  EXPECT_EQ(s.audio_overruns, 0);
  EXPECT_LE(s.audio_gaps, 1);
  ASSERT_GT(rss_warm, 0);
#ifdef __SANITIZE_ADDRESS__
  // AddressSanitizer keeps freed memory in its quarantine (256 MB), so resident memory
  // grows whatever the pipeline does; its leak check covers the same ground.
  std::printf("memory growth not checked under AddressSanitizer (%.1f MB)\n", (rss_peak - rss_warm) / 1048576.0);
#else
  EXPECT_LT(rss_peak - rss_warm, 4 << 20) << "memory grew after the warm-up";
#endif
  EXPECT_LE(s.video_queue_high_water, 2u);
  EXPECT_LE(s.fusion_queue_high_water, 2u);
  EXPECT_LE(s.audio_queue_high_water, 100u);
  EXPECT_GT(last_naive_error_ms, 500.0);
  EXPECT_LT(max_error_ms, 3.0);
  EXPECT_NEAR(s.audio_rate_hz, 16016.0, 0.2);
}

}  // namespace
}  // namespace edgefuse::pipeline
