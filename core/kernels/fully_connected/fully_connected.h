// Fully connected kernels (TFLite FULLY_CONNECTED): int8 and 16x8.
//
//   qs8:  int8 input (zero point za) x int8 weights [out, in] (per-channel symmetric, or
//         per-tensor with a zero point zb) + int32 bias -> int8, TFLite
//         reference_integer_ops::FullyConnected / FullyConnectedPerChannel:
//           acc = bias[j] + sum_k (W[j][k] - zb) (X[i][k] - za)        (int32, wraps)
//           Y[i][j] = clamp(zy + MultiplyByQuantizedMultiplier(acc, q[j]))
//   qs16: int16 input (zero point 0) x int8 weights (symmetric) + int64 bias -> int16,
//         TFLite's 16x8 FullyConnected(PerChannel):
//           acc = bias[j] + sum_k W[j][k] X[i][k]                       (int64, exact)
//           Y[i][j] = clamp(MultiplyByQuantizedMultiplier(acc, q[j]))   (64-bit path)
//
// A kernel is a Qs8GemmUkernel / Qs16GemmUkernel (core/kernels/gemm/gemm.h): the
// weights are packed once (Qs8PackInput with RhsLayout::kNK, the bias and one
// multiplier per output channel), then gemm() runs any rows. Tiles, packed layouts and
// the no-over-read rule are in gemm.h. Ops: core/ops/fully_connected.h.
//
//   const auto& k = SelectKernel<const FullyConnectedQs8Kernel*>(kFullyConnectedQs8Kernels, cap);
//   std::vector<uint8_t> packed(k.fn->packed_size(n, in));
//   k.fn->pack({.rhs = {weights, in, RhsLayout::kNK}, .n = n, .k = in, .bias = bias,
//               .channel_multipliers = q}, params, packed.data());
//   k.fn->gemm(rows, n, in, x, in, packed.data(), y, n, params);
#pragma once

#include <span>

#include "core/dispatch/dispatch.h"
#include "core/kernels/gemm/gemm.h"

namespace edgefuse::core::kernels {

using FullyConnectedQs8Kernel = Qs8GemmUkernel;
using FullyConnectedQs16Kernel = Qs16GemmUkernel<int16_t, int8_t, int16_t>;

// Best first; each ends with the reference (the specification).
extern const std::span<const KernelEntry<const FullyConnectedQs8Kernel*>> kFullyConnectedQs8Kernels;
extern const std::span<const KernelEntry<const FullyConnectedQs16Kernel*>> kFullyConnectedQs16Kernels;

namespace reference {
extern const FullyConnectedQs8Kernel qs8_qc8w_fc;
extern const FullyConnectedQs16Kernel qs16_qc8w_fc;
}  // namespace reference

namespace neon {
void qs8_qc8w_fc_4x4c16(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                        size_t c_stride, const Qs8GemmParams& params);
void qs8_qc8w_fc_4x16(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                      size_t c_stride, const Qs8GemmParams& params);
void qs16_qc8w_fc_4x16(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, int16_t* c,
                       size_t c_stride, const Qs16GemmParams& params);
}  // namespace neon

namespace neondot {
void qs8_qc8w_fc_4x16c4(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                        size_t c_stride, const Qs8GemmParams& params);
void qs16_qc8w_fc_2x16c4(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed,
                         int16_t* c, size_t c_stride, const Qs16GemmParams& params);
}  // namespace neondot

}  // namespace edgefuse::core::kernels
