// The f32_gemm kernel list: best first, reference last. Adding a kernel is adding a line.
#include "core/kernels/f32_gemm/f32_gemm.h"

namespace edgefuse::core {

std::span<const KernelEntry<F32GemmKernel>> F32GemmKernels() {
  static constexpr KernelEntry<F32GemmKernel> kKernels[] = {
#if EDGEFUSE_HAVE_NEON
    {"f32_gemm_8x8_neon", Tier::kNeon, {&kernels::neon::f32_gemm_8x8, 8, 8}},
#endif
    {"f32_gemm_reference", Tier::kReference, {&kernels::reference::f32_gemm, 1, 1}},
  };
  return kKernels;
}

const KernelEntry<F32GemmKernel>& SelectF32Gemm(Tier cap) { return SelectKernel(F32GemmKernels(), cap); }

}  // namespace edgefuse::core
