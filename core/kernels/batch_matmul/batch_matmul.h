// Batch matmul kernels for attention: Q K^T and P V, one head (one matrix) per call.
//
//   qs8:      int8 A (zero point za) x int8 B (zero point zb) -> int8, TFLite BATCH_MATMUL int8:
//               acc = sum_k (A[i][k] - za) (B[j][k] - zb)                   (int32, wraps)
//               C[i][j] = clamp(zc + MultiplyByQuantizedMultiplier(acc, q))
//   qs16:     int16 x int16 -> int16, zero points 0, TFLite BATCH_MATMUL int16:
//               acc = sum_k A[i][k] B[j][k]                                 (int64, exact)
//               C[i][j] = clamp(zc + MultiplyByQuantizedMultiplier(acc, q)) (64-bit path)
//   qs16_qs8: int16 A (zero point za, e.g. softmax probabilities: 0 from int16 -> int16,
//             -32768 from int8 -> int16) x int8 B (zero point zb) -> int8. Not a TFLite
//             op; edgefuse defines it as TFLite's 16x8 arithmetic with an int8 operand:
//               acc = sum_k (A[i][k] - za) (B[j][k] - zb)                   (int64, exact)
//               C[i][j] = clamp(zc + MultiplyByQuantizedMultiplier(acc, q)) (64-bit path)
//
// B[j][k] is element (j, k) of the right operand seen as [n x k]: with RhsLayout::kNK
// the caller's rows are j (K_h of Q K^T, read in place from [Nk, E] with stride E), with
// RhsLayout::kKN they are k (V_h of P V). B is packed once per call (pack() into a
// caller buffer of packed_size(n, k) bytes), then gemm() runs any row range; A and C
// are read and written in place with row strides in bytes. Tiles, packed layouts and
// the no-over-read rule: core/kernels/gemm/gemm.h. Ops: core/ops/batch_matmul.h.
//
//   const auto& k = SelectKernel<const BatchMatmulQs8Kernel*>(kBatchMatmulQs8Kernels, cap);
//   k.fn->pack({.rhs = {key_h, E, RhsLayout::kNK}, .n = nk, .k = dh}, params, packed);
//   k.fn->gemm(nq, nk, dh, query_h, E, packed, scores, nk, params);
#pragma once

#include <span>

#include "core/dispatch/dispatch.h"
#include "core/kernels/gemm/gemm.h"

namespace edgefuse::core::kernels {

using BatchMatmulQs8Kernel = Qs8GemmUkernel;
using BatchMatmulQs16Kernel = Qs16GemmUkernel<int16_t, int16_t, int16_t>;
using BatchMatmulQs16Qs8Kernel = Qs16GemmUkernel<int16_t, int8_t, int8_t>;

// Best first; each ends with the reference (the specification).
extern const std::span<const KernelEntry<const BatchMatmulQs8Kernel*>> kBatchMatmulQs8Kernels;
extern const std::span<const KernelEntry<const BatchMatmulQs16Kernel*>> kBatchMatmulQs16Kernels;
extern const std::span<const KernelEntry<const BatchMatmulQs16Qs8Kernel*>> kBatchMatmulQs16Qs8Kernels;

namespace reference {
extern const BatchMatmulQs8Kernel qs8_bmm;
extern const BatchMatmulQs16Kernel qs16_bmm;
extern const BatchMatmulQs16Qs8Kernel qs16_qs8_bmm;
}  // namespace reference

// Per-call packing of B, vector code for the common layouts (same bytes as gemm/pack.h).
namespace neon {
void qs8_bmm_4x16_pack(const Qs8PackInput& input, const Qs8GemmParams& params, void* packed);
void qs16_bmm_4x8_pack(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed);
void qs16_qs8_bmm_4x16_pack(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed);
void qs8_bmm_4x16(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                  size_t c_stride, const Qs8GemmParams& params);
void qs16_bmm_4x8(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, int16_t* c,
                  size_t c_stride, const Qs16GemmParams& params);
void qs16_qs8_bmm_4x16(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, int8_t* c,
                       size_t c_stride, const Qs16GemmParams& params);
}  // namespace neon

namespace neondot {
void qs8_bmm_4x16c4_pack(const Qs8PackInput& input, const Qs8GemmParams& params, void* packed);
void qs16_qs8_bmm_2x16c4_pack(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed);
void qs8_bmm_4x16c4(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                    size_t c_stride, const Qs8GemmParams& params);
void qs16_qs8_bmm_2x16c4(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, int8_t* c,
                         size_t c_stride, const Qs16GemmParams& params);
}  // namespace neondot

}  // namespace edgefuse::core::kernels
