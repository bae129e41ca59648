// Requantize kernels for ARMv8.0 Advanced SIMD: 16 channels per step.
#include <arm_neon.h>

#include <cassert>

#include "core/kernels/requantization/neon_requantization.h"
#include "core/kernels/requantization/requantize.h"

namespace edgefuse::core::kernels::neon {

void qs32_qs8_requantize_16(size_t rows, size_t channels, const int32_t* acc, size_t acc_stride, int8_t* out,
                            size_t out_stride, const Qs32Qs8RequantizeParams& params) {
  assert(params.min <= params.max);
  const int16x8_t zero_point = vdupq_n_s16(static_cast<int16_t>(params.zero_point));
  const int8x16_t min = vdupq_n_s8(static_cast<int8_t>(params.min));
  const int8x16_t max = vdupq_n_s8(static_cast<int8_t>(params.max));
  for (size_t r = 0; r < rows; ++r) {
    const int32_t* a = reinterpret_cast<const int32_t*>(reinterpret_cast<const char*>(acc) + r * acc_stride);
    int8_t* o = out + r * out_stride;
    size_t c = 0;
    for (; c + 16 <= channels; c += 16) {
      int32x4_t v[4];
      for (int i = 0; i < 4; ++i) {
        const size_t j = c + 4 * i;
        v[i] = MultiplyByQuantizedMultiplier(
            vld1q_s32(a + j),
            LoadQuantizedMultiplier(params.multiplier + j, params.left_shift + j, params.right_shift + j));
      }
      vst1q_s8(o + c, NarrowToS8(v[0], v[1], v[2], v[3], zero_point, min, max));
    }
    // The last 1-15 channels go through the same vector sequence from zero-padded copies
    // (no over-read of acc or the parameters).
    if (c < channels) {
      const size_t n = channels - c;
      alignas(16) int32_t x[16] = {}, m[16] = {}, ls[16] = {}, rs[16] = {};
      alignas(16) int8_t y[16];
      for (size_t i = 0; i < n; ++i) {
        x[i] = a[c + i];
        m[i] = params.multiplier[c + i];
        ls[i] = params.left_shift[c + i];
        rs[i] = params.right_shift[c + i];
      }
      int32x4_t v[4];
      for (int i = 0; i < 4; ++i) {
        v[i] = MultiplyByQuantizedMultiplier(vld1q_s32(x + 4 * i),
                                             LoadQuantizedMultiplier(m + 4 * i, ls + 4 * i, rs + 4 * i));
      }
      vst1q_s8(y, NarrowToS8(v[0], v[1], v[2], v[3], zero_point, min, max));
      for (size_t i = 0; i < n; ++i) o[c + i] = y[i];
    }
  }
}

}  // namespace edgefuse::core::kernels::neon
