// Kernel tiers and run-time dispatch (DESIGN.md §4).
//
// Every kernel family keeps one best-first list of entries; a plan walks it once and
// takes the first entry the CPU supports and the tier cap allows. The reference
// entry (the specification) is always last and always allowed. Nothing branches on
// the ISA per call.
//
//   static constexpr edgefuse::core::KernelEntry<GemmFn> kGemmKernels[] = {
//       {"qs8_gemm_4x16c4", Tier::kNeonDot, &neondot::qs8_gemm_4x16c4},
//       {"qs8_gemm_4x16", Tier::kNeon, &neon::qs8_gemm_4x16},
//       {"qs8_gemm_reference", Tier::kReference, &reference::qs8_gemm},
//   };
//   const auto& gemm = edgefuse::core::SelectKernel<GemmFn>(kGemmKernels, edgefuse::core::DefaultTierCap());
//
// EDGEFUSE_MAX_TIER=reference|neon|neondot lowers the cap for a whole process (tests,
// comparisons); it can never raise it above what the CPU has.
#pragma once

#include <cassert>
#include <span>
#include <string_view>

#include "platform/cpu_features.h"

namespace edgefuse::core {

enum class Tier {
  kReference = 0,  // portable C++: the specification
  kNeon = 1,       // ARMv8.0-A Advanced SIMD (Raspberry Pi 4, Jetson Nano)
  kNeonDot = 2,    // ARMv8.2-A dot product (Raspberry Pi 5, Jetson Orin)
};

const char* TierName(Tier tier);
// Parses "reference", "neon" or "neondot".
bool ParseTier(std::string_view text, Tier* tier);

// Whether code of this tier can run on a CPU with these features.
bool TierSupported(Tier tier, const platform::CpuFeatures& cpu);

// The best tier this CPU supports.
Tier BestTier(const platform::CpuFeatures& cpu);

// BestTier of the detected CPU, lowered by EDGEFUSE_MAX_TIER when it is set. An
// invalid value is reported once on stderr and ignored.
Tier DefaultTierCap();

template <class Fn>
struct KernelEntry {
  const char* name;
  Tier tier;
  Fn fn;
};

// The first entry of a best-first list whose tier is at most cap and supported by
// cpu, skipping entries for which accept(entry.fn) is false (kernels limited to some
// operands). The list must end with a reference entry, which accepts everything, so
// there is always an answer.
template <class Fn, class Accept>
const KernelEntry<Fn>& SelectKernel(std::span<const KernelEntry<Fn>> list, Tier cap, Accept accept,
                                    const platform::CpuFeatures& cpu = platform::DetectCpuFeatures()) {
  assert(!list.empty() && list.back().tier == Tier::kReference);
  for (const auto& entry : list) {
    if (entry.tier <= cap && TierSupported(entry.tier, cpu) && accept(entry.fn)) return entry;
  }
  return list.back();
}

// The same for kernels without limits.
template <class Fn>
const KernelEntry<Fn>& SelectKernel(std::span<const KernelEntry<Fn>> list, Tier cap,
                                    const platform::CpuFeatures& cpu = platform::DetectCpuFeatures()) {
  return SelectKernel(
      list, cap, [](const Fn&) { return true; }, cpu);
}

}  // namespace edgefuse::core
