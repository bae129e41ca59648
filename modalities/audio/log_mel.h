// The log-mel front-end as pure DSP on arrays (no I/O, no allocation per frame), in
// two implementations of one definition (modalities/audio/README.md):
//
//   x[n] = sample / 32768, frame i = samples [160 i, 160 i + 400), periodic Hann
//   window, zero-padded 512-point FFT, P[k] = |X[k]|^2, 40 HTK mel bands
//   E_m = sum_k H_m[k] P[k], output ln(max(E_m, 1e-10)).
//
// LogMelFloat is the reference (computed in double, written as float32). LogMelFixed
// is the embedded path: int16 samples, block-scaled Q15 FFT (core/kernels/fft_q15,
// dispatched to NEON where available), 32/64-bit accumulation and an integer log, with
// results in Q10 natural-log units.
//
//   edgefuse::audio::LogMelFixed fixed;                 // picks the FFT kernel once
//   int16_t mel_q10[kNumMelBands];
//   int16_t energy_q10 = fixed.Frame(samples + 160 * i, mel_q10);
//   float mel[kNumMelBands];
//   double energy = edgefuse::audio::LogMelFloatFrame(samples + 160 * i, mel);
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/dispatch/dispatch.h"
#include "core/kernels/fft_q15/fft_q15.h"
#include "modalities/audio/frontend_settings.h"

namespace edgefuse::audio {

// One frame of kWindowSamples samples -> kNumMelBands values ln(max(E_m, 1e-10)).
// Returns ln(max(sum_m E_m, 1e-10)), the frame energy.
double LogMelFloatFrame(const int16_t* frame, float* log_mel);

// ln(value * 2^exp2) in Q10 (kLogFracBits), rounded, at least kLogFloorQ10 and at
// most 32767; value 0 gives kLogFloorQ10. Integer only: a leading-zero count and a
// 256-segment linear interpolation of log2(1 + f) (error below 3e-6 nat before the
// Q10 rounding).
int16_t LnQ10(uint64_t value, int exp2);

class LogMelFixed {
 public:
  // Chooses the FFT kernel for the CPU, at most tier `cap`.
  explicit LogMelFixed(core::Tier cap = core::DefaultTierCap());

  // One frame -> kNumMelBands Q10 log-mel values; returns the frame energy in Q10.
  int16_t Frame(const int16_t* frame, int16_t* log_mel_q10) const;

  const char* fft_kernel_name() const { return fft_->name; }

 private:
  const core::kernels::RfftQ15Plan* plan_;
  const core::KernelEntry<core::kernels::RfftQ15Fn>* fft_;
};

inline float DequantizeQ10(int32_t value) { return static_cast<float>(value) / (1 << kLogFracBits); }

}  // namespace edgefuse::audio
