// The fusion's acceptance (firmware/fusion/README.md): generated scenes with 3 to 6 objects,
// one sounding in sync with its motion, camera noise, A/V offsets over +/-100 ms. After
// a 2 s warm-up the source is located within one patch of the sounding object's box on
// >= 90% of the audible frames, and "no visible source" is reported on >= 95% of the
// silent frames.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "tests/firmware/fusion/scene_eval.h"

namespace edgefuse::fusion::testing {
namespace {

// Measured over the 20 seeds: 90.4% located, 97.5% rejected (README.md "Acceptance").
constexpr double kMinLocated = 0.90;
constexpr double kMinRejected = 0.95;

void RunSeeds(int seeds, double duration_s) {
  SceneScore total;
  for (int s = 1; s <= seeds; ++s) {
    SceneRun run{.seed = static_cast<uint64_t>(s), .duration_s = duration_s};
    if (const char* w = std::getenv("EDGEFUSE_FUSION_WINDOW")) run.window_frames = std::atoi(w);  // for the W sweep
    const SceneScore score = ScoreScene(run);
    ASSERT_GT(score.frames, 0) << score.description;
    std::printf("%-52s located %4lld/%-4lld (%5.1f%%)  rejected %4lld/%-4lld (%5.1f%%)  %.2f s\n",
                score.description.c_str(), static_cast<long long>(score.located), static_cast<long long>(score.audible),
                100.0 * score.located / std::max<int64_t>(1, score.audible), static_cast<long long>(score.rejected),
                static_cast<long long>(score.silent), 100.0 * score.rejected / std::max<int64_t>(1, score.silent),
                score.seconds);
    total.audible += score.audible;
    total.located += score.located;
    total.silent += score.silent;
    total.rejected += score.rejected;
  }
  const double located = static_cast<double>(total.located) / static_cast<double>(total.audible);
  const double rejected = static_cast<double>(total.rejected) / static_cast<double>(total.silent);
  std::printf("overall: located %.1f%% of %lld audible frames, rejected %.1f%% of %lld silent frames\n",
              100.0 * located, static_cast<long long>(total.audible), 100.0 * rejected,
              static_cast<long long>(total.silent));
  EXPECT_GE(located, kMinLocated);
  EXPECT_GE(rejected, kMinRejected);
}

TEST(SynchronyAcceptanceTest, TwentySeeds) {
#if defined(__aarch64__)
  GTEST_SKIP() << "arm64 builds are tested under qemu-aarch64, where 20 scenes take minutes; ThreeSeeds runs there";
#endif
  RunSeeds(20, 17.0);
}

TEST(SynchronyAcceptanceTest, ThreeSeeds) { RunSeeds(3, 9.0); }

}  // namespace
}  // namespace edgefuse::fusion::testing
