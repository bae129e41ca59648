// SelectedKernels: one entry per kernel list, honouring the tier cap and the CPU.
#include "core/kernels/kernel_info.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace edgefuse::core::kernels {
namespace {

TEST(KernelInfo, NamesEveryFamilyOnce) {
  std::set<std::string> families;
  for (const auto& k : SelectedKernels(DefaultTierCap())) {
    EXPECT_TRUE(families.insert(k.family).second) << k.family;
    EXPECT_LE(k.tier, DefaultTierCap()) << k.kernel;
  }
  EXPECT_EQ(families.size(), 13u);
  for (const char* family : {"batch_matmul_qs16_qs8", "softmax_qs8_qs16", "f32_gemm", "x32_transpose", "rfft_q15",
                             "patch_motion"}) {
    EXPECT_TRUE(families.count(family)) << family;
  }
}

TEST(KernelInfo, ReferenceCapSelectsTheSpecifications) {
  for (const auto& k : SelectedKernels(Tier::kReference)) {
    EXPECT_EQ(k.tier, Tier::kReference);
    EXPECT_NE(std::string(k.kernel).find("_reference"), std::string::npos) << k.kernel;
  }
}

TEST(KernelInfo, ACpuWithoutDotProductNeverGetsNeondot) {
  platform::CpuFeatures a72;
  a72.arch = platform::CpuArch::kAarch64;
  a72.neon = true;
  for (const auto& k : SelectedKernels(Tier::kNeonDot, a72)) {
    EXPECT_NE(k.tier, Tier::kNeonDot) << k.kernel;
    EXPECT_EQ(std::string(k.kernel).find("neondot"), std::string::npos) << k.kernel;
    // Every entry's name says its tier.
    EXPECT_NE(std::string(k.kernel).find(k.tier == Tier::kNeon ? "_neon" : "_reference"), std::string::npos)
        << k.kernel;
  }
}

}  // namespace
}  // namespace edgefuse::core::kernels
