#include "platform/cpu_features.h"

#include <gtest/gtest.h>

namespace edgefuse::platform {
namespace {

// Bits from Linux's arch/arm64/include/uapi/asm/hwcap.h.
constexpr uint64_t kFp = 1u << 0, kAsimd = 1u << 1, kFphp = 1u << 9, kAsimdhp = 1u << 10, kAsimddp = 1u << 20;
constexpr uint64_t kHwcap2I8mm = 1u << 13;

TEST(CpuFeatures, CortexA72Hwcaps) {
  // What a Raspberry Pi 4 reports: fp asimd evtstrm crc32 cpuid.
  CpuFeatures f = CpuFeaturesFromAarch64Hwcaps(kFp | kAsimd | (1u << 2) | (1u << 7) | (1u << 11), 0);
  EXPECT_EQ(f.arch, CpuArch::kAarch64);
  EXPECT_TRUE(f.neon);
  EXPECT_FALSE(f.dotprod);
  EXPECT_FALSE(f.i8mm);
  EXPECT_FALSE(f.fp16);
  EXPECT_EQ(CpuFeatureList(f), "neon");
}

TEST(CpuFeatures, CortexA76Hwcaps) {
  CpuFeatures f = CpuFeaturesFromAarch64Hwcaps(kFp | kAsimd | kFphp | kAsimdhp | kAsimddp, 0);
  EXPECT_TRUE(f.neon);
  EXPECT_TRUE(f.dotprod);
  EXPECT_FALSE(f.i8mm);
  EXPECT_TRUE(f.fp16);
  EXPECT_EQ(CpuFeatureList(f), "neon dotprod fp16");
}

TEST(CpuFeatures, I8mmFromHwcap2) {
  CpuFeatures f = CpuFeaturesFromAarch64Hwcaps(kFp | kAsimd | kAsimddp, kHwcap2I8mm);
  EXPECT_TRUE(f.i8mm);
}

TEST(CpuFeatures, NoAsimdMeansNoSimdTiers) {
  CpuFeatures f = CpuFeaturesFromAarch64Hwcaps(kFp | kAsimddp, kHwcap2I8mm);
  EXPECT_FALSE(f.neon);
  EXPECT_FALSE(f.dotprod);
  EXPECT_FALSE(f.i8mm);
  EXPECT_EQ(CpuFeatureList(f), "none");
}

TEST(CpuFeatures, DetectedMatchesBuildTarget) {
  const CpuFeatures& f = DetectCpuFeatures();
#if defined(__aarch64__)
  EXPECT_EQ(f.arch, CpuArch::kAarch64);
  EXPECT_TRUE(f.neon);  // every ARMv8-A Linux system has Advanced SIMD
#if defined(__ARM_FEATURE_DOTPROD)
  EXPECT_TRUE(f.dotprod) << "built for a dot-product CPU but running on one without";
#endif
#elif defined(__x86_64__)
  EXPECT_EQ(f.arch, CpuArch::kX86_64);
  EXPECT_FALSE(f.neon);
  EXPECT_FALSE(f.dotprod);
#endif
  EXPECT_EQ(&f, &DetectCpuFeatures()) << "detection must run once and be cached";
}

}  // namespace
}  // namespace edgefuse::platform
