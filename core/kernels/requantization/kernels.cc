// The requantize kernel list: the only place to edit when a kernel is added.
#include "core/kernels/requantization/requantize.h"

namespace edgefuse::core::kernels {
namespace {

constexpr KernelEntry<Qs32Qs8RequantizeFn> kQs32Qs8[] = {
#if EDGEFUSE_HAVE_NEON
    {"qs32_qs8_requantize_16_neon", Tier::kNeon, &neon::qs32_qs8_requantize_16},
#endif
    {"qs32_qs8_requantize_reference", Tier::kReference, &reference::qs32_qs8_requantize},
};

}  // namespace

const std::span<const KernelEntry<Qs32Qs8RequantizeFn>> kQs32Qs8RequantizeKernels = kQs32Qs8;

}  // namespace edgefuse::core::kernels
