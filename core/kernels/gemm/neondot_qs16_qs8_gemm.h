// The int16 x int8 tile loop of the dot-product tier (..._2x16c4): 2 rows x 16
// columns. SDOT multiplies int8 by int8, so each int16 A is split on the fly into
// A = 256 Ah + (Al - 128) + 128, with Ah = A >> 8 and Al - 128 both in int8: two SDOT
// per 4 depths, and
//   sum_k A B = 256 sum_k Ah B + sum_k (Al - 128) B + 128 sum_k B,
// the last term folded into the column constant at packing, the row term
// -zb sum_k A added per row. Both int32 dot sums stay exact below 2^17 depths.
// x * M of the 64-bit path is then sum_h * (256 M) + sum_l * M + (C + row) * M,
// accumulated in int64 by SMULL/SMLAL. Packed layout: gemm.h. Include only from a
// neondot.cc file.
#pragma once

#include <arm_neon.h>

#include <cassert>

#include "core/kernels/gemm/gemm.h"
#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/gemm/neon_qs16_gemm.h"
#include "core/kernels/gemm/pack.h"
#include "core/kernels/requantization/neon_requantization.h"

namespace edgefuse::core::kernels::neondot {

namespace qs16_qs8_internal {

template <int kLane>
EDGEFUSE_ALWAYS_INLINE void DotLane(int32x4_t (&hi)[2][4], int32x4_t (&lo)[2][4], const int8x16x4_t& b,
                                    const int8x16_t (&ah)[2], const int8x16_t (&al)[2]) {
  for (int r = 0; r < 2; ++r) {
    for (int q = 0; q < 4; ++q) {
      hi[r][q] = vdotq_laneq_s32(hi[r][q], b.val[q], ah[r], kLane);
      lo[r][q] = vdotq_laneq_s32(lo[r][q], b.val[q], al[r], kLane);
    }
  }
}

// Splits 16 int16 into their high bytes and their re-centred low bytes.
EDGEFUSE_ALWAYS_INLINE void Split(int16x8_t p0, int16x8_t p1, int8x16_t* high, int8x16_t* low) {
  *high = vshrn_high_n_s16(vshrn_n_s16(p0, 8), p1, 8);
  *low = veorq_s8(vmovn_high_s16(vmovn_s16(p0), p1), vdupq_n_s8(-128));
}

EDGEFUSE_ALWAYS_INLINE void Dot16(int32x4_t (&hi)[2][4], int32x4_t (&lo)[2][4], const int8_t*& b,
                                  const int16x8x2_t (&a)[2]) {
  int8x16_t ah[2], al[2];
  for (int r = 0; r < 2; ++r) Split(a[r].val[0], a[r].val[1], &ah[r], &al[r]);
  DotLane<0>(hi, lo, vld1q_s8_x4(b), ah, al);
  DotLane<1>(hi, lo, vld1q_s8_x4(b + 64), ah, al);
  DotLane<2>(hi, lo, vld1q_s8_x4(b + 128), ah, al);
  DotLane<3>(hi, lo, vld1q_s8_x4(b + 192), ah, al);
  b += 256;
}

}  // namespace qs16_qs8_internal

template <class Out>
void Qs16Qs8GemmC4(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, Out* c,
                   size_t c_stride, const Qs16GemmParams& params) {
  using namespace qs16_qs8_internal;
  assert(n >= 1 && k >= 1 && k <= kMaxGemmDepth);
  const size_t tile_bytes = pack::Qs16Qs8C4TileBytes(k);
  const size_t k_main = k & ~size_t{15};
  const size_t k_tail = k - k_main;
  const int64_t zb = params.rhs_zero_point;
  const int64_t reduced = ReducedMultiplier(params.multiplier.multiplier);  // per tensor whenever zb != 0

  for (size_t i = 0; i < m; i += 2) {
    const int16_t* ar[2];
    char* cr[2];
    ar[0] = reinterpret_cast<const int16_t*>(reinterpret_cast<const char*>(a) + i * a_stride);
    cr[0] = reinterpret_cast<char*>(c) + i * c_stride;
    const bool second = i + 1 < m;
    ar[1] = second ? reinterpret_cast<const int16_t*>(reinterpret_cast<const char*>(ar[0]) + a_stride) : ar[0];
    cr[1] = second ? cr[0] + c_stride : cr[0];

    int16x8x2_t a_tail[2];
    int64x2_t row[2];
    for (int r = 0; r < 2; ++r) {
      a_tail[r] =
          k_tail != 0 ? neon::LoadS16Partial(ar[r] + k_main, k_tail) : int16x8x2_t{vdupq_n_s16(0), vdupq_n_s16(0)};
      int64_t sum = 0;
      if (zb != 0) {
        int32x4_t s = vpaddlq_s16(a_tail[r].val[0]);
        s = vpadalq_s16(s, a_tail[r].val[1]);
        for (size_t kk = 0; kk < k_main; kk += 8) s = vpadalq_s16(s, vld1q_s16(ar[r] + kk));
        sum = vaddlvq_s32(s);
      }
      row[r] = vdupq_n_s64(-zb * sum * reduced);
    }

    const uint8_t* tile = static_cast<const uint8_t*>(packed);
    for (size_t j = 0; j < n; j += 16, tile += tile_bytes) {
      int32x4_t hi[2][4], lo[2][4];
      for (int r = 0; r < 2; ++r) {
        for (int q = 0; q < 4; ++q) {
          hi[r][q] = vdupq_n_s32(0);
          lo[r][q] = vdupq_n_s32(0);
        }
      }
      const int8_t* b = reinterpret_cast<const int8_t*>(tile + pack::kQs16Qs8C4HeaderBytes);
      for (size_t kk = 0; kk < k_main; kk += 16) {
        const int16x8x2_t va[2] = {vld1q_s16_x2(ar[0] + kk), vld1q_s16_x2(ar[1] + kk)};
        Dot16(hi, lo, b, va);
      }
      if (k_tail != 0) Dot16(hi, lo, b, a_tail);

      const int64_t* column = reinterpret_cast<const int64_t*>(tile);           // C * M
      const int32_t* m1 = reinterpret_cast<const int32_t*>(tile + 128);         // M
      const int32_t* m256 = reinterpret_cast<const int32_t*>(tile + 192);       // 256 M
      const int64_t* neg_shift = reinterpret_cast<const int64_t*>(tile + 256);  // -S
      int32x4_t y[2][4];
      for (int q = 0; q < 4; ++q) {
        const int32x4_t vm = vld1q_s32(m1 + 4 * q), vm256 = vld1q_s32(m256 + 4 * q);
        const int64x2_t c0 = vld1q_s64(column + 4 * q), c1 = vld1q_s64(column + 4 * q + 2);
        const int64x2_t s0 = vld1q_s64(neg_shift + 4 * q), s1 = vld1q_s64(neg_shift + 4 * q + 2);
        for (int r = 0; r < 2; ++r) {
          int64x2_t x0 = vaddq_s64(c0, row[r]);
          int64x2_t x1 = vaddq_s64(c1, row[r]);
          x0 = vmlal_s32(vmlal_s32(x0, vget_low_s32(hi[r][q]), vget_low_s32(vm256)), vget_low_s32(lo[r][q]),
                         vget_low_s32(vm));
          x1 = vmlal_high_s32(vmlal_high_s32(x1, hi[r][q], vm256), lo[r][q], vm);
          y[r][q] = neon::ReducedRequantize(x0, x1, s0, s1);
        }
      }
      neon::qs16_internal::StoreRow(reinterpret_cast<Out*>(cr[1]) + j, y[1], n - j, params.output_zero_point,
                                    params.output_min, params.output_max);
      neon::qs16_internal::StoreRow(reinterpret_cast<Out*>(cr[0]) + j, y[0], n - j, params.output_zero_point,
                                    params.output_min, params.output_max);
    }
  }
}

}  // namespace edgefuse::core::kernels::neondot
