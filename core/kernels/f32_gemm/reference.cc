// The specification of f32_gemm (see f32_gemm.h): per output, one fused multiply-add
// chain over k in increasing order from +0.0f, then one multiplication by alpha.
//
// Written as row-times-panel updates (acc[j] += A[i][k] * B[k][j] for a block of
// columns) so that each C[i][j] keeps exactly that chain while the loop over j can be
// vectorized. On x86-64 the
// function is also compiled for FMA3 and picked by the loader when the CPU has it:
// std::fma is exact on every target, so both clones give the same bits; without FMA3
// hardware std::fma is a (slow, exact) library call.
#include <cassert>
#include <cmath>
#include <cstdint>

#include "core/kernels/f32_gemm/f32_gemm.h"

#if defined(__x86_64__)
#define EF_F32_GEMM_CLONES __attribute__((target_clones("fma", "default")))
#else
#define EF_F32_GEMM_CLONES
#endif

namespace edgefuse::core::kernels::reference {

EF_F32_GEMM_CLONES
void f32_gemm(size_t m, size_t n, size_t k, const float* a, size_t a_stride, const float* b, size_t b_stride, float* c,
              size_t c_stride, float alpha) {
  assert(m >= 1 && n >= 1 && k >= 1);
  assert(a_stride % sizeof(float) == 0 && b_stride % sizeof(float) == 0 && c_stride % sizeof(float) == 0);
  const auto row = [](const float* base, size_t stride, size_t i) {
    return reinterpret_cast<const float*>(reinterpret_cast<const uint8_t*>(base) + i * stride);
  };
  // Up to kBlock chains of one row at a time, kept in a local array (registers once
  // vectorized) while k runs.
  constexpr size_t kBlock = 16;
  for (size_t i = 0; i < m; ++i) {
    const float* a_row = row(a, a_stride, i);
    float* c_row = reinterpret_cast<float*>(reinterpret_cast<uint8_t*>(c) + i * c_stride);
    for (size_t j0 = 0; j0 < n; j0 += kBlock) {
      const size_t width = n - j0 < kBlock ? n - j0 : kBlock;
      float acc[kBlock] = {};
      if (width == kBlock) {
        for (size_t kk = 0; kk < k; ++kk) {
          const float a_ik = a_row[kk];
          const float* b_row = row(b, b_stride, kk) + j0;
          for (size_t j = 0; j < kBlock; ++j) acc[j] = std::fma(a_ik, b_row[j], acc[j]);
        }
      } else {
        for (size_t kk = 0; kk < k; ++kk) {
          const float a_ik = a_row[kk];
          const float* b_row = row(b, b_stride, kk) + j0;
          for (size_t j = 0; j < width; ++j) acc[j] = std::fma(a_ik, b_row[j], acc[j]);
        }
      }
      for (size_t j = 0; j < width; ++j) c_row[j0 + j] = acc[j] * alpha;
    }
  }
}

}  // namespace edgefuse::core::kernels::reference
