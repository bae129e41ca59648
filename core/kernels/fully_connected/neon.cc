// Fully connected kernels for ARMv8.0 Advanced SIMD (no dot product).
#include "core/kernels/fully_connected/fully_connected.h"
#include "core/kernels/gemm/neon_qs16_gemm.h"
#include "core/kernels/gemm/neon_qs8_c16_gemm.h"
#include "core/kernels/gemm/neon_qs8_gemm.h"

namespace edgefuse::core::kernels::neon {

void qs8_qc8w_fc_4x16(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                      size_t c_stride, const Qs8GemmParams& params) {
  Qs8GemmI16<Qs8Requant::kPerChannel>(m, n, k, a, a_stride, packed, c, c_stride, params);
}

void qs8_qc8w_fc_4x4c16(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                        size_t c_stride, const Qs8GemmParams& params) {
  // The header of the buffer (gemm.h) says whether every multiplier shifts right.
  const int32_t all_shift_right = *static_cast<const int32_t*>(packed);
  const void* tiles = static_cast<const uint8_t*>(packed) + kQs8C4ChannelHeaderBytes;
  if (all_shift_right != 0) {
    Qs8GemmC16<true>(m, n, k, a, a_stride, tiles, c, c_stride, params);
  } else {
    Qs8GemmC16<false>(m, n, k, a, a_stride, tiles, c, c_stride, params);
  }
}

void qs16_qc8w_fc_4x16(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, int16_t* c,
                       size_t c_stride, const Qs16GemmParams& params) {
  Qs16Qs8GemmI16<int16_t>(m, n, k, a, a_stride, packed, c, c_stride, params);
}

}  // namespace edgefuse::core::kernels::neon
