// Batch matmul kernels for ARMv8.2-A with the dot product (SDOT).
#include "core/kernels/batch_matmul/batch_matmul.h"
#include "core/kernels/gemm/neondot_pack.h"
#include "core/kernels/gemm/neondot_qs16_qs8_gemm.h"
#include "core/kernels/gemm/neondot_qs8_gemm.h"

namespace edgefuse::core::kernels::neondot {

void qs8_bmm_4x16c4_pack(const Qs8PackInput& input, const Qs8GemmParams& params, void* packed) {
  PackQs8C4(input, params, packed);
}

void qs16_qs8_bmm_2x16c4_pack(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed) {
  PackQs16Qs8C4(input, params, packed);
}

void qs8_bmm_4x16c4(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                    size_t c_stride, const Qs8GemmParams& params) {
  Qs8GemmC4PerTensor(m, n, k, a, a_stride, packed, c, c_stride, params);
}

void qs16_qs8_bmm_2x16c4(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, int8_t* c,
                         size_t c_stride, const Qs16GemmParams& params) {
  Qs16Qs8GemmC4<int8_t>(m, n, k, a, a_stride, packed, c, c_stride, params);
}

}  // namespace edgefuse::core::kernels::neondot
