#include "tests/modalities/audio/golden_f64.h"

#include <algorithm>
#include <cmath>

#include "modalities/audio/frontend_settings.h"

namespace edgefuse::audio::golden {
namespace {

double Mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double Hz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

}  // namespace

GoldenLogMel LogMelF64(std::span<const int16_t> samples) {
  const int n_fft = kFftSize, bins = kNumFftBins, bands = kNumMelBands;
  // Dense [bands, bins] triangles, librosa.filters.mel(htk=True, norm=None).
  std::vector<double> edges(bands + 2);
  for (int i = 0; i < bands + 2; ++i) {
    edges[i] = Hz(Mel(kMelLowerEdgeHz) + (Mel(kMelUpperEdgeHz) - Mel(kMelLowerEdgeHz)) * i / (bands + 1));
  }
  std::vector<double> weights(bands * bins, 0.0);
  for (int m = 0; m < bands; ++m) {
    for (int k = 0; k < bins; ++k) {
      const double f = k * static_cast<double>(kSampleRateHz) / n_fft;
      const double lower = (f - edges[m]) / (edges[m + 1] - edges[m]);
      const double upper = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
      weights[m * bins + k] = std::max(0.0, std::min(lower, upper));
    }
  }
  std::vector<double> cos_table(n_fft), sin_table(n_fft), window(kWindowSamples);
  for (int i = 0; i < n_fft; ++i) {
    cos_table[i] = std::cos(2.0 * M_PI * i / n_fft);
    sin_table[i] = std::sin(2.0 * M_PI * i / n_fft);
  }
  for (int n = 0; n < kWindowSamples; ++n) window[n] = 0.5 - 0.5 * std::cos(2.0 * M_PI * n / kWindowSamples);

  GoldenLogMel out;
  out.frames =
      samples.size() < static_cast<size_t>(kWindowSamples) ? 0 : (samples.size() - kWindowSamples) / kHopSamples + 1;
  std::vector<double> x(kWindowSamples), power(bins);
  for (size_t i = 0; i < out.frames; ++i) {
    for (int n = 0; n < kWindowSamples; ++n) x[n] = samples[i * kHopSamples + n] / 32768.0 * window[n];
    for (int k = 0; k < bins; ++k) {  // the DFT by its definition
      double re = 0.0, im = 0.0;
      for (int n = 0; n < kWindowSamples; ++n) {
        const int phase = (k * n) % n_fft;
        re += x[n] * cos_table[phase];
        im -= x[n] * sin_table[phase];
      }
      power[k] = re * re + im * im;
    }
    for (int m = 0; m < bands; ++m) {
      double e = 0.0;
      for (int k = 0; k < bins; ++k) e += weights[m * bins + k] * power[k];
      out.energy.push_back(e);
      out.log_mel.push_back(std::log(std::max(e, 1e-10)));
    }
  }
  return out;
}

}  // namespace edgefuse::audio::golden
