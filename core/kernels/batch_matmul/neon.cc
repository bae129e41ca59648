// Batch matmul kernels for ARMv8.0 Advanced SIMD (no dot product).
#include "core/kernels/batch_matmul/batch_matmul.h"
#include "core/kernels/gemm/neon_pack.h"
#include "core/kernels/gemm/neon_qs16_gemm.h"
#include "core/kernels/gemm/neon_qs8_gemm.h"

namespace edgefuse::core::kernels::neon {

void qs8_bmm_4x16_pack(const Qs8PackInput& input, const Qs8GemmParams& params, void* packed) {
  PackQs8I16(input, params, packed);
}

void qs16_bmm_4x8_pack(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed) {
  PackQs16Split(input, params, packed);
}

void qs16_qs8_bmm_4x16_pack(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed) {
  PackQs16Qs8I16(input, params, packed);
}

void qs8_bmm_4x16(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                  size_t c_stride, const Qs8GemmParams& params) {
  Qs8GemmI16PerTensor(m, n, k, a, a_stride, packed, c, c_stride, params);
}

void qs16_bmm_4x8(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, int16_t* c,
                  size_t c_stride, const Qs16GemmParams& params) {
  Qs16GemmSplit(m, n, k, a, a_stride, packed, c, c_stride, params);
}

void qs16_qs8_bmm_4x16(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, int8_t* c,
                       size_t c_stride, const Qs16GemmParams& params) {
  Qs16Qs8GemmI16<int8_t>(m, n, k, a, a_stride, packed, c, c_stride, params);
}

}  // namespace edgefuse::core::kernels::neon
