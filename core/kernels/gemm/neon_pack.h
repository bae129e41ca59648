// Vector forms of pack.h for the per-call packing of batch matmul (the right operand,
// K_h or V_h, is packed once per head and call). Full tiles of the common layouts go
// through transposes and zips; partial tiles use the scalar tile packers, so the
// packed bytes are those of pack.h either way. Include only from neon.cc / neondot.cc.
//
//   kNK (K_h, rows are output columns): 4x4 transposes of 32-bit words (c4 tiles),
//       16x16 byte transposes (int16 tiles), 8x8 int16 transposes (split tiles).
//   kKN (V_h, rows are depths): byte and halfword zips (c4), widening (int16 tiles).
#pragma once

#include <arm_neon.h>

#include <algorithm>
#include <cstring>

#include "core/kernels/gemm/gemm.h"
#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/gemm/pack.h"

namespace edgefuse::core::kernels::neon {
namespace pack_internal {

template <class T>
const T* RowOf(const RhsView& rhs, size_t row) {
  return reinterpret_cast<const T*>(static_cast<const char*>(rhs.data) + row * rhs.stride);
}

// r[i] becomes column i of the 16x16 byte matrix whose rows were r[0..15].
EDGEFUSE_ALWAYS_INLINE void Transpose16x16(int8x16_t (&r)[16]) {
  int8x16_t t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = vtrn1q_s8(r[i], r[i + 1]);
    t[i + 1] = vtrn2q_s8(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    for (int j = 0; j < 2; ++j) {
      r[i + j] = vreinterpretq_s8_s16(vtrn1q_s16(vreinterpretq_s16_s8(t[i + j]), vreinterpretq_s16_s8(t[i + j + 2])));
      r[i + j + 2] =
          vreinterpretq_s8_s16(vtrn2q_s16(vreinterpretq_s16_s8(t[i + j]), vreinterpretq_s16_s8(t[i + j + 2])));
    }
  }
  for (int i = 0; i < 16; i += 8) {
    for (int j = 0; j < 4; ++j) {
      t[i + j] = vreinterpretq_s8_s32(vtrn1q_s32(vreinterpretq_s32_s8(r[i + j]), vreinterpretq_s32_s8(r[i + j + 4])));
      t[i + j + 4] =
          vreinterpretq_s8_s32(vtrn2q_s32(vreinterpretq_s32_s8(r[i + j]), vreinterpretq_s32_s8(r[i + j + 4])));
    }
  }
  for (int j = 0; j < 8; ++j) {
    r[j] = vreinterpretq_s8_s64(vtrn1q_s64(vreinterpretq_s64_s8(t[j]), vreinterpretq_s64_s8(t[j + 8])));
    r[j + 8] = vreinterpretq_s8_s64(vtrn2q_s64(vreinterpretq_s64_s8(t[j]), vreinterpretq_s64_s8(t[j + 8])));
  }
}

// r[i] becomes column i of the 8x8 int16 matrix whose rows were r[0..7].
EDGEFUSE_ALWAYS_INLINE void Transpose8x8(int16x8_t (&r)[8]) {
  int16x8_t t[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = vtrn1q_s16(r[i], r[i + 1]);
    t[i + 1] = vtrn2q_s16(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    for (int j = 0; j < 2; ++j) {
      r[i + j] =
          vreinterpretq_s16_s32(vtrn1q_s32(vreinterpretq_s32_s16(t[i + j]), vreinterpretq_s32_s16(t[i + j + 2])));
      r[i + j + 2] =
          vreinterpretq_s16_s32(vtrn2q_s32(vreinterpretq_s32_s16(t[i + j]), vreinterpretq_s32_s16(t[i + j + 2])));
    }
  }
  for (int j = 0; j < 4; ++j) {
    t[j] = vreinterpretq_s16_s64(vtrn1q_s64(vreinterpretq_s64_s16(r[j]), vreinterpretq_s64_s16(r[j + 4])));
    t[j + 4] = vreinterpretq_s16_s64(vtrn2q_s64(vreinterpretq_s64_s16(r[j]), vreinterpretq_s64_s16(r[j + 4])));
  }
  for (int j = 0; j < 8; ++j) r[j] = t[j];
}

// 16 bytes of row `row` from column j0, or zeros past the last row.
inline int8x16_t Row16(const RhsView& rhs, size_t row, size_t rows, size_t j0) {
  return row < rows ? vld1q_s8(RowOf<int8_t>(rhs, row) + j0) : vdupq_n_s8(0);
}

// The int16 (B - zb) rows [k][16] of a full 16-column tile and the column sums of B - zb.
inline void PackI16Columns(const RhsView& rhs, size_t k, size_t j0, int8_t zb, int16_t* out, int32x4_t (&sums)[4]) {
  const int8x8_t vzb = vdup_n_s8(zb);
  for (int q = 0; q < 4; ++q) sums[q] = vdupq_n_s32(0);
  auto emit = [&](int8x16_t v) EDGEFUSE_ALWAYS_INLINE_LAMBDA {
    const int16x8_t lo = vsubl_s8(vget_low_s8(v), vzb), hi = vsubl_s8(vget_high_s8(v), vzb);
    vst1q_s16(out, lo);
    vst1q_s16(out + 8, hi);
    out += 16;
    sums[0] = vaddw_s16(sums[0], vget_low_s16(lo));
    sums[1] = vaddw_high_s16(sums[1], lo);
    sums[2] = vaddw_s16(sums[2], vget_low_s16(hi));
    sums[3] = vaddw_high_s16(sums[3], hi);
  };
  if (rhs.layout == RhsLayout::kKN) {
    for (size_t kk = 0; kk < k; ++kk) emit(vld1q_s8(RowOf<int8_t>(rhs, kk) + j0));
    return;
  }
  for (size_t kb = 0; kb < k; kb += 16) {
    const size_t depth = std::min<size_t>(16, k - kb);
    int8x16_t r[16];
    for (int c = 0; c < 16; ++c) {
      const int8_t* row = RowOf<int8_t>(rhs, j0 + c) + kb;
      r[c] = depth == 16 ? vld1q_s8(row) : LoadS8Partial(row, depth);
    }
    Transpose16x16(r);
    for (size_t d = 0; d < depth; ++d) emit(r[d]);
  }
}

}  // namespace pack_internal

// pack::Qs8I16 (per tensor, no bias) for batch matmul.
inline void PackQs8I16(const Qs8PackInput& in, const Qs8GemmParams& params, void* packed) {
  using namespace pack_internal;
  uint8_t* tile = static_cast<uint8_t*>(packed);
  for (size_t j0 = 0; j0 < in.n; j0 += 16, tile += pack::Qs8I16TileBytes(in.k, false)) {
    if (j0 + 16 > in.n || in.bias != nullptr) {
      pack::Qs8I16Tile(in, params, false, j0, tile);
      continue;
    }
    int32x4_t sums[4];
    PackI16Columns(in.rhs, in.k, j0, static_cast<int8_t>(params.rhs_zero_point), reinterpret_cast<int16_t*>(tile + 64),
                   sums);
    std::memset(tile, 0, 64);  // column terms: no bias; the zero points are in the int16 values
  }
}

// pack::Qs16Qs8I16 for batch matmul (int16 P x int8 V).
inline void PackQs16Qs8I16(const Qs16PackInput& in, const Qs16GemmParams& params, void* packed) {
  using namespace pack_internal;
  uint8_t* tile = static_cast<uint8_t*>(packed);
  for (size_t j0 = 0; j0 < in.n; j0 += 16, tile += pack::Qs16Qs8I16TileBytes(in.k)) {
    if (j0 + 16 > in.n || in.bias != nullptr) {
      pack::Qs16Qs8I16Tile(in, params, j0, tile);
      continue;
    }
    int32x4_t sums[4];
    PackI16Columns(in.rhs, in.k, j0, static_cast<int8_t>(params.rhs_zero_point),
                   reinterpret_cast<int16_t*>(tile + pack::kQs16Qs8I16HeaderBytes), sums);
    int32_t sum[16];
    for (int q = 0; q < 4; ++q) vst1q_s32(sum + 4 * q, sums[q]);
    int64_t constant[16];
    for (int c = 0; c < 16; ++c) constant[c] = -int64_t{params.lhs_zero_point} * sum[c];  // -za sum_k (B - zb)
    pack::WriteQs16Header(in, params, j0, constant, /*with_m256=*/false, tile);
  }
}

// pack::Qs16Split for batch matmul (int16 x int16).
inline void PackQs16Split(const Qs16PackInput& in, const Qs16GemmParams& params, void* packed) {
  using namespace pack_internal;
  (void)params;
  const size_t k = in.k;
  uint8_t* tile = static_cast<uint8_t*>(packed);
  for (size_t j0 = 0; j0 < in.n; j0 += 8, tile += pack::Qs16SplitTileBytes(k)) {
    if (j0 + 8 > in.n) {
      pack::Qs16SplitTile(in, j0, tile);
      continue;
    }
    int16_t* split = reinterpret_cast<int16_t*>(tile + pack::kQs16SplitHeaderBytes);
    int16_t* whole = split + 16 * k;
    uint16x8_t max_abs = vdupq_n_u16(0);
    auto emit = [&](int16x8_t v) EDGEFUSE_ALWAYS_INLINE_LAMBDA {
      vst1q_s16(split, vshrq_n_s16(v, 8));
      vst1q_s16(split + 8, vandq_s16(v, vdupq_n_s16(255)));
      vst1q_s16(whole, v);
      split += 16;
      whole += 8;
      max_abs = vmaxq_u16(max_abs, vreinterpretq_u16_s16(vabdq_s16(v, vdupq_n_s16(0))));  // |-32768| = 32768
    };
    if (in.rhs.layout == RhsLayout::kKN) {
      for (size_t kk = 0; kk < k; ++kk) emit(vld1q_s16(RowOf<int16_t>(in.rhs, kk) + j0));
    } else {
      for (size_t kb = 0; kb < k; kb += 8) {
        const size_t depth = std::min<size_t>(8, k - kb);
        int16x8_t r[8];
        for (int c = 0; c < 8; ++c) {
          const int16_t* row = RowOf<int16_t>(in.rhs, j0 + c) + kb;
          r[c] = depth == 8 ? vld1q_s16(row) : LoadS16Partial(row, depth).val[0];
        }
        Transpose8x8(r);
        for (size_t d = 0; d < depth; ++d) emit(r[d]);
      }
    }
    const int32_t max = vmaxvq_u16(max_abs);
    std::memset(tile, 0, pack::kQs16SplitHeaderBytes);
    std::memcpy(tile, &max, sizeof(max));
  }
}

}  // namespace edgefuse::core::kernels::neon
