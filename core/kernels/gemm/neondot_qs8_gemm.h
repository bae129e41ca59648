// The qs8 x qs8 tile loop of the dot-product tier: 4 rows x 16 columns, 4 depths per
// SDOT lane (..._4x16c4). Packed layout: gemm.h; instantiated by the neondot.cc files
// of fully_connected and batch_matmul. Include only from a neondot.cc file.
//
// Per 16 depths of a tile: 4 four-register loads of B and 64 SDOT by lane (16
// multiply-accumulates each), plus 4 loads of A unless A stays in registers (streamed,
// A comes in two-register loads, 32 depths per loop step). The accumulators start at
// the column term (bias and zero points, from packing) plus the row term
// -zb * sum_k A. Attention heads are shallow (d_h <= 32), where the fixed cost of a
// tile (its start, requantization, narrowing, stores) is as large as its SDOT, so:
//  - for k <= 32 the rows of A are loaded once per row block and kept in registers;
//  - with zb == 0 the accumulators are loaded from the column term, not added to;
//  - the clamp is skipped when the output range is the whole int8 range;
//  - multipliers that all shift right (per tensor, or per channel as the packed header
//    says) use the 3-instruction requantization.
#pragma once

#include <arm_neon.h>

#include <cassert>

#include "core/kernels/gemm/gemm.h"
#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/requantization/neon_requantization.h"

