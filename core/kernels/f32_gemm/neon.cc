// f32_gemm on ARMv8.0 Advanced SIMD. Every product goes through one FMLA (fused, like
// the reference's std::fma), accumulators start at +0.0f and k runs in increasing
// order, so each output is the reference's chain exactly.
#include <arm_neon.h>

#include <cassert>
#include <cmath>
#include <cstdint>

#include "core/kernels/f32_gemm/f32_gemm.h"

namespace edgefuse::core::kernels::neon {
namespace {

inline const float* Offset(const float* base, size_t bytes) {
  return reinterpret_cast<const float*>(reinterpret_cast<const uint8_t*>(base) + bytes);
}
inline float* Offset(float* base, size_t bytes) {
  return reinterpret_cast<float*>(reinterpret_cast<uint8_t*>(base) + bytes);
}

// The eight A rows and C rows of one row tile; rows past M repeat the last row, so
// they compute (and store) that row's values again.
struct RowTile {
  const float* a[8];
  float* c[8];
};

// C[0..8)[j..j+8) of the tile.
void Tile8x8(const RowTile& rows, const float* b, size_t b_stride, size_t k, size_t j, float alpha) {
  const float* a0 = rows.a[0];
  const float* a1 = rows.a[1];
  const float* a2 = rows.a[2];
  const float* a3 = rows.a[3];
  const float* a4 = rows.a[4];
  const float* a5 = rows.a[5];
  const float* a6 = rows.a[6];
  const float* a7 = rows.a[7];
  const float* bp = b + j;
  float32x4_t c0l = vdupq_n_f32(0.0f), c0h = c0l, c1l = c0l, c1h = c0l, c2l = c0l, c2h = c0l, c3l = c0l, c3h = c0l;
  float32x4_t c4l = c0l, c4h = c0l, c5l = c0l, c5h = c0l, c6l = c0l, c6h = c0l, c7l = c0l, c7h = c0l;
  size_t kk = k;
  for (; kk >= 4; kk -= 4) {
    const float32x4_t va0 = vld1q_f32(a0);
    const float32x4_t va1 = vld1q_f32(a1);
    const float32x4_t va2 = vld1q_f32(a2);
    const float32x4_t va3 = vld1q_f32(a3);
    const float32x4_t va4 = vld1q_f32(a4);
    const float32x4_t va5 = vld1q_f32(a5);
    const float32x4_t va6 = vld1q_f32(a6);
    const float32x4_t va7 = vld1q_f32(a7);
    a0 += 4;
    a1 += 4;
    a2 += 4;
    a3 += 4;
    a4 += 4;
    a5 += 4;
    a6 += 4;
    a7 += 4;
#define EF_F32_GEMM_STEP(lane)                  \
  {                                             \
    const float32x4_t vbl = vld1q_f32(bp);      \
    const float32x4_t vbh = vld1q_f32(bp + 4);  \
    bp = Offset(bp, b_stride);                  \
    c0l = vfmaq_laneq_f32(c0l, vbl, va0, lane); \
    c0h = vfmaq_laneq_f32(c0h, vbh, va0, lane); \
    c1l = vfmaq_laneq_f32(c1l, vbl, va1, lane); \
    c1h = vfmaq_laneq_f32(c1h, vbh, va1, lane); \
    c2l = vfmaq_laneq_f32(c2l, vbl, va2, lane); \
    c2h = vfmaq_laneq_f32(c2h, vbh, va2, lane); \
    c3l = vfmaq_laneq_f32(c3l, vbl, va3, lane); \
    c3h = vfmaq_laneq_f32(c3h, vbh, va3, lane); \
    c4l = vfmaq_laneq_f32(c4l, vbl, va4, lane); \
    c4h = vfmaq_laneq_f32(c4h, vbh, va4, lane); \
    c5l = vfmaq_laneq_f32(c5l, vbl, va5, lane); \
    c5h = vfmaq_laneq_f32(c5h, vbh, va5, lane); \
    c6l = vfmaq_laneq_f32(c6l, vbl, va6, lane); \
    c6h = vfmaq_laneq_f32(c6h, vbh, va6, lane); \
    c7l = vfmaq_laneq_f32(c7l, vbl, va7, lane); \
    c7h = vfmaq_laneq_f32(c7h, vbh, va7, lane); \
  }
    EF_F32_GEMM_STEP(0)
    EF_F32_GEMM_STEP(1)
    EF_F32_GEMM_STEP(2)
    EF_F32_GEMM_STEP(3)
#undef EF_F32_GEMM_STEP
  }
  for (; kk != 0; --kk) {
    const float32x4_t vbl = vld1q_f32(bp);
    const float32x4_t vbh = vld1q_f32(bp + 4);
    bp = Offset(bp, b_stride);
    const float32x4_t va0 = vld1q_dup_f32(a0++);
    const float32x4_t va1 = vld1q_dup_f32(a1++);
    const float32x4_t va2 = vld1q_dup_f32(a2++);
    const float32x4_t va3 = vld1q_dup_f32(a3++);
    const float32x4_t va4 = vld1q_dup_f32(a4++);
    const float32x4_t va5 = vld1q_dup_f32(a5++);
    const float32x4_t va6 = vld1q_dup_f32(a6++);
    const float32x4_t va7 = vld1q_dup_f32(a7++);
    c0l = vfmaq_f32(c0l, vbl, va0);
    c0h = vfmaq_f32(c0h, vbh, va0);
    c1l = vfmaq_f32(c1l, vbl, va1);
    c1h = vfmaq_f32(c1h, vbh, va1);
    c2l = vfmaq_f32(c2l, vbl, va2);
    c2h = vfmaq_f32(c2h, vbh, va2);
    c3l = vfmaq_f32(c3l, vbl, va3);
    c3h = vfmaq_f32(c3h, vbh, va3);
    c4l = vfmaq_f32(c4l, vbl, va4);
    c4h = vfmaq_f32(c4h, vbh, va4);
    c5l = vfmaq_f32(c5l, vbl, va5);
    c5h = vfmaq_f32(c5h, vbh, va5);
    c6l = vfmaq_f32(c6l, vbl, va6);
    c6h = vfmaq_f32(c6h, vbh, va6);
    c7l = vfmaq_f32(c7l, vbl, va7);
    c7h = vfmaq_f32(c7h, vbh, va7);
  }
  // Stored last row first: a clamped duplicate row holds the same values as the row
  // it repeats, so the order does not matter; this one keeps stores ascending per row.
  vst1q_f32(rows.c[7] + j, vmulq_n_f32(c7l, alpha));
  vst1q_f32(rows.c[7] + j + 4, vmulq_n_f32(c7h, alpha));
  vst1q_f32(rows.c[6] + j, vmulq_n_f32(c6l, alpha));
  vst1q_f32(rows.c[6] + j + 4, vmulq_n_f32(c6h, alpha));
  vst1q_f32(rows.c[5] + j, vmulq_n_f32(c5l, alpha));
  vst1q_f32(rows.c[5] + j + 4, vmulq_n_f32(c5h, alpha));
  vst1q_f32(rows.c[4] + j, vmulq_n_f32(c4l, alpha));
  vst1q_f32(rows.c[4] + j + 4, vmulq_n_f32(c4h, alpha));
  vst1q_f32(rows.c[3] + j, vmulq_n_f32(c3l, alpha));
  vst1q_f32(rows.c[3] + j + 4, vmulq_n_f32(c3h, alpha));
  vst1q_f32(rows.c[2] + j, vmulq_n_f32(c2l, alpha));
  vst1q_f32(rows.c[2] + j + 4, vmulq_n_f32(c2h, alpha));
  vst1q_f32(rows.c[1] + j, vmulq_n_f32(c1l, alpha));
  vst1q_f32(rows.c[1] + j + 4, vmulq_n_f32(c1h, alpha));
  vst1q_f32(rows.c[0] + j, vmulq_n_f32(c0l, alpha));
  vst1q_f32(rows.c[0] + j + 4, vmulq_n_f32(c0h, alpha));
}

// C[0..8)[j..j+4).
void Tile8x4(const RowTile& rows, const float* b, size_t b_stride, size_t k, size_t j, float alpha) {
  float32x4_t acc[8];
  for (int r = 0; r < 8; ++r) acc[r] = vdupq_n_f32(0.0f);
  const float* bp = b + j;
  for (size_t kk = 0; kk < k; ++kk) {
    const float32x4_t vb = vld1q_f32(bp);
    bp = Offset(bp, b_stride);
    for (int r = 0; r < 8; ++r) acc[r] = vfmaq_n_f32(acc[r], vb, rows.a[r][kk]);
  }
  for (int r = 7; r >= 0; --r) vst1q_f32(rows.c[r] + j, vmulq_n_f32(acc[r], alpha));
}

// C[0..8)[j], one scalar chain per row (FMADD is the same fused operation).
void Tile8x1(const RowTile& rows, const float* b, size_t b_stride, size_t k, size_t j, float alpha) {
  for (int r = 7; r >= 0; --r) {
    const float* a_row = rows.a[r];
    const float* bp = b + j;
    float acc = 0.0f;
    for (size_t kk = 0; kk < k; ++kk) {
      acc = std::fma(a_row[kk], *bp, acc);
      bp = Offset(bp, b_stride);
    }
    rows.c[r][j] = acc * alpha;
  }
}

}  // namespace

void f32_gemm_8x8(size_t m, size_t n, size_t k, const float* a, size_t a_stride, const float* b, size_t b_stride,
                  float* c, size_t c_stride, float alpha) {
  assert(m >= 1 && n >= 1 && k >= 1);
  assert(a_stride % sizeof(float) == 0 && b_stride % sizeof(float) == 0 && c_stride % sizeof(float) == 0);
  for (size_t i0 = 0; i0 < m; i0 += 8) {
    RowTile rows;
    for (size_t r = 0; r < 8; ++r) {
      const size_t i = i0 + r < m ? i0 + r : m - 1;
      rows.a[r] = Offset(a, i * a_stride);
      rows.c[r] = Offset(c, i * c_stride);
    }
    size_t j = 0;
    for (; j + 8 <= n; j += 8) Tile8x8(rows, b, b_stride, k, j, alpha);
    if (j + 4 <= n) {
      Tile8x4(rows, b, b_stride, k, j, alpha);
      j += 4;
    }
    for (; j < n; ++j) Tile8x1(rows, b, b_stride, k, j, alpha);
  }
}

}  // namespace edgefuse::core::kernels::neon
