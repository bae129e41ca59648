// The specification of the Q15 real FFT (fft_q15.h): plain loops, one rounding helper.
#include <cassert>
#include <cstdlib>

#include "core/kernels/fft_q15/fft_q15.h"
#include "core/kernels/fft_q15/rounding.h"

namespace edgefuse::core::kernels::reference {

int rfft_q15(const RfftQ15Plan& plan, int16_t* work, int16_t* bins) {
  assert(plan.complex_size >= 16 && work != nullptr && bins != nullptr);
  const int n = plan.complex_size;

  for (size_t p = 0; p < plan.bitrev_pairs.size(); p += 2) {
    const int i = plan.bitrev_pairs[p], j = plan.bitrev_pairs[p + 1];
    std::swap(work[2 * i], work[2 * j]);
    std::swap(work[2 * i + 1], work[2 * j + 1]);
  }

  int exponent = 0;
  for (int h = 1; h < n; h *= 2) {
    const int shift = FftQ15ShiftFor(fft_q15::MaxAbs(work, 2 * n));
    exponent += shift;
    const int16_t* c = &plan.stage_cos[h - 1];
    const int16_t* d = &plan.stage_sin[h - 1];
    for (int group = 0; group < n; group += 2 * h) {
      for (int j = 0; j < h; ++j) {
        int16_t* a = &work[2 * (group + j)];
        int16_t* b = &work[2 * (group + j + h)];
        const int32_t ure = fft_q15::RoundShift32(int32_t{b[0]} * c[j] + int32_t{b[1]} * d[j], 15);
        const int32_t uim = fft_q15::RoundShift32(int32_t{b[1]} * c[j] - int32_t{b[0]} * d[j], 15);
        const int32_t are = a[0], aim = a[1];
        a[0] = fft_q15::Sat16(fft_q15::RoundShift32(are - ure, shift));
        a[1] = fft_q15::Sat16(fft_q15::RoundShift32(aim - uim, shift));
        b[0] = fft_q15::Sat16(fft_q15::RoundShift32(are + ure, shift));
        b[1] = fft_q15::Sat16(fft_q15::RoundShift32(aim + uim, shift));
      }
    }
  }

  const int split_shift = FftQ15ShiftFor(fft_q15::MaxAbs(work, 2 * n));
  for (int k = 0; k <= n; ++k) {
    fft_q15::SplitBin(work, plan.split_cos.data(), plan.split_sin.data(), n, k, split_shift, bins);
  }
  return exponent + split_shift;
}

}  // namespace edgefuse::core::kernels::reference
