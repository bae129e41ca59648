// f32_gemm: the float32 matrix products of the attention block that XNNPACK (Debian's
// 2022 snapshot, which has no batch matmul) cannot do: QK^T and P·V, per head.
//
//   C[i][j] = alpha * (A[i][0]*B[0][j] + ... + A[i][K-1]*B[K-1][j])
//
// Arithmetic contract (every entry of the list gives the same bits): each C[i][j] is one
// chain of fused multiply-adds over k = 0, 1, ..., K-1 in increasing order, starting
// from +0.0f, then one rounded multiplication by alpha. Nothing else is rounded. So a
// kernel may tile rows and columns any way it likes (each element's chain is the same),
// and a caller may split rows over threads without changing a bit.
//
// Layout: A is [M, K], B is [K, N], C is [M, N], all row-major with row strides in
// bytes (rows may be slices of wider tensors: a head's columns of Q or V). Preconditions
// (asserted): M, N, K >= 1; strides are multiples of sizeof(float); C does not overlap A
// or B. Kernels read A and B strictly inside [M, K] and [K, N] and write only C[M, N]:
// no over-read, no padding needed.
//
//   const auto& gemm = edgefuse::core::SelectF32Gemm(edgefuse::core::DefaultTierCap());
//   // scores_h = Q_h K_h^T / sqrt(d), with K_h^T packed as [d, Nk]:
//   gemm.fn.fn(nq, nk, d, q + h * d, e * sizeof(float), kt_h, nk * sizeof(float),
//              scores_h, nk * sizeof(float), 1.0f / std::sqrt(float(d)));
#pragma once

#include <cstddef>
#include <span>

#include "core/dispatch/dispatch.h"

namespace edgefuse::core {

using F32GemmFn = void (*)(size_t m, size_t n, size_t k, const float* a, size_t a_stride, const float* b,
                           size_t b_stride, float* c, size_t c_stride, float alpha);

struct F32GemmKernel {
  F32GemmFn fn;
  // Rows per register tile: callers that split rows over threads use multiples of it so
  // that no tile is computed twice. Any split gives the same bits.
  size_t mr;
  size_t nr;  // columns per register tile
};

// Best first, reference last (core/dispatch/dispatch.h).
std::span<const KernelEntry<F32GemmKernel>> F32GemmKernels();

// The best entry of F32GemmKernels() the detected CPU supports, at most `cap`.
const KernelEntry<F32GemmKernel>& SelectF32Gemm(Tier cap);

namespace kernels::reference {
void f32_gemm(size_t m, size_t n, size_t k, const float* a, size_t a_stride, const float* b, size_t b_stride, float* c,
              size_t c_stride, float alpha);
}  // namespace kernels::reference

namespace kernels::neon {
// 8x8 register tile (16 accumulators), K unrolled by 4 with by-lane FMLA; column tails
// of 4 and 1, row tails by clamping row pointers (XNNPACK style).
void f32_gemm_8x8(size_t m, size_t n, size_t k, const float* a, size_t a_stride, const float* b, size_t b_stride,
                  float* c, size_t c_stride, float alpha);
}  // namespace kernels::neon

}  // namespace edgefuse::core
