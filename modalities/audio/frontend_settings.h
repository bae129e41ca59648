// Every constant of the audio front-end, in one place: the pipeline's sample rate, the
// log-mel framing, the mel bank and the fixed-point formats. The float and fixed
// front-ends, the streaming wrapper, the tests and the float64 golden implementation
// all read these values; nothing else spells them. (STYLE.md "Modalities".)
//
//   float mel[edgefuse::audio::kNumMelBands];
//   size_t frames = edgefuse::audio::NumFrames(signal.size());
#pragma once

#include <cstddef>
#include <cstdint>

namespace edgefuse::audio {

// Audio inside the pipeline (DESIGN.md §2): mono int16 PCM at this rate.
inline constexpr int kSampleRateHz = 16000;

// Frame i covers samples [kHopSamples * i, kHopSamples * i + kWindowSamples): 25 ms
// windows every 10 ms, no padding (a trailing partial frame is not emitted).
inline constexpr int kWindowSamples = 400;
inline constexpr int kHopSamples = 160;
// The window is zero-padded to this FFT length; power bins k = 0 .. kFftSize / 2.
inline constexpr int kFftSize = 512;
inline constexpr int kNumFftBins = kFftSize / 2 + 1;

// 40 triangular filters on the HTK mel scale (mel = 2595 log10(1 + f / 700)), edges
// equally spaced in mel between these frequencies, weights linear in Hz, unnormalized
// (librosa.filters.mel(htk=True, norm=None)).
inline constexpr int kNumMelBands = 40;
inline constexpr double kMelLowerEdgeHz = 125.0;
inline constexpr double kMelUpperEdgeHz = 7500.0;

// Output: ln(max(E_m, kLogFloorEnergy)). ln(1e-10) = -23.02585...
inline constexpr double kLogFloorEnergy = 1e-10;

// Fixed-point formats (modalities/audio/README.md "Fixed point").
// Window and mel weights: Q15. Log-mel output and activity features: Q10 natural-log
// units in int16 (range +-32 nat, resolution 0.001 nat).
inline constexpr int kWindowFracBits = 15;
inline constexpr int kMelWeightFracBits = 15;
inline constexpr int kLogFracBits = 10;
// round(ln(1e-10) * 2^10): the fixed path's silence value.
inline constexpr int16_t kLogFloorQ10 = -23579;

// Frames a one-shot computation emits for a signal of n samples.
constexpr size_t NumFrames(size_t n) {
  return n < static_cast<size_t>(kWindowSamples) ? 0 : (n - kWindowSamples) / kHopSamples + 1;
}

}  // namespace edgefuse::audio
