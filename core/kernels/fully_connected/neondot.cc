// Fully connected kernels for ARMv8.2-A with the dot product (SDOT).
#include "core/kernels/fully_connected/fully_connected.h"
#include "core/kernels/gemm/neondot_qs16_qs8_gemm.h"
#include "core/kernels/gemm/neondot_qs8_gemm.h"

namespace edgefuse::core::kernels::neondot {

void qs8_qc8w_fc_4x16c4(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
                        size_t c_stride, const Qs8GemmParams& params) {
  // The header of a per-channel buffer (gemm.h) says whether every multiplier shifts right.
  const int32_t all_shift_right = *static_cast<const int32_t*>(packed);
  const void* tiles = static_cast<const uint8_t*>(packed) + kQs8C4ChannelHeaderBytes;
  if (all_shift_right != 0) {
    Qs8GemmC4<Qs8Requant::kPerChannelRightShift>(m, n, k, a, a_stride, tiles, c, c_stride, params);
  } else {
    Qs8GemmC4<Qs8Requant::kPerChannel>(m, n, k, a, a_stride, tiles, c, c_stride, params);
  }
}

void qs16_qc8w_fc_2x16c4(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed,
                         int16_t* c, size_t c_stride, const Qs16GemmParams& params) {
  Qs16Qs8GemmC4<int16_t>(m, n, k, a, a_stride, packed, c, c_stride, params);
}

}  // namespace edgefuse::core::kernels::neondot
