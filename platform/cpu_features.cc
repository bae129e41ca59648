#include "platform/cpu_features.h"

#if defined(__linux__)
#include <sys/auxv.h>
#endif

namespace edgefuse::platform {
namespace {

// Linux arch/arm64/include/uapi/asm/hwcap.h. Spelled out so the decoding can be
// compiled and tested on any host.
constexpr uint64_t kHwcapFphp = 1u << 9;
constexpr uint64_t kHwcapAsimd = 1u << 1;
constexpr uint64_t kHwcapAsimdhp = 1u << 10;
constexpr uint64_t kHwcapAsimddp = 1u << 20;
constexpr uint64_t kHwcap2I8mm = 1u << 13;

CpuFeatures Detect() {
#if defined(__aarch64__) && defined(__linux__)
  return CpuFeaturesFromAarch64Hwcaps(getauxval(AT_HWCAP), getauxval(AT_HWCAP2));
#elif defined(__x86_64__)
  CpuFeatures features;
  features.arch = CpuArch::kX86_64;
  return features;
#else
  return CpuFeatures{};
#endif
}

}  // namespace

CpuFeatures CpuFeaturesFromAarch64Hwcaps(uint64_t hwcap, uint64_t hwcap2) {
  CpuFeatures features;
  features.arch = CpuArch::kAarch64;
  features.neon = (hwcap & kHwcapAsimd) != 0;
  features.dotprod = features.neon && (hwcap & kHwcapAsimddp) != 0;
  features.i8mm = features.neon && (hwcap2 & kHwcap2I8mm) != 0;
  features.fp16 = (hwcap & kHwcapFphp) != 0 && (hwcap & kHwcapAsimdhp) != 0;
  return features;
}

const CpuFeatures& DetectCpuFeatures() {
  static const CpuFeatures features = Detect();
  return features;
}

const char* CpuArchName(CpuArch arch) {
  switch (arch) {
    case CpuArch::kX86_64: return "x86-64";
    case CpuArch::kAarch64: return "aarch64";
    case CpuArch::kOther: break;
  }
  return "other";
}

std::string CpuFeatureList(const CpuFeatures& features) {
  std::string list;
  auto add = [&list](bool present, const char* name) {
    if (!present) return;
    if (!list.empty()) list += ' ';
    list += name;
  };
  add(features.neon, "neon");
  add(features.dotprod, "dotprod");
  add(features.i8mm, "i8mm");
  add(features.fp16, "fp16");
  return list.empty() ? "none" : list;
}

}  // namespace edgefuse::platform
