// The batch matmul kernel lists: the only place to edit when a kernel is added.
#include "core/kernels/batch_matmul/batch_matmul.h"
#include "core/kernels/gemm/pack.h"

namespace edgefuse::core::kernels {
namespace {

[[maybe_unused]] size_t Qs8C4Size(size_t n, size_t k) { return pack::Qs8C4Size(n, k, /*per_channel=*/false); }
[[maybe_unused]] size_t Qs8I16Size(size_t n, size_t k) { return pack::Qs8I16Size(n, k, /*per_channel=*/false); }

#if EDGEFUSE_HAVE_NEONDOT
constexpr BatchMatmulQs8Kernel kQs8NeonDot = {
    4, 16, 4, &Qs8C4Size, &neondot::qs8_bmm_4x16c4_pack, &neondot::qs8_bmm_4x16c4};
constexpr BatchMatmulQs16Qs8Kernel kQs16Qs8NeonDot = {
    2, 16, 4, &pack::Qs16Qs8C4Size, &neondot::qs16_qs8_bmm_2x16c4_pack, &neondot::qs16_qs8_bmm_2x16c4};
#endif
#if EDGEFUSE_HAVE_NEON
constexpr BatchMatmulQs8Kernel kQs8Neon = {4, 16, 8, &Qs8I16Size, &neon::qs8_bmm_4x16_pack, &neon::qs8_bmm_4x16};
constexpr BatchMatmulQs16Kernel kQs16Neon = {
    4, 8, 8, &pack::Qs16SplitSize, &neon::qs16_bmm_4x8_pack, &neon::qs16_bmm_4x8};
constexpr BatchMatmulQs16Qs8Kernel kQs16Qs8Neon = {
    4, 16, 8, &pack::Qs16Qs8I16Size, &neon::qs16_qs8_bmm_4x16_pack, &neon::qs16_qs8_bmm_4x16};
#endif

constexpr KernelEntry<const BatchMatmulQs8Kernel*> kQs8[] = {
#if EDGEFUSE_HAVE_NEONDOT
    {"qs8_bmm_4x16c4_neondot", Tier::kNeonDot, &kQs8NeonDot},
#endif
#if EDGEFUSE_HAVE_NEON
    {"qs8_bmm_4x16_neon", Tier::kNeon, &kQs8Neon},
#endif
    {"qs8_bmm_reference", Tier::kReference, &reference::qs8_bmm},
};

constexpr KernelEntry<const BatchMatmulQs16Kernel*> kQs16[] = {
#if EDGEFUSE_HAVE_NEON
    {"qs16_bmm_4x8_neon", Tier::kNeon, &kQs16Neon},
#endif
    {"qs16_bmm_reference", Tier::kReference, &reference::qs16_bmm},
};

constexpr KernelEntry<const BatchMatmulQs16Qs8Kernel*> kQs16Qs8[] = {
#if EDGEFUSE_HAVE_NEONDOT
    {"qs16_qs8_bmm_2x16c4_neondot", Tier::kNeonDot, &kQs16Qs8NeonDot},
#endif
#if EDGEFUSE_HAVE_NEON
    {"qs16_qs8_bmm_4x16_neon", Tier::kNeon, &kQs16Qs8Neon},
#endif
    {"qs16_qs8_bmm_reference", Tier::kReference, &reference::qs16_qs8_bmm},
};

}  // namespace

const std::span<const KernelEntry<const BatchMatmulQs8Kernel*>> kBatchMatmulQs8Kernels = kQs8;
const std::span<const KernelEntry<const BatchMatmulQs16Kernel*>> kBatchMatmulQs16Kernels = kQs16;
const std::span<const KernelEntry<const BatchMatmulQs16Qs8Kernel*>> kBatchMatmulQs16Qs8Kernels = kQs16Qs8;

}  // namespace edgefuse::core::kernels
