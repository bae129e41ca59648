// x32_transpose: out[c][r] = in[r][c] for 32-bit elements. The float attention block
// uses it to lay each head's keys out as K_h^T [d, Nk], the B operand of QK^T in
// f32_gemm (XNNPACK's 2022 snapshot has no transpose operator).
//
// Contract: in is [rows, cols] and out is [cols, rows], row strides in bytes
// (multiples of 4; rows of `in` may be column slices of a wider tensor). Reads only
// in[rows, cols], writes only out[cols, rows]; in and out do not overlap. Pure data
// movement, so every entry gives the same bits.
//
//   const auto& transpose = edgefuse::core::SelectX32Transpose(edgefuse::core::DefaultTierCap());
//   transpose.fn(nk, d, k + h * d, e * sizeof(float), kt_h, nk * sizeof(float));
#pragma once

#include <cstddef>
#include <span>

#include "core/dispatch/dispatch.h"

namespace edgefuse::core {

using X32TransposeFn = void (*)(size_t rows, size_t cols, const void* in, size_t in_stride, void* out,
                                size_t out_stride);

// Best first, reference last (core/dispatch/dispatch.h).
std::span<const KernelEntry<X32TransposeFn>> X32TransposeKernels();
const KernelEntry<X32TransposeFn>& SelectX32Transpose(Tier cap);

namespace kernels::reference {
void x32_transpose(size_t rows, size_t cols, const void* in, size_t in_stride, void* out, size_t out_stride);
}  // namespace kernels::reference

namespace kernels::neon {
// 4x4 blocks through registers (two rounds of TRN1/TRN2); tails element by element.
void x32_transpose_4x4(size_t rows, size_t cols, const void* in, size_t in_stride, void* out, size_t out_stride);
}  // namespace kernels::neon

}  // namespace edgefuse::core
