// Patch tokens for the fusion tests: one patch moves (motion 1.5 grey standard
// deviations) when `moving`, the others flutter at random (0.02-0.08).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

#include "modalities/vision/frontend_settings.h"
#include "modalities/vision/patch_frontend.h"

namespace edgefuse::fusion::testing {

inline vision::PatchTokens HandMadeTokens(int64_t frame, int moving_patch, bool moving, std::mt19937* rng) {
  namespace vf = vision::frontend;
  vision::PatchTokens t;
  t.frame_index = frame;
  t.patches = vf::kGridWidth * vf::kGridHeight;
  t.values.assign(static_cast<size_t>(t.patches) * vf::kTokenDim, 0);
  std::uniform_real_distribution<float> noise(0.02f, 0.08f);
  for (int p = 0; p < t.patches; ++p) {
    const float motion = p == moving_patch && moving ? 1.5f : noise(*rng);
    int16_t* row = &t.values[static_cast<size_t>(p) * vf::kTokenDim];
    row[vf::kMotion] = static_cast<int16_t>(std::lround(motion * 4096));
    row[vf::kCentreX] = static_cast<int16_t>(std::lround((p % vf::kGridWidth + 0.5) / vf::kGridWidth * 4096));
    row[vf::kCentreY] = static_cast<int16_t>(std::lround((p / vf::kGridWidth + 0.5) / vf::kGridHeight * 4096));
  }
  return t;
}

}  // namespace edgefuse::fusion::testing
