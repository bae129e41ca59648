// The tile loops of the ARMv8.0 tier with int16 A and the 64-bit requantization path
// (TFLite's 16x8 arithmetic). Packed layouts: gemm.h. Include only from a neon.cc file.
//
//  - Qs16Qs8GemmI16 (..._4x16): B - zb in int16 (|B - zb| <= 255), so a product of
//    A and B - zb stays below 2^23 and 256 of them fit an int32; every 256 depths the
//    int32 sums are multiplied by the Q15 multiplier M into int64 (SMLAL), which is
//    exactly x * M of the 64-bit path.
//  - Qs16GemmSplit (..._4x8): int16 x int16. A product needs 31 bits, so in general B is
//    split, B = 256 Bh + Bl (Bh in [-128, 127], Bl in [0, 255]): two SMLAL per product
//    and x * M = sum_h * (256 M) + sum_l * M. But when sum_k |A[i][k]| * max |B| < 2^31
//    for every row of a tile, no int32 sum can overflow and one SMLAL per product on B
//    whole is exact: always the case for P V with softmax probabilities (sum_k P ~ 2^15).
//    The kernel checks the bound per row block and tile (the packing records max |B|).
#pragma once

#include <arm_neon.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <type_traits>

#include "core/kernels/gemm/gemm.h"
#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/gemm/pack.h"
#include "core/kernels/requantization/neon_requantization.h"

