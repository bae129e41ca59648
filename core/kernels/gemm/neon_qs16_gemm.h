// The tile loops of the ARMv8.0 tier with int16 A and the 64-bit requantization path
// (TFLite's 16x8 arithmetic). Packed layouts: gemm.h. Include only from a neon.cc file.
//
//  - Qs16Qs8GemmI16 (..._4x16): B - zb in int16 (|B - zb| <= 255), so a product of
//    A and B - zb stays below 2^23 and 256 of them fit an int32; every 256 depths the
//    int32 sums are multiplied by the Q15 multiplier M into int64 (SMLAL), which is
//    exactly x * M of the 64-bit path.
//  - Qs16GemmSplit (..._4x8): int16 x int16 with B = 256 Bh + Bl (Bh in [-128, 127],
//    Bl in [0, 255]), two SMLAL per product; x * M = sum_h * (256 M) + sum_l * M.
#pragma once

#include <arm_neon.h>

#include <cassert>
#include <type_traits>

#include "core/kernels/gemm/gemm.h"
#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/gemm/pack.h"
#include "core/kernels/requantization/neon_requantization.h"

namespace edgefuse::core::kernels::neon {

// Depths whose int32 partial sums cannot overflow (see above).
inline constexpr size_t kQs16Chunk = 256;

namespace qs16_internal {

template <int kLane>
EDGEFUSE_ALWAYS_INLINE void Step16(int32x4_t (&acc)[4][4], const int16_t*& b, const int16x8_t (&a)[4]) {
  const int16x8x2_t vb = vld1q_s16_x2(b);
  b += 16;
  for (int r = 0; r < 4; ++r) {
    acc[r][0] = vmlal_laneq_s16(acc[r][0], vget_low_s16(vb.val[0]), a[r], kLane);
    acc[r][1] = vmlal_high_laneq_s16(acc[r][1], vb.val[0], a[r], kLane);
    acc[r][2] = vmlal_laneq_s16(acc[r][2], vget_low_s16(vb.val[1]), a[r], kLane);
    acc[r][3] = vmlal_high_laneq_s16(acc[r][3], vb.val[1], a[r], kLane);
  }
}

template <int kLane>
EDGEFUSE_ALWAYS_INLINE void StepSplit(int32x4_t (&hi)[4][2], int32x4_t (&lo)[4][2], const int16_t*& b,
                                      const int16x8_t (&a)[4]) {
  const int16x8x2_t vb = vld1q_s16_x2(b);  // Bh of 8 columns, then Bl
  b += 16;
  for (int r = 0; r < 4; ++r) {
    hi[r][0] = vmlal_laneq_s16(hi[r][0], vget_low_s16(vb.val[0]), a[r], kLane);
    hi[r][1] = vmlal_high_laneq_s16(hi[r][1], vb.val[0], a[r], kLane);
    lo[r][0] = vmlal_laneq_s16(lo[r][0], vget_low_s16(vb.val[1]), a[r], kLane);
    lo[r][1] = vmlal_high_laneq_s16(lo[r][1], vb.val[1], a[r], kLane);
  }
}

inline void RowPointers(size_t i, size_t m, const int16_t* a, size_t a_stride, void* c, size_t c_stride,
                        const int16_t* (&ar)[4], char* (&cr)[4]) {
  ar[0] = reinterpret_cast<const int16_t*>(reinterpret_cast<const char*>(a) + i * a_stride);
  cr[0] = static_cast<char*>(c) + i * c_stride;
  for (int r = 1; r < 4; ++r) {
    const bool valid = i + r < m;
    ar[r] = valid ? reinterpret_cast<const int16_t*>(reinterpret_cast<const char*>(ar[r - 1]) + a_stride) : ar[r - 1];
    cr[r] = valid ? cr[r - 1] + c_stride : cr[r - 1];
  }
}

// Stores 16 requantized columns of one row.
template <class Out>
inline void StoreRow(Out* dst, const int32x4_t (&y)[4], size_t n, int32_t zero_point, int32_t min, int32_t max) {
  if constexpr (std::is_same_v<Out, int8_t>) {
    const int8x16_t v = NarrowToS8(y[0], y[1], y[2], y[3], vdupq_n_s16(static_cast<int16_t>(zero_point)),
                                   vdupq_n_s8(static_cast<int8_t>(min)), vdupq_n_s8(static_cast<int8_t>(max)));
    if (n >= 16) {
      vst1q_s8(dst, v);
    } else {
      StoreS8Partial(dst, v, n);
    }
  } else {
    const int32x4_t zp = vdupq_n_s32(zero_point);
    const int16x8_t vmin = vdupq_n_s16(static_cast<int16_t>(min)), vmax = vdupq_n_s16(static_cast<int16_t>(max));
    const int16x8_t v0 = NarrowToS16(y[0], y[1], zp, vmin, vmax);
    const int16x8_t v1 = NarrowToS16(y[2], y[3], zp, vmin, vmax);
    if (n >= 16) {
      vst1q_s16(dst, v0);
      vst1q_s16(dst + 8, v1);
    } else if (n >= 8) {
      vst1q_s16(dst, v0);
      if (n > 8) StoreS16Partial(dst + 8, v1, n - 8);
    } else {
      StoreS16Partial(dst, v0, n);
    }
  }
}

}  // namespace qs16_internal

template <class Out>
void Qs16Qs8GemmI16(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, Out* c,
                    size_t c_stride, const Qs16GemmParams& params) {
  using namespace qs16_internal;
  assert(n >= 1 && k >= 1 && k <= kMaxGemmDepth);
  const size_t tile_bytes = pack::Qs16Qs8I16TileBytes(k);
  for (size_t i = 0; i < m; i += 4) {
    const int16_t* ar[4];
    char* cr[4];
    RowPointers(i, m, a, a_stride, c, c_stride, ar, cr);
    const uint8_t* tile = static_cast<const uint8_t*>(packed);
    for (size_t j = 0; j < n; j += 16, tile += tile_bytes) {
      const int64_t* column = reinterpret_cast<const int64_t*>(tile);            // C * M
      const int32_t* multiplier = reinterpret_cast<const int32_t*>(tile + 128);  // M
      const int64_t* neg_shift = reinterpret_cast<const int64_t*>(tile + 192);   // -S
      // x * M per output, in memory: it is touched once per chunk of depths.
      alignas(16) int64_t part[4][16];
      for (int r = 0; r < 4; ++r) {
        for (int h = 0; h < 8; ++h) vst1q_s64(&part[r][2 * h], vld1q_s64(column + 2 * h));
      }
      const int16_t* b = reinterpret_cast<const int16_t*>(tile + pack::kQs16Qs8I16HeaderBytes);
      for (size_t k0 = 0; k0 < k; k0 += kQs16Chunk) {
        const size_t k1 = k0 + kQs16Chunk < k ? k0 + kQs16Chunk : k;
        int32x4_t acc[4][4];
        for (int r = 0; r < 4; ++r) {
          for (int q = 0; q < 4; ++q) acc[r][q] = vdupq_n_s32(0);
        }
        size_t kk = k0;
        for (; kk + 8 <= k1; kk += 8) {
          const int16x8_t va[4] = {vld1q_s16(ar[0] + kk), vld1q_s16(ar[1] + kk), vld1q_s16(ar[2] + kk),
                                   vld1q_s16(ar[3] + kk)};
          Step16<0>(acc, b, va);
          Step16<1>(acc, b, va);
          Step16<2>(acc, b, va);
          Step16<3>(acc, b, va);
          Step16<4>(acc, b, va);
          Step16<5>(acc, b, va);
          Step16<6>(acc, b, va);
          Step16<7>(acc, b, va);
        }
        for (; kk < k1; ++kk) {
          const int16x8x2_t vb = vld1q_s16_x2(b);
          b += 16;
          for (int r = 0; r < 4; ++r) {
            acc[r][0] = vmlal_n_s16(acc[r][0], vget_low_s16(vb.val[0]), ar[r][kk]);
            acc[r][1] = vmlal_high_n_s16(acc[r][1], vb.val[0], ar[r][kk]);
            acc[r][2] = vmlal_n_s16(acc[r][2], vget_low_s16(vb.val[1]), ar[r][kk]);
            acc[r][3] = vmlal_high_n_s16(acc[r][3], vb.val[1], ar[r][kk]);
          }
        }
        for (int q = 0; q < 4; ++q) {
          const int32x4_t mq = vld1q_s32(multiplier + 4 * q);
          for (int r = 0; r < 4; ++r) {
            int64_t* p = &part[r][4 * q];
            vst1q_s64(p, vmlal_s32(vld1q_s64(p), vget_low_s32(acc[r][q]), vget_low_s32(mq)));
            vst1q_s64(p + 2, vmlal_high_s32(vld1q_s64(p + 2), acc[r][q], mq));
          }
        }
      }
      int32x4_t y[4][4];
      for (int q = 0; q < 4; ++q) {
        const int64x2_t s0 = vld1q_s64(neg_shift + 4 * q), s1 = vld1q_s64(neg_shift + 4 * q + 2);
        for (int r = 0; r < 4; ++r) {
          y[r][q] = ReducedRequantize(vld1q_s64(&part[r][4 * q]), vld1q_s64(&part[r][4 * q + 2]), s0, s1);
        }
      }
      for (int r = 3; r >= 0; --r) {
        StoreRow(reinterpret_cast<Out*>(cr[r]) + j, y[r], n - j, params.output_zero_point, params.output_min,
                 params.output_max);
      }
    }
  }
}

inline void Qs16GemmSplit(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed,
                          int16_t* c, size_t c_stride, const Qs16GemmParams& params) {
  using namespace qs16_internal;
  assert(n >= 1 && k >= 1 && k <= kMaxGemmDepth);
  assert(params.lhs_zero_point == 0 && params.rhs_zero_point == 0);
  const size_t tile_bytes = pack::Qs16SplitTileBytes(k);
  const int32_t reduced = ReducedMultiplier(params.multiplier.multiplier);
  const int32x2_t m_lo = vdup_n_s32(reduced), m_hi = vdup_n_s32(reduced * 256);
  const int64x2_t neg_shift = vdupq_n_s64(-ReducedShift(params.multiplier));
  const int32x4_t zp = vdupq_n_s32(params.output_zero_point);
  const int16x8_t vmin = vdupq_n_s16(static_cast<int16_t>(params.output_min));
  const int16x8_t vmax = vdupq_n_s16(static_cast<int16_t>(params.output_max));
  for (size_t i = 0; i < m; i += 4) {
    const int16_t* ar[4];
    char* cr[4];
    RowPointers(i, m, a, a_stride, c, c_stride, ar, cr);
    const uint8_t* tile = static_cast<const uint8_t*>(packed);
    for (size_t j = 0; j < n; j += 8, tile += tile_bytes) {
      alignas(16) int64_t part[4][8] = {};  // x * M per output, touched once per chunk
      const int16_t* b = reinterpret_cast<const int16_t*>(tile);
      for (size_t k0 = 0; k0 < k; k0 += kQs16Chunk) {
        const size_t k1 = k0 + kQs16Chunk < k ? k0 + kQs16Chunk : k;
        int32x4_t hi[4][2], lo[4][2];
        for (int r = 0; r < 4; ++r) {
          hi[r][0] = hi[r][1] = lo[r][0] = lo[r][1] = vdupq_n_s32(0);
        }
        size_t kk = k0;
        for (; kk + 8 <= k1; kk += 8) {
          const int16x8_t va[4] = {vld1q_s16(ar[0] + kk), vld1q_s16(ar[1] + kk), vld1q_s16(ar[2] + kk),
                                   vld1q_s16(ar[3] + kk)};
          StepSplit<0>(hi, lo, b, va);
          StepSplit<1>(hi, lo, b, va);
          StepSplit<2>(hi, lo, b, va);
          StepSplit<3>(hi, lo, b, va);
          StepSplit<4>(hi, lo, b, va);
          StepSplit<5>(hi, lo, b, va);
          StepSplit<6>(hi, lo, b, va);
          StepSplit<7>(hi, lo, b, va);
        }
        for (; kk < k1; ++kk) {
          const int16x8x2_t vb = vld1q_s16_x2(b);
          b += 16;
          for (int r = 0; r < 4; ++r) {
            hi[r][0] = vmlal_n_s16(hi[r][0], vget_low_s16(vb.val[0]), ar[r][kk]);
            hi[r][1] = vmlal_high_n_s16(hi[r][1], vb.val[0], ar[r][kk]);
            lo[r][0] = vmlal_n_s16(lo[r][0], vget_low_s16(vb.val[1]), ar[r][kk]);
            lo[r][1] = vmlal_high_n_s16(lo[r][1], vb.val[1], ar[r][kk]);
          }
        }
        for (int r = 0; r < 4; ++r) {
          for (int q = 0; q < 2; ++q) {
            int64_t* p = &part[r][4 * q];
            vst1q_s64(p,
                      vmlal_s32(vmlal_s32(vld1q_s64(p), vget_low_s32(hi[r][q]), m_hi), vget_low_s32(lo[r][q]), m_lo));
            vst1q_s64(p + 2, vmlal_s32(vmlal_s32(vld1q_s64(p + 2), vget_high_s32(hi[r][q]), m_hi),
                                       vget_high_s32(lo[r][q]), m_lo));
          }
        }
      }
      int16x8_t v[4];
      for (int r = 0; r < 4; ++r) {
        const int32x4_t y0 = ReducedRequantize(vld1q_s64(&part[r][0]), vld1q_s64(&part[r][2]), neg_shift, neg_shift);
        const int32x4_t y1 = ReducedRequantize(vld1q_s64(&part[r][4]), vld1q_s64(&part[r][6]), neg_shift, neg_shift);
        v[r] = NarrowToS16(y0, y1, zp, vmin, vmax);
      }
      for (int r = 3; r >= 0; --r) {
        int16_t* dst = reinterpret_cast<int16_t*>(cr[r]) + j;
        if (n - j >= 8) {
          vst1q_s16(dst, v[r]);
        } else {
          StoreS16Partial(dst, v[r], n - j);
        }
      }
    }
  }
}

}  // namespace edgefuse::core::kernels::neon
