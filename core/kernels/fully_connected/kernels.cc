// The fully connected kernel lists: the only place to edit when a kernel is added.
#include "core/kernels/fully_connected/fully_connected.h"
#include "core/kernels/gemm/pack.h"

namespace edgefuse::core::kernels {
namespace {

[[maybe_unused]] size_t Qs8C4Size(size_t n, size_t k) { return pack::Qs8C4Size(n, k, /*per_channel=*/true); }
[[maybe_unused]] void Qs8C4Pack(const Qs8PackInput& in, const Qs8GemmParams& p, void* out) {
  pack::Qs8C4(in, p, /*per_channel=*/true, out);
}
[[maybe_unused]] size_t Qs8I16Size(size_t n, size_t k) { return pack::Qs8I16Size(n, k, /*per_channel=*/true); }
[[maybe_unused]] void Qs8I16Pack(const Qs8PackInput& in, const Qs8GemmParams& p, void* out) {
  pack::Qs8I16(in, p, /*per_channel=*/true, out);
}

#if EDGEFUSE_HAVE_NEONDOT
constexpr FullyConnectedQs8Kernel kQs8NeonDot = {4, 16, 4, &Qs8C4Size, &Qs8C4Pack, &neondot::qs8_qc8w_fc_4x16c4};
constexpr FullyConnectedQs16Kernel kQs16NeonDot = {
    2, 16, 4, &pack::Qs16Qs8C4Size, &pack::Qs16Qs8C4, &neondot::qs16_qc8w_fc_2x16c4};
#endif
#if EDGEFUSE_HAVE_NEON
constexpr FullyConnectedQs8Kernel kQs8NeonC16 = {
    4, 4, 16, &pack::Qs8C16Size, &pack::Qs8C16, &neon::qs8_qc8w_fc_4x4c16, &pack::Qs8C16Accepts};
constexpr FullyConnectedQs8Kernel kQs8Neon = {4, 16, 8, &Qs8I16Size, &Qs8I16Pack, &neon::qs8_qc8w_fc_4x16};
constexpr FullyConnectedQs16Kernel kQs16Neon = {
    4, 16, 8, &pack::Qs16Qs8I16Size, &pack::Qs16Qs8I16, &neon::qs16_qc8w_fc_4x16};
#endif

constexpr KernelEntry<const FullyConnectedQs8Kernel*> kQs8[] = {
#if EDGEFUSE_HAVE_NEONDOT
    {"qs8_qc8w_fc_4x16c4_neondot", Tier::kNeonDot, &kQs8NeonDot},
#endif
#if EDGEFUSE_HAVE_NEON
    {"qs8_qc8w_fc_4x4c16_neon", Tier::kNeon, &kQs8NeonC16},  // weights without -128
    {"qs8_qc8w_fc_4x16_neon", Tier::kNeon, &kQs8Neon},
#endif
    {"qs8_qc8w_fc_reference", Tier::kReference, &reference::qs8_qc8w_fc},
};

constexpr KernelEntry<const FullyConnectedQs16Kernel*> kQs16[] = {
#if EDGEFUSE_HAVE_NEONDOT
    {"qs16_qc8w_fc_2x16c4_neondot", Tier::kNeonDot, &kQs16NeonDot},
#endif
#if EDGEFUSE_HAVE_NEON
    {"qs16_qc8w_fc_4x16_neon", Tier::kNeon, &kQs16Neon},
#endif
    {"qs16_qc8w_fc_reference", Tier::kReference, &reference::qs16_qc8w_fc},
};

}  // namespace

const std::span<const KernelEntry<const FullyConnectedQs8Kernel*>> kFullyConnectedQs8Kernels = kQs8;
const std::span<const KernelEntry<const FullyConnectedQs16Kernel*>> kFullyConnectedQs16Kernels = kQs16;

}  // namespace edgefuse::core::kernels
