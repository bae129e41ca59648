// Runs the offline localizer on a generated audio-visual scene, frames rendered in
// process, and scores it against the scene's truth (the acceptance of
// firmware/fusion/README.md).
#pragma once

#include <cstdint>
#include <string>

#include "core/attention/attention.h"

namespace edgefuse::fusion::testing {

struct SceneScore {
  std::string description;
  int64_t audible = 0;   // scored frames (after the warm-up) where the source sounds
  int64_t located = 0;   // ... where the result is a source within one patch of its box
  int64_t silent = 0;    // scored frames where nothing sounds
  int64_t rejected = 0;  // ... where the result is "no visible source"
  double seconds = 0.0;  // wall time of the run
  int64_t frames = 0;
};

struct SceneRun {
  uint64_t seed = 1;
  double duration_s = 17.0;
  double warmup_s = 2.0;
  int window_frames = 60;
  core::AttentionPrecision precision = core::AttentionPrecision::kInt8;
};

// The A/V offset of seed s: spread over [-100, 100] ms.
double OffsetForSeed(uint64_t seed);

SceneScore ScoreScene(const SceneRun& run);

}  // namespace edgefuse::fusion::testing
