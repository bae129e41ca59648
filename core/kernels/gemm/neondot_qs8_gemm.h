// The qs8 x qs8 tile loop of the dot-product tier: 4 rows x 16 columns, 4 depths per
// SDOT lane (..._4x16c4). Packed layout: gemm.h; instantiated by the neondot.cc files
// of fully_connected and batch_matmul. Include only from a neondot.cc file.
//
// Per 16 depths of a tile: 4 loads of A (16 bytes per row), 4 four-register loads of B
// and 64 SDOT by lane, 16 multiply-accumulates each. The accumulators start at the
// column term (bias and zero points, from packing) plus the row term -zb * sum_k A.
#pragma once

#include <arm_neon.h>

#include <cassert>

#include "core/kernels/gemm/gemm.h"
#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/requantization/neon_requantization.h"

namespace edgefuse::core::kernels::neondot {

enum class Qs8Requant {
  kPerTensorRightShift,  // one multiplier, shift < 0: the 3-instruction sequence
  kPerTensor,            // one multiplier, any shift
  kPerChannel,           // multipliers in the packed tiles
};

namespace qs8_internal {

template <int kLane>
inline void DotLane(int32x4_t (&acc)[4][4], const int8x16_t (&b)[4], const int8x16_t (&a)[4]) {
  for (int r = 0; r < 4; ++r) {
    for (int q = 0; q < 4; ++q) acc[r][q] = vdotq_laneq_s32(acc[r][q], b[q], a[r], kLane);
  }
}

// 16 depths: B holds four groups of 4 depths x 16 columns (64 bytes each).
inline void Dot16(int32x4_t (&acc)[4][4], const int8_t*& b, const int8x16_t (&a)[4]) {
  const int8x16x4_t b0 = vld1q_s8_x4(b);
  DotLane<0>(acc, {b0.val[0], b0.val[1], b0.val[2], b0.val[3]}, a);
  const int8x16x4_t b1 = vld1q_s8_x4(b + 64);
  DotLane<1>(acc, {b1.val[0], b1.val[1], b1.val[2], b1.val[3]}, a);
  const int8x16x4_t b2 = vld1q_s8_x4(b + 128);
  DotLane<2>(acc, {b2.val[0], b2.val[1], b2.val[2], b2.val[3]}, a);
  const int8x16x4_t b3 = vld1q_s8_x4(b + 192);
  DotLane<3>(acc, {b3.val[0], b3.val[1], b3.val[2], b3.val[3]}, a);
  b += 256;
}

}  // namespace qs8_internal

template <Qs8Requant kRequant>
void Qs8GemmC4(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
               size_t c_stride, const Qs8GemmParams& params) {
  using namespace qs8_internal;
  assert(n >= 1 && k >= 1 && k <= kMaxGemmDepth);
  constexpr bool kPerChannel = kRequant == Qs8Requant::kPerChannel;
  const size_t kp = RoundUp(k, 16);
  const size_t tile_bytes = 64 + (kPerChannel ? 192 : 0) + 16 * kp;
  const size_t k_main = k & ~size_t{15};
  const size_t k_tail = k - k_main;
  const int16x8_t zero_point = vdupq_n_s16(static_cast<int16_t>(params.output_zero_point));
  const int8x16_t out_min = vdupq_n_s8(static_cast<int8_t>(params.output_min));
  const int8x16_t out_max = vdupq_n_s8(static_cast<int8_t>(params.output_max));
  const neon::QuantizedMultiplierVec tensor_q = neon::DupQuantizedMultiplier(params.multiplier);
  const int32_t zb = params.rhs_zero_point;

  for (size_t i = 0; i < m; i += 4) {
    // Rows past m alias the last row: computed twice, stored to the same place.
    const int8_t* ar[4];
    int8_t* cr[4];
    ar[0] = a + i * a_stride;
    cr[0] = c + i * c_stride;
    for (int r = 1; r < 4; ++r) {
      const bool valid = i + r < m;
      ar[r] = valid ? ar[r - 1] + a_stride : ar[r - 1];
      cr[r] = valid ? cr[r - 1] + c_stride : cr[r - 1];
    }
    int8x16_t a_tail[4];
    int32x4_t row_term[4];
    for (int r = 0; r < 4; ++r) {
      a_tail[r] = k_tail != 0 ? neon::LoadS8Partial(ar[r] + k_main, k_tail) : vdupq_n_s8(0);
      int32_t sum = 0;
      if (zb != 0) {
        int32x4_t s = vdotq_s32(vdupq_n_s32(0), a_tail[r], vdupq_n_s8(1));
        for (size_t kk = 0; kk < k_main; kk += 16) s = vdotq_s32(s, vld1q_s8(ar[r] + kk), vdupq_n_s8(1));
        sum = vaddvq_s32(s);
      }
      row_term[r] = vdupq_n_s32(static_cast<int32_t>(static_cast<uint32_t>(-zb) * static_cast<uint32_t>(sum)));
    }

    const uint8_t* tile = static_cast<const uint8_t*>(packed);
    for (size_t j = 0; j < n; j += 16, tile += tile_bytes) {
      const int32x4x4_t column_term = vld1q_s32_x4(reinterpret_cast<const int32_t*>(tile));
      int32x4_t acc[4][4];
      for (int r = 0; r < 4; ++r) {
        for (int q = 0; q < 4; ++q) acc[r][q] = vaddq_s32(column_term.val[q], row_term[r]);
      }
      const int8_t* b = reinterpret_cast<const int8_t*>(tile + 64 + (kPerChannel ? 192 : 0));
      for (size_t kk = 0; kk < k_main; kk += 16) {
        const int8x16_t va[4] = {vld1q_s8(ar[0] + kk), vld1q_s8(ar[1] + kk), vld1q_s8(ar[2] + kk),
                                 vld1q_s8(ar[3] + kk)};
        Dot16(acc, b, va);
      }
      if (k_tail != 0) Dot16(acc, b, a_tail);

      int32x4_t y[4][4];
      if constexpr (kRequant == Qs8Requant::kPerChannel) {
        const int32_t* q = reinterpret_cast<const int32_t*>(tile + 64);
        for (int v = 0; v < 4; ++v) {
          const neon::QuantizedMultiplierVec qv =
              neon::LoadQuantizedMultiplier(q + 4 * v, q + 16 + 4 * v, q + 32 + 4 * v);
          for (int r = 0; r < 4; ++r) y[r][v] = neon::MultiplyByQuantizedMultiplier(acc[r][v], qv);
        }
      } else {
        for (int r = 0; r < 4; ++r) {
          for (int v = 0; v < 4; ++v) {
            if constexpr (kRequant == Qs8Requant::kPerTensorRightShift) {
              y[r][v] =
                  neon::MultiplyByQuantizedMultiplierRightShift(acc[r][v], tensor_q.multiplier, tensor_q.right_shift);
            } else {
              y[r][v] = neon::MultiplyByQuantizedMultiplier(acc[r][v], tensor_q);
            }
          }
        }
      }
      int8x16_t out[4];
      for (int r = 0; r < 4; ++r)
        out[r] = neon::NarrowToS8(y[r][0], y[r][1], y[r][2], y[r][3], zero_point, out_min, out_max);
      if (n - j >= 16) {
        for (int r = 3; r >= 0; --r) vst1q_s8(cr[r] + j, out[r]);
      } else {
        for (int r = 3; r >= 0; --r) neon::StoreS8Partial(cr[r] + j, out[r], n - j);
      }
    }
  }
}

// Per-tensor requantization: the fast sequence when the multiplier shifts right.
inline void Qs8GemmC4PerTensor(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed,
                               int8_t* c, size_t c_stride, const Qs8GemmParams& params) {
  if (params.multiplier.shift < 0) {
    Qs8GemmC4<Qs8Requant::kPerTensorRightShift>(m, n, k, a, a_stride, packed, c, c_stride, params);
  } else {
    Qs8GemmC4<Qs8Requant::kPerTensor>(m, n, k, a, a_stride, packed, c, c_stride, params);
  }
}

}  // namespace edgefuse::core::kernels::neondot
