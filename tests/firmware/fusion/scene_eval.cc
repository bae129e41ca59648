#include "tests/firmware/fusion/scene_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "firmware/offline/localize.h"
#include "modalities/scene/av_scene.h"
#include "modalities/vision/frontend_settings.h"

namespace edgefuse::fusion::testing {

double OffsetForSeed(uint64_t seed) { return -0.1 + 0.2 * static_cast<double>((seed * 37) % 21) / 20.0; }

SceneScore ScoreScene(const SceneRun& run) {
  scene::AvSceneConfig config{.seed = run.seed, .av_offset_s = OffsetForSeed(run.seed), .duration_s = run.duration_s};
  scene::AvScene av(config);
  const int64_t frames = av.frame_count();
  std::vector<int16_t> samples(static_cast<size_t>(std::ceil(run.duration_s * scene::AvScene::kSampleRateHz)));
  av.RenderAudio(0, samples);

  offline::LocalizeConfig lc;
  lc.fusion.window_frames = run.window_frames;
  lc.fusion.precision = run.precision;
  lc.fusion.fps = config.fps;
  std::string error;
  auto localizer = offline::Localizer::Create(lc, samples, &error);
  SceneScore score;
  score.description = av.Describe();
  if (!localizer) {
    score.description += " (" + error + ")";
    return score;
  }
  // One patch of the 16 x 12 grid, in pixels.
  const double patch_w = static_cast<double>(config.width) / vision::frontend::kGridWidth;
  const double patch_h = static_cast<double>(config.height) / vision::frontend::kGridHeight;
  cv::Mat bgr;
  scene::AvFrameTruth truth;
  offline::LocalizeResult result;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t n = 0; n < frames; ++n) {
    av.RenderFrame(n, &bgr, &truth);
    if (!localizer->PushFrame(bgr, &result, &error)) {
      score.description += " (" + error + ")";
      return score;
    }
    if (result.t < run.warmup_s) continue;
    if (truth.audible) {
      ++score.audible;
      const double x = result.x * config.width;
      const double y = result.y * config.height;
      const cv::Rect& box = truth.source_box;
      const bool inside = x >= box.x - patch_w && x <= box.x + box.width + patch_w && y >= box.y - patch_h &&
                          y <= box.y + box.height + patch_h;
      if (result.source && inside) ++score.located;
    } else {
      ++score.silent;
      if (!result.source) ++score.rejected;
    }
  }
  score.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  score.frames = frames;
  return score;
}

}  // namespace edgefuse::fusion::testing
