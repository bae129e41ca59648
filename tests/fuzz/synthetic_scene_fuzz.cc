// libFuzzer target: the --synthetic scene description parser of the command line. It
// must return events with finite, in-range fields, or false with a one-line reason;
// never crash or loop. A parsed scene is rendered briefly: its samples must be finite
// values rounded into int16, whatever the fields.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "modalities/audio/synthetic.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  edgefuse::audio::SyntheticScene scene;
  std::string error;
  if (!edgefuse::audio::ParseSyntheticScene(text, &scene, &error)) {
    if (error.empty() || error.find('\n') != std::string::npos) std::abort();
    return 0;
  }
  for (const auto& event : scene.events) {
    if (!std::isfinite(event.start_s) || !std::isfinite(event.duration_s) || !std::isfinite(event.frequency_hz) ||
        !(event.amplitude >= 0.0 && event.amplitude <= 1.0) || event.start_s < 0.0) {
      std::abort();
    }
  }
  if (scene.events.size() <= 16) {
    int16_t samples[64];
    edgefuse::audio::RenderSynthetic(scene, 0, samples);
  }
  return 0;
}
