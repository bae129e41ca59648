#include "modalities/audio/mel_bank.h"

#include <algorithm>
#include <cmath>

namespace edgefuse::audio {

double HzToMelHtk(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double MelToHzHtk(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

std::array<double, kNumMelBands + 2> MelEdgesHz() {
  std::array<double, kNumMelBands + 2> edges{};
  const double low = HzToMelHtk(kMelLowerEdgeHz), high = HzToMelHtk(kMelUpperEdgeHz);
  for (int i = 0; i < kNumMelBands + 2; ++i) edges[i] = MelToHzHtk(low + (high - low) * i / (kNumMelBands + 1));
  return edges;
}

namespace {

MelBank BuildMelBank() {
  MelBank bank;
  const auto edges = MelEdgesHz();
  for (int m = 0; m < kNumMelBands; ++m) {
    bank.offset[m] = static_cast<int>(bank.weights.size());
    bank.first_bin[m] = -1;
    for (int k = 0; k < kNumFftBins; ++k) {
      const double hz = static_cast<double>(k) * kSampleRateHz / kFftSize;
      // librosa.filters.mel(htk=True, norm=None): max(0, min(rising, falling)).
      const double rising = (hz - edges[m]) / (edges[m + 1] - edges[m]);
      const double falling = (edges[m + 2] - hz) / (edges[m + 2] - edges[m + 1]);
      const double weight = std::max(0.0, std::min(rising, falling));
      if (weight <= 0.0) continue;
      if (bank.first_bin[m] < 0) bank.first_bin[m] = k;
      bank.num_bins[m] = k - bank.first_bin[m] + 1;
      bank.weights.resize(bank.offset[m] + bank.num_bins[m], 0.0);
      bank.weights.back() = weight;
    }
    if (bank.first_bin[m] < 0) bank.first_bin[m] = 0;  // cannot happen with 31.25 Hz bins
  }
  bank.weights_q15.reserve(bank.weights.size());
  for (double w : bank.weights) bank.weights_q15.push_back(static_cast<uint16_t>(std::lround(w * 32768.0)));
  return bank;
}

}  // namespace

const MelBank& GetMelBank() {
  static const MelBank bank = BuildMelBank();
  return bank;
}

}  // namespace edgefuse::audio
