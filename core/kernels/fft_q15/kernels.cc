// The fft_q15 kernel list: best first, the reference last. Adding a variant is one line.
#include "core/kernels/fft_q15/fft_q15.h"

namespace edgefuse::core::kernels {

std::span<const KernelEntry<RfftQ15Fn>> RfftQ15Kernels() {
  static constexpr KernelEntry<RfftQ15Fn> kKernels[] = {
#if EDGEFUSE_HAVE_NEON
    {"rfft_q15_neon", Tier::kNeon, &neon::rfft_q15},
#endif
    {"rfft_q15_reference", Tier::kReference, &reference::rfft_q15},
  };
  return kKernels;
}

}  // namespace edgefuse::core::kernels
