// The mel filter bank of the front-end (frontend_settings.h): 40 triangular filters on
// the HTK mel scale, unnormalized, stored sparsely (each band touches a short run of
// FFT bins) in double for the float path and in Q15 for the fixed path.
//
//   const edgefuse::audio::MelBank& bank = edgefuse::audio::GetMelBank();
//   for (int m = 0; m < kNumMelBands; ++m)
//     for (int i = 0; i < bank.num_bins[m]; ++i)
//       energy[m] += bank.weights[bank.offset[m] + i] * power[bank.first_bin[m] + i];
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "modalities/audio/frontend_settings.h"

namespace edgefuse::audio {

double HzToMelHtk(double hz);  // 2595 log10(1 + hz / 700)
double MelToHzHtk(double mel);

// The kNumMelBands + 2 band edges in Hz: equally spaced in mel from kMelLowerEdgeHz to
// kMelUpperEdgeHz. Band m rises from edge m to edge m + 1 and falls to edge m + 2.
std::array<double, kNumMelBands + 2> MelEdgesHz();

struct MelBank {
  // Band m covers FFT bins [first_bin[m], first_bin[m] + num_bins[m]) (only nonzero
  // weights); its weights start at offset[m] in the arrays below.
  std::array<int, kNumMelBands> first_bin{};
  std::array<int, kNumMelBands> num_bins{};
  std::array<int, kNumMelBands> offset{};
  std::vector<double> weights;        // in [0, 1]
  std::vector<uint16_t> weights_q15;  // round(weight * 2^15), at most 32768
};

// Built on first use from the settings; thread-safe.
const MelBank& GetMelBank();

}  // namespace edgefuse::audio
