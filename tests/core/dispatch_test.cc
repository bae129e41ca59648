#include "core/dispatch/dispatch.h"

#include <gtest/gtest.h>

namespace edgefuse::core {
namespace {

using Fn = int (*)();
int Ref() { return 0; }
int Neon() { return 1; }
int NeonDot() { return 2; }

constexpr KernelEntry<Fn> kList[] = {
    {"dot", Tier::kNeonDot, &NeonDot},
    {"neon", Tier::kNeon, &Neon},
    {"ref", Tier::kReference, &Ref},
};

platform::CpuFeatures Aarch64(bool dotprod) {
  platform::CpuFeatures cpu;
  cpu.arch = platform::CpuArch::kAarch64;
  cpu.neon = true;
  cpu.dotprod = dotprod;
  return cpu;
}

TEST(Dispatch, PicksTheBestSupportedEntry) {
  EXPECT_STREQ(SelectKernel<Fn>(kList, Tier::kNeonDot, Aarch64(true)).name, "dot");
  EXPECT_STREQ(SelectKernel<Fn>(kList, Tier::kNeonDot, Aarch64(false)).name, "neon");
  platform::CpuFeatures x86;
  x86.arch = platform::CpuArch::kX86_64;
  EXPECT_STREQ(SelectKernel<Fn>(kList, Tier::kNeonDot, x86).name, "ref");
}

TEST(Dispatch, CapForcesALowerTier) {
  EXPECT_STREQ(SelectKernel<Fn>(kList, Tier::kNeon, Aarch64(true)).name, "neon");
  EXPECT_STREQ(SelectKernel<Fn>(kList, Tier::kReference, Aarch64(true)).name, "ref");
  EXPECT_EQ(SelectKernel<Fn>(kList, Tier::kReference, Aarch64(true)).fn(), 0);
}

TEST(Dispatch, TierNamesRoundTrip) {
  for (Tier t : {Tier::kReference, Tier::kNeon, Tier::kNeonDot}) {
    Tier parsed;
    ASSERT_TRUE(ParseTier(TierName(t), &parsed));
    EXPECT_EQ(parsed, t);
  }
  Tier parsed;
  EXPECT_FALSE(ParseTier("sve", &parsed));
}

TEST(Dispatch, BestTierFollowsFeatures) {
  EXPECT_EQ(BestTier(Aarch64(true)), Tier::kNeonDot);
  EXPECT_EQ(BestTier(Aarch64(false)), Tier::kNeon);
  EXPECT_EQ(BestTier(platform::CpuFeatures{}), Tier::kReference);
  EXPECT_LE(DefaultTierCap(), BestTier(platform::DetectCpuFeatures()));
}

}  // namespace
}  // namespace edgefuse::core
