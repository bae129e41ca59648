// The per-channel qs8 x qs8 tile loop of the ARMv8.0 tier for weights without -128
// (..._4x4c16): 4 rows x 4 columns, 16 depths per step. Packed layout: gemm.h; the
// accepting rule: pack::Qs8C16Accepts. Include only from a neon.cc file.
//
// Per 16 depths of a tile: 4 loads of A, one four-register load of B, and per
// (row, column) SMULL + SMLAL2 (16 products, summed in pairs into int16: at most
// 2 x 128 x 127, exact without a weight of -128) + SADALP into int32, 16
// multiply-accumulates in 3 instructions. A's zero point is in the column term
// (bias - za sum_k B); the four lanes of each accumulator are summed at the end.
#pragma once

#include <arm_neon.h>

#include <cassert>

#include "core/kernels/gemm/gemm.h"
#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/requantization/neon_requantization.h"

namespace edgefuse::core::kernels::neon {

namespace qs8_c16_internal {

using Acc = int32x4_t[4][4];

EDGEFUSE_ALWAYS_INLINE void Dot16(Acc& acc, const int8x16_t (&a)[4], const int8x16x4_t& b) {
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) {
      int16x8_t pairs = vmull_s8(vget_low_s8(a[r]), vget_low_s8(b.val[c]));
      pairs = vmlal_high_s8(pairs, a[r], b.val[c]);
      acc[r][c] = vpadalq_s16(acc[r][c], pairs);
    }
  }
}

// Row r's four column sums, one per lane.
EDGEFUSE_ALWAYS_INLINE int32x4_t RowSums(const Acc& acc, int r) {
  return vpaddq_s32(vpaddq_s32(acc[r][0], acc[r][1]), vpaddq_s32(acc[r][2], acc[r][3]));
}

}  // namespace qs8_c16_internal

// kShiftRight: every channel multiplier shifts right (the packed header says so).
template <bool kShiftRight>
void Qs8GemmC16(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                size_t c_stride, const Qs8GemmParams& params) {
  using namespace qs8_c16_internal;
  assert(n >= 1 && k >= 1 && k <= kMaxGemmDepth && params.rhs_zero_point == 0);
  const size_t tile_bytes = 64 + 4 * RoundUp(k, 16);
  const size_t k_main = k & ~size_t{15};
  const int16x8_t zero_point = vdupq_n_s16(static_cast<int16_t>(params.output_zero_point));
  const int8x16_t out_min = vdupq_n_s8(static_cast<int8_t>(params.output_min));
  const int8x16_t out_max = vdupq_n_s8(static_cast<int8_t>(params.output_max));

  for (size_t i = 0; i < m; i += 4) {
    const int8_t* ar[4];
    int8_t* cr[4];
    FourRows(a, a_stride, c, c_stride, i, m, ar, cr);
    // The zero-padded last 1-15 depths of each row (never read past the row).
    int8x16_t tail[4];
    for (int r = 0; r < 4; ++r) tail[r] = k_main < k ? LoadS8Partial(ar[r] + k_main, k - k_main) : vdupq_n_s8(0);

    const uint8_t* tile = static_cast<const uint8_t*>(packed);
    for (size_t j = 0; j < n; j += 4, tile += tile_bytes) {
      Acc acc;
      for (int r = 0; r < 4; ++r) {
        for (int q = 0; q < 4; ++q) acc[r][q] = vdupq_n_s32(0);
      }
      const int8_t* b = reinterpret_cast<const int8_t*>(tile + 64);
      for (size_t kk = 0; kk < k_main; kk += 16, b += 64) {
        const int8x16_t va[4] = {vld1q_s8(ar[0] + kk), vld1q_s8(ar[1] + kk), vld1q_s8(ar[2] + kk),
                                 vld1q_s8(ar[3] + kk)};
        Dot16(acc, va, vld1q_s8_x4(b));
      }
      if (k_main < k) Dot16(acc, tail, vld1q_s8_x4(b));

      // The tile's column terms, multipliers, left shifts and negated right shifts.
      const int32x4x4_t t = vld1q_s32_x4(reinterpret_cast<const int32_t*>(tile));
      int32x4_t y[4];
      for (int r = 0; r < 4; ++r) {
        const int32x4_t sum = vaddq_s32(RowSums(acc, r), t.val[0]);
        if constexpr (kShiftRight) {
          y[r] = MultiplyByQuantizedMultiplierRightShift(sum, t.val[1], t.val[3]);
        } else {
          y[r] = MultiplyByQuantizedMultiplier(sum, {t.val[1], t.val[2], t.val[3]});
        }
      }
      // Rows 0-3 as the four 32-bit lanes of one vector: 4 outputs each.
      const int32x4_t out = vreinterpretq_s32_s8(NarrowToS8(y[0], y[1], y[2], y[3], zero_point, out_min, out_max));
      if (j + 4 <= n) {
        vst1q_lane_s32(reinterpret_cast<int32_t*>(cr[3] + j), out, 3);
        vst1q_lane_s32(reinterpret_cast<int32_t*>(cr[2] + j), out, 2);
        vst1q_lane_s32(reinterpret_cast<int32_t*>(cr[1] + j), out, 1);
        vst1q_lane_s32(reinterpret_cast<int32_t*>(cr[0] + j), out, 0);
      } else {
        alignas(16) int8_t rows[16];
        vst1q_s8(rows, vreinterpretq_s8_s32(out));
        for (int r = 3; r >= 0; --r) {
          for (size_t q = 0; q < n - j; ++q) cr[r][j + q] = rows[4 * r + q];
        }
      }
    }
  }
}

}  // namespace edgefuse::core::kernels::neon
