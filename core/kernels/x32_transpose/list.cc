// The x32_transpose kernel list: best first, reference last.
#include "core/kernels/x32_transpose/x32_transpose.h"

namespace edgefuse::core {

std::span<const KernelEntry<X32TransposeFn>> X32TransposeKernels() {
  static constexpr KernelEntry<X32TransposeFn> kKernels[] = {
#if EDGEFUSE_HAVE_NEON
    {"x32_transpose_4x4_neon", Tier::kNeon, &kernels::neon::x32_transpose_4x4},
#endif
    {"x32_transpose_reference", Tier::kReference, &kernels::reference::x32_transpose},
  };
  return kKernels;
}

const KernelEntry<X32TransposeFn>& SelectX32Transpose(Tier cap) { return SelectKernel(X32TransposeKernels(), cap); }

}  // namespace edgefuse::core
