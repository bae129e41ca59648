// The qs8 x qs8 tile loop of the ARMv8.0 tier: 4 rows x 16 columns, int16 operands
// with the zero points already subtracted ((A - za) and (B - zb) fit in int16, their
// products in 17 bits), SMLAL by lane into int32 (..._4x16). Packed layout: gemm.h.
// Include only from a neon.cc file.
//
// Per 8 depths of a tile: 4 loads and 4 widening subtractions of A, 8 two-register
// loads of B and 128 SMLAL, 4 multiply-accumulates each.
#pragma once

#include <arm_neon.h>

#include <cassert>

#include "core/kernels/gemm/gemm.h"
#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/requantization/neon_requantization.h"

namespace edgefuse::core::kernels::neon {

enum class Qs8Requant { kPerTensorRightShift, kPerTensor, kPerChannel };

namespace qs8_internal {

template <int kLane>
EDGEFUSE_ALWAYS_INLINE void MlalLane(int32x4_t (&acc)[4][4], int16x8_t b0, int16x8_t b1, const int16x8_t (&a)[4]) {
  for (int r = 0; r < 4; ++r) {
    acc[r][0] = vmlal_laneq_s16(acc[r][0], vget_low_s16(b0), a[r], kLane);
    acc[r][1] = vmlal_high_laneq_s16(acc[r][1], b0, a[r], kLane);
    acc[r][2] = vmlal_laneq_s16(acc[r][2], vget_low_s16(b1), a[r], kLane);
    acc[r][3] = vmlal_high_laneq_s16(acc[r][3], b1, a[r], kLane);
  }
}

template <int kLane>
EDGEFUSE_ALWAYS_INLINE void Step(int32x4_t (&acc)[4][4], const int16_t*& b, const int16x8_t (&a)[4]) {
  const int16x8x2_t vb = {vld1q_s16(b), vld1q_s16(b + 8)};  // one LDP (see StepSplit)
  b += 16;
  MlalLane<kLane>(acc, vb.val[0], vb.val[1], a);
}

}  // namespace qs8_internal

template <Qs8Requant kRequant>
void Qs8GemmI16(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                size_t c_stride, const Qs8GemmParams& params) {
  using namespace qs8_internal;
  assert(n >= 1 && k >= 1 && k <= kMaxGemmDepth);
  constexpr bool kPerChannel = kRequant == Qs8Requant::kPerChannel;
  const size_t tile_bytes = 64 + (kPerChannel ? 192 : 0) + 32 * k;
  const size_t k_main = k & ~size_t{7};
  const int8x8_t za = vdup_n_s8(static_cast<int8_t>(params.lhs_zero_point));
  const int16x8_t zero_point = vdupq_n_s16(static_cast<int16_t>(params.output_zero_point));
  const int8x16_t out_min = vdupq_n_s8(static_cast<int8_t>(params.output_min));
  const int8x16_t out_max = vdupq_n_s8(static_cast<int8_t>(params.output_max));
  const QuantizedMultiplierVec tensor_q = DupQuantizedMultiplier(params.multiplier);

  for (size_t i = 0; i < m; i += 4) {
    const int8_t* ar[4];
    int8_t* cr[4];
    FourRows(a, a_stride, c, c_stride, i, m, ar, cr);
    const uint8_t* tile = static_cast<const uint8_t*>(packed);
    for (size_t j = 0; j < n; j += 16, tile += tile_bytes) {
      const int32x4x4_t bias = vld1q_s32_x4(reinterpret_cast<const int32_t*>(tile));
      int32x4_t acc[4][4];
      for (int r = 0; r < 4; ++r) {
        for (int q = 0; q < 4; ++q) acc[r][q] = bias.val[q];
      }
      const int16_t* b = reinterpret_cast<const int16_t*>(tile + 64 + (kPerChannel ? 192 : 0));
      size_t kk = 0;
      for (; kk < k_main; kk += 8) {
        const int16x8_t va[4] = {vsubl_s8(vld1_s8(ar[0] + kk), za), vsubl_s8(vld1_s8(ar[1] + kk), za),
                                 vsubl_s8(vld1_s8(ar[2] + kk), za), vsubl_s8(vld1_s8(ar[3] + kk), za)};
        Step<0>(acc, b, va);
        Step<1>(acc, b, va);
        Step<2>(acc, b, va);
        Step<3>(acc, b, va);
        Step<4>(acc, b, va);
        Step<5>(acc, b, va);
        Step<6>(acc, b, va);
        Step<7>(acc, b, va);
      }
      for (; kk < k; ++kk) {
        const int16x8x2_t vb = {vld1q_s16(b), vld1q_s16(b + 8)};
        b += 16;
        for (int r = 0; r < 4; ++r) {
          const int16_t va = static_cast<int16_t>(ar[r][kk] - params.lhs_zero_point);
          acc[r][0] = vmlal_n_s16(acc[r][0], vget_low_s16(vb.val[0]), va);
          acc[r][1] = vmlal_high_n_s16(acc[r][1], vb.val[0], va);
          acc[r][2] = vmlal_n_s16(acc[r][2], vget_low_s16(vb.val[1]), va);
          acc[r][3] = vmlal_high_n_s16(acc[r][3], vb.val[1], va);
        }
      }

      int32x4_t y[4][4];
      if constexpr (kPerChannel) {
        const int32_t* q = reinterpret_cast<const int32_t*>(tile + 64);
        for (int v = 0; v < 4; ++v) {
          const QuantizedMultiplierVec qv = LoadQuantizedMultiplier(q + 4 * v, q + 16 + 4 * v, q + 32 + 4 * v);
          for (int r = 0; r < 4; ++r) y[r][v] = MultiplyByQuantizedMultiplier(acc[r][v], qv);
        }
      } else {
        for (int r = 0; r < 4; ++r) {
          for (int v = 0; v < 4; ++v) {
            if constexpr (kRequant == Qs8Requant::kPerTensorRightShift) {
              y[r][v] = MultiplyByQuantizedMultiplierRightShift(acc[r][v], tensor_q.multiplier, tensor_q.right_shift);
            } else {
              y[r][v] = MultiplyByQuantizedMultiplier(acc[r][v], tensor_q);
            }
          }
        }
      }
      int8x16_t out[4];
      for (int r = 0; r < 4; ++r) out[r] = NarrowToS8(y[r][0], y[r][1], y[r][2], y[r][3], zero_point, out_min, out_max);
      if (n - j >= 16) {
        for (int r = 3; r >= 0; --r) vst1q_s8(cr[r] + j, out[r]);
      } else {
        for (int r = 3; r >= 0; --r) StoreS8Partial(cr[r] + j, out[r], n - j);
      }
    }
  }
}

inline void Qs8GemmI16PerTensor(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed,
                                int8_t* c, size_t c_stride, const Qs8GemmParams& params) {
  if (params.multiplier.shift < 0) {
    Qs8GemmI16<Qs8Requant::kPerTensorRightShift>(m, n, k, a, a_stride, packed, c, c_stride, params);
  } else {
    Qs8GemmI16<Qs8Requant::kPerTensor>(m, n, k, a, a_stride, packed, c, c_stride, params);
  }
}

}  // namespace edgefuse::core::kernels::neon