namespace edgefuse::core::kernels::neon {

// Depths whose int32 partial sums cannot overflow (see above).
inline constexpr size_t kQs16Chunk = 256;

namespace qs16_internal {

// One depth of a 4-row tile, A's lane kLane times a row of packed B, for each kernel:
// Qs16Qs8Step: 16 columns of B - zb; SplitStep: 8 columns of Bh and Bl; WholeStep: 8
// columns of B whole. B's two vectors are loaded with two loads (one LDP), not LD1 {2
// registers}, whose consecutive registers cost moves around the accumulators.
struct Qs16Qs8Step {
  using Acc = int32x4_t[4][4];
  template <int kLane>
  EDGEFUSE_ALWAYS_INLINE static void Lane(Acc& acc, const int16_t*& b, const int16x8_t (&a)[4]) {
    const int16x8_t b0 = vld1q_s16(b), b1 = vld1q_s16(b + 8);
    b += 16;
    for (int r = 0; r < 4; ++r) {
      acc[r][0] = vmlal_laneq_s16(acc[r][0], vget_low_s16(b0), a[r], kLane);
      acc[r][1] = vmlal_high_laneq_s16(acc[r][1], b0, a[r], kLane);
      acc[r][2] = vmlal_laneq_s16(acc[r][2], vget_low_s16(b1), a[r], kLane);
      acc[r][3] = vmlal_high_laneq_s16(acc[r][3], b1, a[r], kLane);
    }
  }
};

struct SplitStep {
  struct Acc {
    int32x4_t hi[4][2], lo[4][2];
  };
  template <int kLane>
  EDGEFUSE_ALWAYS_INLINE static void Lane(Acc& acc, const int16_t*& b, const int16x8_t (&a)[4]) {
    const int16x8_t bh = vld1q_s16(b), bl = vld1q_s16(b + 8);
    b += 16;
    for (int r = 0; r < 4; ++r) {
      acc.hi[r][0] = vmlal_laneq_s16(acc.hi[r][0], vget_low_s16(bh), a[r], kLane);
      acc.hi[r][1] = vmlal_high_laneq_s16(acc.hi[r][1], bh, a[r], kLane);
      acc.lo[r][0] = vmlal_laneq_s16(acc.lo[r][0], vget_low_s16(bl), a[r], kLane);
      acc.lo[r][1] = vmlal_high_laneq_s16(acc.lo[r][1], bl, a[r], kLane);
    }
  }
};

struct WholeStep {
  using Acc = int32x4_t[4][2];
  template <int kLane>
  EDGEFUSE_ALWAYS_INLINE static void Lane(Acc& acc, const int16_t*& b, const int16x8_t (&a)[4]) {
    const int16x8_t vb = vld1q_s16(b);
    b += 8;
    for (int r = 0; r < 4; ++r) {
      acc[r][0] = vmlal_laneq_s16(acc[r][0], vget_low_s16(vb), a[r], kLane);
      acc[r][1] = vmlal_high_laneq_s16(acc[r][1], vb, a[r], kLane);
    }
  }
};

// Depths [k0, k1) of 4 rows of A into acc: 8 at a time by lane, then one at a time
// (the remaining depths broadcast into lane 0).
template <class Step>
EDGEFUSE_ALWAYS_INLINE void DepthLoop(typename Step::Acc& acc, const int16_t*& b, const int16_t* const (&ar)[4],
                                      size_t k0, size_t k1) {
  size_t kk = k0;
  for (; kk + 8 <= k1; kk += 8) {
    const int16x8_t va[4] = {vld1q_s16(ar[0] + kk), vld1q_s16(ar[1] + kk), vld1q_s16(ar[2] + kk),
                             vld1q_s16(ar[3] + kk)};
    Step::template Lane<0>(acc, b, va);
    Step::template Lane<1>(acc, b, va);
    Step::template Lane<2>(acc, b, va);
    Step::template Lane<3>(acc, b, va);
    Step::template Lane<4>(acc, b, va);
    Step::template Lane<5>(acc, b, va);
    Step::template Lane<6>(acc, b, va);
    Step::template Lane<7>(acc, b, va);
  }
  for (; kk < k1; ++kk) {
    const int16x8_t va[4] = {vdupq_n_s16(ar[0][kk]), vdupq_n_s16(ar[1][kk]), vdupq_n_s16(ar[2][kk]),
                             vdupq_n_s16(ar[3][kk])};
    Step::template Lane<0>(acc, b, va);
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

// Sums of one chunk of depths [k0, k1) (k1 - k0 <= kQs16Chunk) into zeroed acc.
EDGEFUSE_ALWAYS_INLINE void AccumulateQs16Qs8(int32x4_t (&acc)[4][4], const int16_t*& b, const int16_t* const (&ar)[4],
                                              size_t k0, size_t k1) {
  for (int r = 0; r < 4; ++r) {
    for (int q = 0; q < 4; ++q) acc[r][q] = vdupq_n_s32(0);
  }
  DepthLoop<Qs16Qs8Step>(acc, b, ar, k0, k1);
}

}  // namespace qs16_internal

template <class Out>
void Qs16Qs8GemmI16(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, Out* c,
                    size_t c_stride, const Qs16GemmParams& params) {
  using namespace qs16_internal;
  assert(n >= 1 && k >= 1 && k <= kMaxGemmDepth);
  const size_t tile_bytes = pack::Qs16Qs8I16TileBytes(k);
  const int32_t zc = params.output_zero_point, out_min = params.output_min, out_max = params.output_max;
  for (size_t i = 0; i < m; i += 4) {
    const int16_t* ar[4];
    char* cr[4];
    RowPointers(i, m, a, a_stride, c, c_stride, ar, cr);
    const uint8_t* tile = static_cast<const uint8_t*>(packed);
    for (size_t j = 0; j < n; j += 16, tile += tile_bytes) {
      const int64_t* column = reinterpret_cast<const int64_t*>(tile);            // C * M
      const int32_t* multiplier = reinterpret_cast<const int32_t*>(tile + 128);  // M
      const int64_t* neg_shift = reinterpret_cast<const int64_t*>(tile + 192);   // -S
      const int16_t* b = reinterpret_cast<const int16_t*>(tile + pack::kQs16Qs8I16HeaderBytes);
      int32x4_t y[4][4];
      int32x4_t acc[4][4];
      if (k <= kQs16Chunk) {
        // One chunk: x * M = C * M + sum * M straight from the int32 sums.
        AccumulateQs16Qs8(acc, b, ar, 0, k);
        for (int q = 0; q < 4; ++q) {
          const int32x4_t mq = vld1q_s32(multiplier + 4 * q);
          const int64x2_t c0 = vld1q_s64(column + 4 * q), c1 = vld1q_s64(column + 4 * q + 2);
          const int64x2_t s0 = vld1q_s64(neg_shift + 4 * q), s1 = vld1q_s64(neg_shift + 4 * q + 2);
          for (int r = 0; r < 4; ++r) {
            y[r][q] = ReducedRequantize(vmlal_s32(c0, vget_low_s32(acc[r][q]), vget_low_s32(mq)),
                                        vmlal_high_s32(c1, acc[r][q], mq), s0, s1);
          }
        }
      } else {
        // x * M per output in memory, touched once per chunk of depths.
        alignas(16) int64_t part[4][16];
        for (int r = 0; r < 4; ++r) {
          for (int h = 0; h < 8; ++h) vst1q_s64(&part[r][2 * h], vld1q_s64(column + 2 * h));
        }
        for (size_t k0 = 0; k0 < k; k0 += kQs16Chunk) {
          AccumulateQs16Qs8(acc, b, ar, k0, k0 + kQs16Chunk < k ? k0 + kQs16Chunk : k);
          for (int q = 0; q < 4; ++q) {
            const int32x4_t mq = vld1q_s32(multiplier + 4 * q);
            for (int r = 0; r < 4; ++r) {
              int64_t* p = &part[r][4 * q];
              vst1q_s64(p, vmlal_s32(vld1q_s64(p), vget_low_s32(acc[r][q]), vget_low_s32(mq)));
              vst1q_s64(p + 2, vmlal_high_s32(vld1q_s64(p + 2), acc[r][q], mq));
            }
          }
        }
        for (int q = 0; q < 4; ++q) {
          const int64x2_t s0 = vld1q_s64(neg_shift + 4 * q), s1 = vld1q_s64(neg_shift + 4 * q + 2);
          for (int r = 0; r < 4; ++r) {
            y[r][q] = ReducedRequantize(vld1q_s64(&part[r][4 * q]), vld1q_s64(&part[r][4 * q + 2]), s0, s1);
          }
        }
      }
      for (int r = 3; r >= 0; --r) StoreRow(reinterpret_cast<Out*>(cr[r]) + j, y[r], n - j, zc, out_min, out_max);
    }
  }
}

namespace qs16_internal {

// One 4x8 tile of Qs16GemmSplit. The requantization reads the parameters through a
// pointer the compiler cannot see through (the empty asm), so that their constants are
// made after the depth loop instead of being hoisted out of the tile loop and kept live
// across it, where the 16 accumulators need every register.
EDGEFUSE_ALWAYS_INLINE void Qs16SplitTile(const int16_t* const (&ar)[4], const int16_t* b, size_t k,
                                          char* const (&cr)[4], size_t cols, const Qs16GemmParams* params) {
  SplitStep::Acc sums;
  auto& hi = sums.hi;
  auto& lo = sums.lo;
  auto accumulate = [&](size_t k0, size_t k1) EDGEFUSE_ALWAYS_INLINE_LAMBDA {
    for (int r = 0; r < 4; ++r) hi[r][0] = hi[r][1] = lo[r][0] = lo[r][1] = vdupq_n_s32(0);
    DepthLoop<SplitStep>(sums, b, ar, k0, k1);
  };
  // x * M per output: sum_h * (256 M) + sum_l * M, one int64 pair per 2 outputs.
  const int32_t reduced = ReducedMultiplier(params->multiplier.multiplier);
  const int64x2_t neg_shift = vdupq_n_s64(-ReducedShift(params->multiplier));
  const int32x4_t zp = vdupq_n_s32(params->output_zero_point);
  const int16x8_t vmin = vdupq_n_s16(static_cast<int16_t>(params->output_min));
  const int16x8_t vmax = vdupq_n_s16(static_cast<int16_t>(params->output_max));
  auto times_m = [&](int64x2_t* x, int r, int q) EDGEFUSE_ALWAYS_INLINE_LAMBDA {
    const int32x4_t m_lo = vdupq_n_s32(reduced), m_hi = vdupq_n_s32(reduced * 256);
    x[0] = vmlal_s32(vmlal_s32(x[0], vget_low_s32(hi[r][q]), vget_low_s32(m_hi)), vget_low_s32(lo[r][q]),
                     vget_low_s32(m_lo));
    x[1] = vmlal_high_s32(vmlal_high_s32(x[1], hi[r][q], m_hi), lo[r][q], m_lo);
  };
  int16x8_t v[4];
  if (k <= kQs16Chunk) {  // one chunk: straight from the registers
    accumulate(0, k);
    asm("" : "+r"(params));
    for (int r = 0; r < 4; ++r) {
      int32x4_t y[2];
      for (int q = 0; q < 2; ++q) {
        int64x2_t x[2] = {vdupq_n_s64(0), vdupq_n_s64(0)};
        times_m(x, r, q);
        y[q] = ReducedRequantize(x[0], x[1], neg_shift, neg_shift);
      }
      v[r] = NarrowToS16(y[0], y[1], zp, vmin, vmax);
    }
  } else {
    alignas(16) int64_t part[4][8] = {};  // touched once per chunk of depths
    for (size_t k0 = 0; k0 < k; k0 += kQs16Chunk) {
      accumulate(k0, k0 + kQs16Chunk < k ? k0 + kQs16Chunk : k);
      asm("" : "+r"(params));
      for (int r = 0; r < 4; ++r) {
        for (int q = 0; q < 2; ++q) {
          int64x2_t x[2] = {vld1q_s64(&part[r][4 * q]), vld1q_s64(&part[r][4 * q + 2])};
          times_m(x, r, q);
          vst1q_s64(&part[r][4 * q], x[0]);
          vst1q_s64(&part[r][4 * q + 2], x[1]);
        }
      }
    }
    for (int r = 0; r < 4; ++r) {
      const int32x4_t y0 = ReducedRequantize(vld1q_s64(&part[r][0]), vld1q_s64(&part[r][2]), neg_shift, neg_shift);
      const int32x4_t y1 = ReducedRequantize(vld1q_s64(&part[r][4]), vld1q_s64(&part[r][6]), neg_shift, neg_shift);
      v[r] = NarrowToS16(y0, y1, zp, vmin, vmax);
    }
  }
  for (int r = 3; r >= 0; --r) {
    int16_t* dst = reinterpret_cast<int16_t*>(cr[r]);
    if (cols >= 8) {
      vst1q_s16(dst, v[r]);
    } else {
      StoreS16Partial(dst, v[r], cols);
    }
  }
}

}  // namespace qs16_internal

namespace qs16_internal {

// One 4x8 tile of Qs16GemmSplit on B whole, for rows whose int32 sums cannot overflow.
__attribute__((noinline)) inline void Qs16WholeTile(const int16_t* const (&ar)[4], const int16_t* b, size_t k,
                                                    char* const (&cr)[4], size_t cols, const Qs16GemmParams& params) {
  WholeStep::Acc acc;
  for (int r = 0; r < 4; ++r) acc[r][0] = acc[r][1] = vdupq_n_s32(0);
  DepthLoop<WholeStep>(acc, b, ar, 0, k);
  const int32x4_t m = vdupq_n_s32(ReducedMultiplier(params.multiplier.multiplier));
  const int64x2_t neg_shift = vdupq_n_s64(-ReducedShift(params.multiplier));
  const int32x4_t zp = vdupq_n_s32(params.output_zero_point);
  const int16x8_t vmin = vdupq_n_s16(static_cast<int16_t>(params.output_min));
  const int16x8_t vmax = vdupq_n_s16(static_cast<int16_t>(params.output_max));
  int16x8_t v[4];
  for (int r = 0; r < 4; ++r) {
    int32x4_t y[2];
    for (int h = 0; h < 2; ++h) {
      y[h] = ReducedRequantize(vmull_s32(vget_low_s32(acc[r][h]), vget_low_s32(m)), vmull_high_s32(acc[r][h], m),
                               neg_shift, neg_shift);
    }
    v[r] = NarrowToS16(y[0], y[1], zp, vmin, vmax);
  }
  for (int r = 3; r >= 0; --r) {
    int16_t* dst = reinterpret_cast<int16_t*>(cr[r]);
    if (cols >= 8) {
      vst1q_s16(dst, v[r]);
    } else {
      StoreS16Partial(dst, v[r], cols);
    }
  }
}

// sum_k |a[k]|, exactly (|-32768| included).
inline int64_t SumAbs(const int16_t* a, size_t k) {
  int32x4_t sum = vdupq_n_s32(0);
  size_t kk = 0;
  for (; kk + 8 <= k; kk += 8) {
    const int16x8_t v = vld1q_s16(a + kk);
    sum = vabal_s16(sum, vget_low_s16(v), vdup_n_s16(0));
    sum = vabal_high_s16(sum, v, vdupq_n_s16(0));
  }
  int64_t total = vaddlvq_s32(sum);
  for (; kk < k; ++kk) total += a[kk] < 0 ? -int64_t{a[kk]} : a[kk];
  return total;
}

}  // namespace qs16_internal

inline void Qs16GemmSplit(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed,
                          int16_t* c, size_t c_stride, const Qs16GemmParams& params) {
  using namespace qs16_internal;
  assert(n >= 1 && k >= 1 && k <= kMaxGemmDepth);
  assert(params.lhs_zero_point == 0 && params.rhs_zero_point == 0);
  const size_t tile_bytes = pack::Qs16SplitTileBytes(k);
  for (size_t i = 0; i < m; i += 4) {
    const int16_t* ar[4];
    char* cr[4];
    RowPointers(i, m, a, a_stride, c, c_stride, ar, cr);
    int64_t max_sum_abs = 0;
    for (int r = 0; r < 4; ++r) max_sum_abs = std::max(max_sum_abs, SumAbs(ar[r], k));
    const uint8_t* tile = static_cast<const uint8_t*>(packed);
    for (size_t j = 0; j < n; j += 8, tile += tile_bytes) {
      char* const cj[4] = {cr[0] + 2 * j, cr[1] + 2 * j, cr[2] + 2 * j, cr[3] + 2 * j};
      int32_t max_abs;
      std::memcpy(&max_abs, tile, sizeof(max_abs));
      const int16_t* split = reinterpret_cast<const int16_t*>(tile + pack::kQs16SplitHeaderBytes);
      if (max_sum_abs * max_abs < (int64_t{1} << 31)) {
        Qs16WholeTile(ar, split + 16 * k, k, cj, n - j, params);
      } else {
        Qs16SplitTile(ar, split, k, cj, n - j, &params);
      }
    }
  }
}

}  // namespace edgefuse::core::kernels::neon
