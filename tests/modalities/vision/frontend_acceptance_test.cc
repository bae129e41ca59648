// The acceptance of the image front-end against the synthetic scene's ground truth
// (issue 5):
// - over 300 frames, the patch with the largest motion energy lies on a moving object
//   (its rectangle meets the region the object changed, box(t) united with box(t-1))
//   on at least 95% of the frames with motion;
// - a global brightness step raises no patch's motion energy above the noise level,
//   the largest motion energy any patch reaches on still frames of the same scene.
// The numbers are printed, for the README.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "modalities/vision/patch_frontend.h"
#include "modalities/vision/synthetic_scene.h"

namespace edgefuse::vision {
namespace {

constexpr int kFrames = 300;

struct Agreement {
  int frames_with_motion = 0;
  int on_object = 0;         // the strongest patch meets an active object's changed region
  int centre_in_box = 0;     // stricter: the strongest patch's centre lies inside it
  int max_still_motion = 0;  // largest motion token on frames where nothing is active
};

Agreement Measure(const SceneConfig& config, const FrontEndConfig& frontend_config = {}) {
  SyntheticScene scene(config);
  PatchFrontEnd frontend(frontend_config);
  const int gw = frontend_config.grid_width, gh = frontend_config.grid_height;
  cv::Mat bgr;
  SceneTruth truth;
  PatchTokens tokens;
  std::string error;
  Agreement result;
  for (int t = 0; t < kFrames; ++t) {
    scene.Render(t, &bgr, &truth);
    EXPECT_TRUE(frontend.Process(bgr, &tokens, &error)) << error;
    if (t == 0) continue;
    int best = 0;
    for (int p = 1; p < tokens.patches; ++p) {
      if (tokens.values[p * tokens.dim] > tokens.values[best * tokens.dim]) best = p;
    }
    if (!truth.AnyActive()) {
      result.max_still_motion = std::max<int>(result.max_still_motion, tokens.values[best * tokens.dim]);
      continue;
    }
    // The patch in frame pixels (the grid covers the whole frame).
    const int gx = best % gw, gy = best / gw;
    const cv::Rect patch(cv::Point(gx * config.width / gw, gy * config.height / gh),
                         cv::Point((gx + 1) * config.width / gw, (gy + 1) * config.height / gh));
    const cv::Point centre(patch.x + patch.width / 2, patch.y + patch.height / 2);
    bool on = false, inside = false;
    for (const ObjectTruth& object : truth.objects) {
      if (!object.active) continue;
      on |= (object.changed & patch).area() > 0;
      inside |= object.changed.contains(centre);
    }
    ++result.frames_with_motion;
    result.on_object += on;
    result.centre_in_box += inside;
  }
  return result;
}

TEST(FrontEndAcceptance, StrongestMotionIsOnAMovingObject) {
  SceneConfig config;  // 640x480, objects moving, pulsing and flickering, noise, drift
  config.seed = 11;
  config.objects = 4;
  const Agreement a = Measure(config);
  std::printf(
      "[edgefuse] seed %llu, %d objects, %d frames: %d with motion; strongest patch on an active object "
      "in %d (%.1f%%), its centre inside the object's box in %d (%.1f%%); still frames' largest motion "
      "%d/4096\n",
      static_cast<unsigned long long>(config.seed), config.objects, kFrames, a.frames_with_motion, a.on_object,
      100.0 * a.on_object / a.frames_with_motion, a.centre_in_box, 100.0 * a.centre_in_box / a.frames_with_motion,
      a.max_still_motion);
  ASSERT_GT(a.frames_with_motion, kFrames / 2) << "the scene should keep its objects busy";
  EXPECT_GE(a.on_object, 0.95 * a.frames_with_motion);
  EXPECT_GE(a.centre_in_box, 0.90 * a.frames_with_motion);
}

// Frames 1-29 and 31-89 are still (noise only); frame 30 changes the exposure.
struct StepResult {
  int noise_level = 0;  // largest motion token of any patch on the still frames
  int step = 0;         // largest motion token of any patch on the step frame
};

StepResult MeasureStep(double gain, double offset, bool normalize) {
  SceneConfig config;
  config.seed = 21;
  config.idle = true;
  config.exposure_drift = 0;
  config.exposure_steps = {{30, gain, offset}};
  SyntheticScene scene(config);
  FrontEndConfig frontend_config;
  frontend_config.normalize_exposure = normalize;
  PatchFrontEnd frontend(frontend_config);
  cv::Mat bgr;
  SceneTruth truth;
  PatchTokens tokens;
  std::string error;
  StepResult result;
  for (int t = 0; t < 90; ++t) {
    scene.Render(t, &bgr, &truth);
    EXPECT_TRUE(frontend.Process(bgr, &tokens, &error)) << error;
    if (t == 0) continue;
    int largest = 0;
    for (int p = 0; p < tokens.patches; ++p) largest = std::max<int>(largest, tokens.values[p * tokens.dim]);
    (t == 30 ? result.step : result.noise_level) = std::max(t == 30 ? result.step : result.noise_level, largest);
  }
  return result;
}

TEST(FrontEndAcceptance, BrightnessStepStaysBelowTheNoiseLevel) {
  for (auto [gain, offset] : {std::pair{1.25, 10.0}, std::pair{0.8, -5.0}, std::pair{1.0, 25.0}}) {
    const StepResult normalized = MeasureStep(gain, offset, true);
    const StepResult raw = MeasureStep(gain, offset, false);
    std::printf(
        "[edgefuse] exposure step x%.2f %+.0f: largest patch motion %d/4096, noise level %d/4096 "
        "(without normalization: %d vs %d)\n",
        gain, offset, normalized.step, normalized.noise_level, raw.step, raw.noise_level);
    EXPECT_LE(normalized.step, normalized.noise_level) << "gain " << gain << " offset " << offset;
    // The check has teeth: without normalization the same step stands far out.
    EXPECT_GT(raw.step, 10 * raw.noise_level) << "gain " << gain << " offset " << offset;
  }
}

}  // namespace
}  // namespace edgefuse::vision
