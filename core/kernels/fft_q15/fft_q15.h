// Real FFT of int16 samples in Q15 with block floating point: the kernel family behind
// the fixed-point log-mel front-end (modalities/audio). One scalar reference is the
// specification; the NEON variant matches it bit for bit.
//
//   const RfftQ15Plan& plan = RfftQ15PlanFor(512);            // built once, cached
//   const auto& kernel = SelectKernel<RfftQ15Fn>(RfftQ15Kernels(), DefaultTierCap());
//   int16_t work[512];                                         // the input, clobbered
//   int16_t bins[2 * 257];                                     // (re, im) for k = 0..256
//   int exponent = kernel.fn(plan, work, bins);                // X[k] = bins[k] * 2^exponent
//
// Algorithm (the contract every variant follows exactly):
//  1. The 2n real samples are read as n complex values z[m] = x[2m] + i x[2m+1]
//     (the buffer is already interleaved) and put in bit-reversed order in place.
//  2. log2(n) radix-2 decimation-in-time stages. Before each stage, M = the largest
//     |component| of the whole buffer chooses the stage's right shift
//     s = 0 (M <= 11584), 1 (M <= 23169) or 2, so no result can overflow int16
//     (block floating point; the shifts add up to the exponent). A butterfly of
//     a, b with twiddle W = exp(-2 pi i j / 2h) uses the stored Q15 pair c = -W.re,
//     d = W.im, i.e. round(-cos(2 pi j / 2h) 2^15) and round(-sin(2 pi j / 2h) 2^15),
//     which are exact at W = 1 and W = -i; u = -b W:
//       u.re = RoundShift(b.re * c + b.im * d, 15)   u.im = RoundShift(b.im * c - b.re * d, 15)
//       out0 = Sat16(RoundShift(a - u, s))          out1 = Sat16(RoundShift(a + u, s))
//     with 32-bit products, RoundShift(v, s) = (v + 2^(s-1)) >> s (arithmetic; v for s = 0).
//  3. The split to the n + 1 real-FFT bins, with Z[n] = Z[0], A = Z[k] + conj Z[n-k],
//     B = Z[k] - conj Z[n-k], and t = (-cos, -sin)(pi k / n) in Q15:
//       X.re = Sat16(RoundShift(A.re * 2^15 + B.re * t.sin - B.im * t.cos, 16 + s2))
//       X.im = Sat16(RoundShift(A.im * 2^15 + B.re * t.cos + B.im * t.sin, 16 + s2))
//     in 64-bit, with s2 chosen like s from the buffer's M (11584 / 23169).
// The result approximates the exact DFT of x divided by 2^exponent, exponent = sum of
// all s plus s2.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/dispatch/dispatch.h"

namespace edgefuse::core::kernels {

struct RfftQ15Plan {
  int real_size = 0;     // 2n real samples, a power of two, 32 .. 8192
  int complex_size = 0;  // n
  int log2_complex = 0;
  // Stage with half-size h uses entries [h - 1, 2h - 1): -cos and -sin of 2 pi j / 2h.
  std::vector<int16_t> stage_cos;
  std::vector<int16_t> stage_sin;
  // Split twiddles for k = 0 .. n: -cos(pi k / n), -sin(pi k / n) in Q15.
  std::vector<int16_t> split_cos;
  std::vector<int16_t> split_sin;
  // Pairs (i, j), i < j, of the bit-reversal permutation.
  std::vector<uint16_t> bitrev_pairs;
};

// The plan for real_size points (a power of two in [32, 8192]), built on first use and
// kept for the process. Thread-safe.
const RfftQ15Plan& RfftQ15PlanFor(int real_size);

// The largest |component| thresholds of the block scaling, shared by every variant.
inline constexpr int32_t kFftQ15NoShiftMax = 11584;   // 2 sqrt(2) M + 1 <= 32767
inline constexpr int32_t kFftQ15OneShiftMax = 23169;  // sqrt(2) M + 1 <= 32767

// The stage shift for a buffer whose largest |component| is max_abs.
inline int FftQ15ShiftFor(int32_t max_abs) {
  return max_abs <= kFftQ15NoShiftMax ? 0 : (max_abs <= kFftQ15OneShiftMax ? 1 : 2);
}

// Real FFT of plan.real_size int16 samples in `work` (clobbered; 16-byte aligned is
// best but not required). Writes plan.complex_size + 1 bins as (re, im) pairs to
// `bins` and returns the block exponent. work and bins must not overlap.
using RfftQ15Fn = int (*)(const RfftQ15Plan& plan, int16_t* work, int16_t* bins);

namespace reference {
int rfft_q15(const RfftQ15Plan& plan, int16_t* work, int16_t* bins);
}  // namespace reference
namespace neon {
int rfft_q15(const RfftQ15Plan& plan, int16_t* work, int16_t* bins);
}  // namespace neon

// Best first; ends with the reference.
std::span<const KernelEntry<RfftQ15Fn>> RfftQ15Kernels();

}  // namespace edgefuse::core::kernels
