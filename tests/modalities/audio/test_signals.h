// Test clips at 16 kHz for the front-end tests, made with the synthetic source.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "modalities/audio/frontend_settings.h"
#include "modalities/audio/synthetic.h"

namespace edgefuse::audio::testing {

inline std::vector<int16_t> Render(const SyntheticScene& scene, double seconds) {
  std::vector<int16_t> samples(static_cast<size_t>(seconds * kSampleRateHz));
  RenderSynthetic(scene, 0, samples);
  return samples;
}

inline std::vector<int16_t> Tones(double seconds) {
  SyntheticScene scene;
  scene.events = {{.kind = SyntheticKind::kTone, .duration_s = -1, .frequency_hz = 1000, .amplitude = 0.5},
                  {.kind = SyntheticKind::kTone, .duration_s = -1, .frequency_hz = 440, .amplitude = 0.1},
                  {.kind = SyntheticKind::kTone, .duration_s = -1, .frequency_hz = 5123.4, .amplitude = 0.01}};
  return Render(scene, seconds);
}

inline std::vector<int16_t> Noise(double seconds, double rms, uint64_t seed) {
  SyntheticScene scene;
  scene.seed = seed;
  scene.events = {{.kind = SyntheticKind::kNoise, .duration_s = -1, .amplitude = rms}};
  return Render(scene, seconds);
}

inline std::vector<int16_t> SpeechLike(double seconds) {
  SyntheticScene scene;
  scene.events = {{.kind = SyntheticKind::kSpeechLike, .duration_s = -1, .frequency_hz = 130, .amplitude = 0.4},
                  {.kind = SyntheticKind::kClick, .start_s = 0.3, .amplitude = 0.9}};
  return Render(scene, seconds);
}

}  // namespace edgefuse::audio::testing