namespace edgefuse::core::kernels::neondot {

enum class Qs8Requant {
  kPerTensorRightShift,   // one multiplier, shift < 0: the 3-instruction sequence
  kPerTensor,             // one multiplier, any shift
  kPerChannel,            // multipliers in the packed tiles
  kPerChannelRightShift,  // the same, every one shifting right: the 3-instruction sequence
};

constexpr bool IsPerChannel(Qs8Requant r) {
  return r == Qs8Requant::kPerChannel || r == Qs8Requant::kPerChannelRightShift;
}

namespace qs8_internal {

using Acc = int32x4_t[4][4];

template <int kLane>
EDGEFUSE_ALWAYS_INLINE void DotLane(Acc& acc, const int8x16x4_t& b, const int8x16_t (&a)[4]) {
  for (int r = 0; r < 4; ++r) {
    for (int q = 0; q < 4; ++q) acc[r][q] = vdotq_laneq_s32(acc[r][q], b.val[q], a[r], kLane);
  }
}

// The next 4 vectors of B. The empty asm hides the pointer's value from the compiler,
// which then advances it with the load (post-index) instead of adding offsets.
EDGEFUSE_ALWAYS_INLINE int8x16x4_t NextB(const int8_t*& b) {
  const int8x16x4_t v = vld1q_s8_x4(b);
  b += 64;
  asm("" : "+r"(b));
  return v;
}

// A row's next 32 depths, with the same post-indexed load.
EDGEFUSE_ALWAYS_INLINE int8x16x2_t NextA32(const int8_t*& a) {
  const int8x16x2_t v = vld1q_s8_x2(a);
  a += 32;
  asm("" : "+r"(a));
  return v;
}

// 16 depths: B holds four groups of 4 depths x 16 columns (64 bytes each).
EDGEFUSE_ALWAYS_INLINE void Dot16(Acc& acc, const int8_t*& b, const int8x16_t (&a)[4]) {
  DotLane<0>(acc, NextB(b), a);
  DotLane<1>(acc, NextB(b), a);
  DotLane<2>(acc, NextB(b), a);
  DotLane<3>(acc, NextB(b), a);
}

// A row's next 16 depths, zero-padded past k (never read past the row).
EDGEFUSE_ALWAYS_INLINE int8x16_t LoadA(const int8_t* row, size_t kk, size_t k) {
  return kk + 16 <= k ? vld1q_s8(row + kk) : neon::LoadS8Partial(row + kk, k - kk);
}

}  // namespace qs8_internal

// One tile's requantized, narrowed outputs (row r: 16 int8) from its accumulators.
template <Qs8Requant kRequant, bool kClamp>
EDGEFUSE_ALWAYS_INLINE void RequantizeTile(const qs8_internal::Acc& acc, const uint8_t* tile, int right_shift,
                                           const neon::QuantizedMultiplierVec& tensor_q, int16x8_t zero_point,
                                           int8x16_t out_min, int8x16_t out_max, int8x16_t (&out)[4]) {
  int16x8_t half[4][2];
  if constexpr (kRequant == Qs8Requant::kPerTensorRightShift) {
    // SQRSHRN takes its shift as an immediate: one case per shift, chosen per tile.
    switch (right_shift) {
#define EDGEFUSE_SHIFT_CASE(s)                                                                                        \
  case s:                                                                                                             \
    for (int r = 0; r < 4; ++r) {                                                                                     \
      half[r][0] = neon::MultiplyByQuantizedMultiplierRightShiftNarrow<s>(acc[r][0], acc[r][1], tensor_q.multiplier); \
      half[r][1] = neon::MultiplyByQuantizedMultiplierRightShiftNarrow<s>(acc[r][2], acc[r][3], tensor_q.multiplier); \
    }                                                                                                                 \
    break;
      EDGEFUSE_SHIFT_CASE(1)
      EDGEFUSE_SHIFT_CASE(2)
      EDGEFUSE_SHIFT_CASE(3)
      EDGEFUSE_SHIFT_CASE(4)
      EDGEFUSE_SHIFT_CASE(5)
      EDGEFUSE_SHIFT_CASE(6)
      EDGEFUSE_SHIFT_CASE(7)
      EDGEFUSE_SHIFT_CASE(8)
      EDGEFUSE_SHIFT_CASE(9)
      EDGEFUSE_SHIFT_CASE(10)
      EDGEFUSE_SHIFT_CASE(11)
      EDGEFUSE_SHIFT_CASE(12)
      EDGEFUSE_SHIFT_CASE(13)
      EDGEFUSE_SHIFT_CASE(14)
      EDGEFUSE_SHIFT_CASE(15)
      EDGEFUSE_SHIFT_CASE(16)
#undef EDGEFUSE_SHIFT_CASE
      default:
        for (int r = 0; r < 4; ++r) {
          for (int h = 0; h < 2; ++h) {
            const int32x4_t y0 =
                neon::MultiplyByQuantizedMultiplierRightShift(acc[r][2 * h], tensor_q.multiplier, tensor_q.right_shift);
            const int32x4_t y1 = neon::MultiplyByQuantizedMultiplierRightShift(acc[r][2 * h + 1], tensor_q.multiplier,
                                                                               tensor_q.right_shift);
            half[r][h] = vqmovn_high_s32(vqmovn_s32(y0), y1);
          }
        }
        break;
    }
  } else {
    int32x4_t y[4][4];
    if constexpr (kRequant == Qs8Requant::kPerChannelRightShift) {
      const int32_t* q = reinterpret_cast<const int32_t*>(tile + 64);
      for (int v = 0; v < 4; ++v) {
        const int32x4_t multiplier = vld1q_s32(q + 4 * v), right_shift = vld1q_s32(q + 32 + 4 * v);
        for (int r = 0; r < 4; ++r) {
          y[r][v] = neon::MultiplyByQuantizedMultiplierRightShift(acc[r][v], multiplier, right_shift);
        }
      }
    } else if constexpr (kRequant == Qs8Requant::kPerChannel) {
      const int32_t* q = reinterpret_cast<const int32_t*>(tile + 64);
      for (int v = 0; v < 4; ++v) {
        const neon::QuantizedMultiplierVec qv =
            neon::LoadQuantizedMultiplier(q + 4 * v, q + 16 + 4 * v, q + 32 + 4 * v);
        for (int r = 0; r < 4; ++r) y[r][v] = neon::MultiplyByQuantizedMultiplier(acc[r][v], qv);
      }
    } else {
      for (int r = 0; r < 4; ++r) {
        for (int v = 0; v < 4; ++v) y[r][v] = neon::MultiplyByQuantizedMultiplier(acc[r][v], tensor_q);
      }
    }
    for (int r = 0; r < 4; ++r) {
      half[r][0] = vqmovn_high_s32(vqmovn_s32(y[r][0]), y[r][1]);
      half[r][1] = vqmovn_high_s32(vqmovn_s32(y[r][2]), y[r][3]);
    }
  }
  for (int r = 0; r < 4; ++r) {
    // Without a clamp, saturating to int8 is the whole clamp.
    out[r] = kClamp ? neon::NarrowToS8(half[r][0], half[r][1], zero_point, out_min, out_max)
                    : neon::NarrowToS8(half[r][0], half[r][1], zero_point);
  }
}

// kHeld: 0 streams A per 16 depths (any k); 1 or 2 keep A in registers (k <= 16 kHeld).
template <Qs8Requant kRequant, bool kClamp, int kHeld>
void Qs8GemmC4Tiles(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                    size_t c_stride, const Qs8GemmParams& params) {
  using namespace qs8_internal;
  assert(n >= 1 && k >= 1 && k <= kMaxGemmDepth && (kHeld == 0 || k <= 16 * kHeld));
  constexpr bool kPerChannel = IsPerChannel(kRequant);
  const size_t kp = RoundUp(k, 16);
  const size_t tile_bytes = 64 + (kPerChannel ? 192 : 0) + 16 * kp;
  const int16x8_t zero_point = vdupq_n_s16(static_cast<int16_t>(params.output_zero_point));
  const int8x16_t out_min = vdupq_n_s8(static_cast<int8_t>(params.output_min));
  const int8x16_t out_max = vdupq_n_s8(static_cast<int8_t>(params.output_max));
  const neon::QuantizedMultiplierVec tensor_q = neon::DupQuantizedMultiplier(params.multiplier);
  // Copies: the output stores may alias params, which would make them reloads.
  const int32_t zb = params.rhs_zero_point;
  const int right_shift = -params.multiplier.shift;

  for (size_t i = 0; i < m; i += 4) {
    const int8_t* ar[4];
    int8_t* cr[4];
    neon::FourRows(a, a_stride, c, c_stride, i, m, ar, cr);
    // Held rows (k <= 32), or the zero-padded last 1-15 depths of a streamed row, and
    // the row terms -zb * sum_k A.
    const size_t k_main = kHeld != 0 ? 0 : k & ~size_t{15};
    int8x16_t held[2][4];
    int32_t row_term[4] = {0, 0, 0, 0};
    for (int r = 0; r < 4; ++r) {
      int32x4_t sum = vdupq_n_s32(0);
      if constexpr (kHeld != 0) {
        held[0][r] = LoadA(ar[r], 0, k);
        if constexpr (kHeld == 2) held[1][r] = LoadA(ar[r], 16, k);
        if (zb != 0) {
          sum = vdotq_s32(sum, held[0][r], vdupq_n_s8(1));
          if constexpr (kHeld == 2) sum = vdotq_s32(sum, held[1][r], vdupq_n_s8(1));
        }
      } else {
        held[0][r] = k_main < k ? LoadA(ar[r], k_main, k) : vdupq_n_s8(0);
        if (zb != 0) {
          sum = vdotq_s32(sum, held[0][r], vdupq_n_s8(1));
          for (size_t kk = 0; kk < k_main; kk += 16) sum = vdotq_s32(sum, vld1q_s8(ar[r] + kk), vdupq_n_s8(1));
        }
      }
      row_term[r] = static_cast<int32_t>(static_cast<uint32_t>(-zb) * static_cast<uint32_t>(vaddvq_s32(sum)));
    }

    // One tile: its outputs in out[4].
    auto tile_outputs = [&](const uint8_t* tile, int8x16_t(&out)[4]) EDGEFUSE_ALWAYS_INLINE_LAMBDA {
      const int32_t* column_term = reinterpret_cast<const int32_t*>(tile);
      Acc acc;
      if (zb == 0) {
        // The column terms loaded straight into the accumulators, in pairs (LDP takes any
        // two registers); the empty asm keeps the compiler from loading once and copying.
        for (int r = 0; r < 4; ++r) {
          asm("" : "+r"(column_term));
          for (int q = 0; q < 4; ++q) acc[r][q] = vld1q_s32(column_term + 4 * q);
        }
      } else {
        const int32x4x4_t v = vld1q_s32_x4(column_term);
        for (int r = 0; r < 4; ++r) {
          const int32x4_t rt = vdupq_n_s32(row_term[r]);
          for (int q = 0; q < 4; ++q) acc[r][q] = vaddq_s32(v.val[q], rt);
        }
      }
      const int8_t* b = reinterpret_cast<const int8_t*>(tile + 64 + (kPerChannel ? 192 : 0));
      if constexpr (kHeld != 0) {
        Dot16(acc, b, held[0]);
        if constexpr (kHeld == 2) Dot16(acc, b, held[1]);
      } else {
        size_t kk = 0;
        const int8_t* row[4] = {ar[0], ar[1], ar[2], ar[3]};
        for (; kk + 32 <= k_main; kk += 32) {  // 32 depths: one two-register load per row
          const int8x16x2_t r[4] = {NextA32(row[0]), NextA32(row[1]), NextA32(row[2]), NextA32(row[3])};
          Dot16(acc, b, {r[0].val[0], r[1].val[0], r[2].val[0], r[3].val[0]});
          Dot16(acc, b, {r[0].val[1], r[1].val[1], r[2].val[1], r[3].val[1]});
        }
        if (kk < k_main) {
          const int8x16_t va[4] = {vld1q_s8(ar[0] + kk), vld1q_s8(ar[1] + kk), vld1q_s8(ar[2] + kk),
                                   vld1q_s8(ar[3] + kk)};
          Dot16(acc, b, va);
        }
        if (k_main < k) Dot16(acc, b, held[0]);
      }
      RequantizeTile<kRequant, kClamp>(acc, tile, right_shift, tensor_q, zero_point, out_min, out_max, out);
    };

    const uint8_t* tile = static_cast<const uint8_t*>(packed);
    size_t j = 0;
    for (; j + 16 <= n; j += 16, tile += tile_bytes) {
      int8x16_t out[4];
      tile_outputs(tile, out);
      for (int r = 3; r >= 0; --r) vst1q_s8(cr[r] + j, out[r]);
    }
    if (j < n) {  // the last, partial tile
      int8x16_t out[4];
      tile_outputs(tile, out);
      for (int r = 3; r >= 0; --r) neon::StoreS8Partial(cr[r] + j, out[r], n - j);
    }
  }
}

template <Qs8Requant kRequant, bool kClamp>
void Qs8GemmC4Depth(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                    size_t c_stride, const Qs8GemmParams& params) {
  constexpr bool kPerChannel = IsPerChannel(kRequant);
  if (!kPerChannel && k <= 16) {
    Qs8GemmC4Tiles<kRequant, kClamp, 1>(m, n, k, a, a_stride, packed, c, c_stride, params);
  } else if (!kPerChannel && k <= 32) {
    Qs8GemmC4Tiles<kRequant, kClamp, 2>(m, n, k, a, a_stride, packed, c, c_stride, params);
  } else {
    Qs8GemmC4Tiles<kRequant, kClamp, 0>(m, n, k, a, a_stride, packed, c, c_stride, params);
  }
}

template <Qs8Requant kRequant>
void Qs8GemmC4(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
               size_t c_stride, const Qs8GemmParams& params) {
  if (params.output_min == -128 && params.output_max == 127) {
    Qs8GemmC4Depth<kRequant, false>(m, n, k, a, a_stride, packed, c, c_stride, params);
  } else {
    Qs8GemmC4Depth<kRequant, true>(m, n, k, a, a_stride, packed, c, c_stride, params);
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
