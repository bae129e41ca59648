// The softmax kernel lists: the only place to edit when a kernel is added.
#include "core/kernels/softmax/softmax.h"

namespace edgefuse::core::kernels {
namespace {

constexpr KernelEntry<SoftmaxQs8Fn> kQs8[] = {
#if EDGEFUSE_HAVE_NEON
    {"qs8_softmax_table_neon", Tier::kNeon, &neon::qs8_softmax_table},
#endif
    {"qs8_softmax_reference", Tier::kReference, &reference::qs8_softmax},
};

constexpr KernelEntry<SoftmaxQs8Qs16Fn> kQs8Qs16[] = {
#if EDGEFUSE_HAVE_NEON
    {"qs8_qs16_softmax_table_neon", Tier::kNeon, &neon::qs8_qs16_softmax_table},
#endif
    {"qs8_qs16_softmax_reference", Tier::kReference, &reference::qs8_qs16_softmax},
};

constexpr KernelEntry<SoftmaxQs16Fn> kQs16[] = {
#if EDGEFUSE_HAVE_NEON
    {"qs16_softmax_lut_neon", Tier::kNeon, &neon::qs16_softmax_lut},
#endif
    {"qs16_softmax_reference", Tier::kReference, &reference::qs16_softmax},
};

}  // namespace

const std::span<const KernelEntry<SoftmaxQs8Fn>> kSoftmaxQs8Kernels = kQs8;
const std::span<const KernelEntry<SoftmaxQs8Qs16Fn>> kSoftmaxQs8Qs16Kernels = kQs8Qs16;
const std::span<const KernelEntry<SoftmaxQs16Fn>> kSoftmaxQs16Kernels = kQs16;

}  // namespace edgefuse::core::kernels
