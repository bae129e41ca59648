// A float64 implementation of the log-mel definition, written from the text
// and independent of the front-end's code (its own DFT, window and filter bank); only
// the constants come from frontend_settings.h. The golden side of the accuracy tests.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace edgefuse::audio::golden {

struct GoldenLogMel {
  size_t frames = 0;
  std::vector<double> energy;   // [frames, 40]: E_m
  std::vector<double> log_mel;  // [frames, 40]: ln(max(E_m, 1e-10))
};

GoldenLogMel LogMelF64(std::span<const int16_t> samples);

}  // namespace edgefuse::audio::golden
