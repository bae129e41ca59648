// The rounding and saturation steps of the Q15 FFT, shared by every variant's scalar
// code so that the reference and the SIMD tails can only agree (STYLE.md "Kernels").
#pragma once

#include <cstdint>
#include <cstdlib>

namespace edgefuse::core::kernels::fft_q15 {

// (v + 2^(s-1)) >> s with an arithmetic shift: round half up, like NEON's SRSHR.
inline int32_t RoundShift32(int32_t v, int s) { return s == 0 ? v : (v + (int32_t{1} << (s - 1))) >> s; }
inline int64_t RoundShift64(int64_t v, int s) { return s == 0 ? v : (v + (int64_t{1} << (s - 1))) >> s; }

inline int16_t Sat16(int64_t v) { return static_cast<int16_t>(v < -32768 ? -32768 : (v > 32767 ? 32767 : v)); }

// The largest |value| of count int16 values, as int32 (so |-32768| is 32768).
inline int32_t MaxAbs(const int16_t* values, int count) {
  int32_t max_abs = 0;
  for (int i = 0; i < count; ++i) {
    const int32_t a = std::abs(int32_t{values[i]});
    if (a > max_abs) max_abs = a;
  }
  return max_abs;
}

// One bin of the split step (fft_q15.h, step 3) from the complex FFT in `work`.
inline void SplitBin(const int16_t* work, const int16_t* split_cos, const int16_t* split_sin, int n, int k, int shift,
                     int16_t* bins) {
  const int kk = k == n ? 0 : k;
  const int nk = k == 0 ? 0 : n - k;
  const int64_t are = int64_t{work[2 * kk]} + work[2 * nk];
  const int64_t aim = int64_t{work[2 * kk + 1]} - work[2 * nk + 1];
  const int64_t bre = int64_t{work[2 * kk]} - work[2 * nk];
  const int64_t bim = int64_t{work[2 * kk + 1]} + work[2 * nk + 1];
  const int64_t tc = split_cos[k], ts = split_sin[k];
  bins[2 * k] = Sat16(RoundShift64(are * 32768 + bre * ts - bim * tc, 16 + shift));
  bins[2 * k + 1] = Sat16(RoundShift64(aim * 32768 + bre * tc + bim * ts, 16 + shift));
}

}  // namespace edgefuse::core::kernels::fft_q15
