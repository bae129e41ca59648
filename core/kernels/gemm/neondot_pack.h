// The dot-product tiles' packing (pack::Qs8C4, pack::Qs16Qs8C4) in vector form, for
// batch matmul's per-call packing; column sums by SDOT with ones. Partial tiles use the
// scalar tile packers. Include only from a neondot.cc file.
#pragma once

#include <arm_neon.h>

#include <algorithm>
#include <cstring>

#include "core/kernels/gemm/gemm.h"
#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/gemm/neon_pack.h"
#include "core/kernels/gemm/pack.h"

namespace edgefuse::core::kernels::neondot {
namespace pack_internal {

using neon::pack_internal::Row16;
using neon::pack_internal::RowOf;

// B of a full 16-column tile as [kp/4][16][4] and its column sums (4 columns per vector).
inline void PackC4Columns(const RhsView& rhs, size_t k, size_t j0, int8_t* out, int32x4_t (&sums)[4]) {
  const int8x16_t ones = vdupq_n_s8(1);
  for (int q = 0; q < 4; ++q) sums[q] = vdupq_n_s32(0);
  const size_t kp = RoundUp(k, 16);
  if (rhs.layout == RhsLayout::kKN) {
    // Group g: rows 4g..4g+3, interleaved byte by byte, then pair by pair.
    for (size_t g = 0; g < kp / 4; ++g) {
      const int8x16_t r0 = Row16(rhs, 4 * g, k, j0), r1 = Row16(rhs, 4 * g + 1, k, j0);
      const int8x16_t r2 = Row16(rhs, 4 * g + 2, k, j0), r3 = Row16(rhs, 4 * g + 3, k, j0);
      const int16x8_t z0 = vreinterpretq_s16_s8(vzip1q_s8(r0, r1)), z1 = vreinterpretq_s16_s8(vzip2q_s8(r0, r1));
      const int16x8_t z2 = vreinterpretq_s16_s8(vzip1q_s8(r2, r3)), z3 = vreinterpretq_s16_s8(vzip2q_s8(r2, r3));
      const int8x16_t o[4] = {vreinterpretq_s8_s16(vzip1q_s16(z0, z2)), vreinterpretq_s8_s16(vzip2q_s16(z0, z2)),
                              vreinterpretq_s8_s16(vzip1q_s16(z1, z3)), vreinterpretq_s8_s16(vzip2q_s16(z1, z3))};
      for (int q = 0; q < 4; ++q) {
        vst1q_s8(out + g * 64 + q * 16, o[q]);
        sums[q] = vdotq_s32(sums[q], o[q], ones);
      }
    }
    return;
  }
  // kNK: 4x4 transposes of 32-bit words (4-byte depth groups) of 4 rows at a time.
  for (size_t kb = 0; kb < kp; kb += 16) {
    const size_t depth = kb < k ? std::min<size_t>(16, k - kb) : 0;
    for (int q = 0; q < 4; ++q) {
      int32x4_t r[4];
      for (int i = 0; i < 4; ++i) {
        const int8_t* row = RowOf<int8_t>(rhs, j0 + 4 * q + i) + kb;
        r[i] = vreinterpretq_s32_s8(depth == 16 ? vld1q_s8(row) : neon::LoadS8Partial(row, depth));
      }
      const int32x4_t t0 = vtrn1q_s32(r[0], r[1]), t1 = vtrn2q_s32(r[0], r[1]);
      const int32x4_t t2 = vtrn1q_s32(r[2], r[3]), t3 = vtrn2q_s32(r[2], r[3]);
      const int8x16_t g[4] = {vreinterpretq_s8_s64(vtrn1q_s64(vreinterpretq_s64_s32(t0), vreinterpretq_s64_s32(t2))),
                              vreinterpretq_s8_s64(vtrn1q_s64(vreinterpretq_s64_s32(t1), vreinterpretq_s64_s32(t3))),
                              vreinterpretq_s8_s64(vtrn2q_s64(vreinterpretq_s64_s32(t0), vreinterpretq_s64_s32(t2))),
                              vreinterpretq_s8_s64(vtrn2q_s64(vreinterpretq_s64_s32(t1), vreinterpretq_s64_s32(t3)))};
      for (int i = 0; i < 4; ++i) {
        vst1q_s8(out + (kb / 4 + i) * 64 + q * 16, g[i]);
        sums[q] = vdotq_s32(sums[q], g[i], ones);
      }
    }
  }
}

}  // namespace pack_internal

// pack::Qs8C4 (per tensor) for batch matmul.
inline void PackQs8C4(const Qs8PackInput& in, const Qs8GemmParams& params, void* packed) {
  using namespace pack_internal;
  uint8_t* tile = static_cast<uint8_t*>(packed);
  const int32_t za = params.lhs_zero_point, zb = params.rhs_zero_point;
  for (size_t j0 = 0; j0 < in.n; j0 += 16, tile += pack::Qs8C4TileBytes(in.k, false)) {
    if (j0 + 16 > in.n || in.bias != nullptr) {
      pack::Qs8C4Tile(in, params, false, j0, tile);
      continue;
    }
    int32x4_t sums[4];
    PackC4Columns(in.rhs, in.k, j0, reinterpret_cast<int8_t*>(tile + 64), sums);
    // -za sum_k B + k za zb, modulo 2^32 like the accumulators.
    const int32x4_t constant = vdupq_n_s32(static_cast<int32_t>(static_cast<uint32_t>(in.k) * za * zb));
    for (int q = 0; q < 4; ++q) {
      vst1q_s32(reinterpret_cast<int32_t*>(tile) + 4 * q, vmlsq_n_s32(constant, sums[q], za));
    }
  }
}

// pack::Qs16Qs8C4 for batch matmul (int16 P x int8 V on the dot product).
inline void PackQs16Qs8C4(const Qs16PackInput& in, const Qs16GemmParams& params, void* packed) {
  using namespace pack_internal;
  uint8_t* tile = static_cast<uint8_t*>(packed);
  for (size_t j0 = 0; j0 < in.n; j0 += 16, tile += pack::Qs16Qs8C4TileBytes(in.k)) {
    if (j0 + 16 > in.n) {
      pack::Qs16Qs8C4Tile(in, params, j0, tile);
      continue;
    }
    int32x4_t sums[4];
    PackC4Columns(in.rhs, in.k, j0, reinterpret_cast<int8_t*>(tile + pack::kQs16Qs8C4HeaderBytes), sums);
    int32_t sum[16];
    for (int q = 0; q < 4; ++q) vst1q_s32(sum + 4 * q, sums[q]);
    int64_t constant[16];
    for (int c = 0; c < 16; ++c) constant[c] = pack::Qs16Qs8C4Constant(in, params, j0 + c, sum[c]);
    pack::WriteQs16Header(in, params, j0, constant, /*with_m256=*/true, tile);
  }
}

}  // namespace edgefuse::core::kernels::neondot
