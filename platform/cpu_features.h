// What the CPU we run on can do, detected once at start (HWCAP on aarch64).
// Kernel dispatch (core/dispatch.h) reads this to pick a tier per kernel family;
// tests pass a reduced set to exercise lower tiers on a capable CPU.
//
//   const edgefuse::platform::CpuFeatures& cpu = edgefuse::platform::DetectCpuFeatures();
//   if (cpu.dotprod) { ... }
#pragma once

#include <cstdint>
#include <string>

namespace edgefuse::platform {

enum class CpuArch { kX86_64, kAarch64, kOther };

struct CpuFeatures {
  CpuArch arch = CpuArch::kOther;
  bool neon = false;     // Advanced SIMD (ASIMD), every ARMv8-A core
  bool dotprod = false;  // SDOT/UDOT (ARMv8.2-A option; Cortex-A76, A78AE, A55)
  bool i8mm = false;     // SMMLA/USDOT (ARMv8.6-A option; Cortex-A710, Neoverse V1)
  bool fp16 = false;     // half-precision arithmetic (FPHP + ASIMDHP)
};

// Features of this process's CPU; computed on first call, then cached.
const CpuFeatures& DetectCpuFeatures();

// The decoding behind DetectCpuFeatures on aarch64, exposed for tests: Linux
// AT_HWCAP and AT_HWCAP2 bit masks to features.
CpuFeatures CpuFeaturesFromAarch64Hwcaps(uint64_t hwcap, uint64_t hwcap2);

const char* CpuArchName(CpuArch arch);  // "x86-64", "aarch64", "other"
// "neon dotprod" style list of the features that are present, or "none".
std::string CpuFeatureList(const CpuFeatures& features);

}  // namespace edgefuse::platform
