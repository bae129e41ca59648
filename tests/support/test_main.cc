// The main() of every edgefuse test binary: GoogleTest, plus one line naming the CPU
// features and kernel tier cap, so every log shows which tier ran (host, or
// qemu-aarch64 with a given -cpu model).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "core/dispatch/dispatch.h"
#include "platform/cpu_features.h"

int main(int argc, char** argv) {
  bool listing = false;
  for (int i = 1; i < argc; ++i) listing |= std::strcmp(argv[i], "--gtest_list_tests") == 0;
  testing::InitGoogleTest(&argc, argv);
  if (!listing) {
    const auto& cpu = edgefuse::platform::DetectCpuFeatures();
    std::printf("[edgefuse] cpu %s, features: %s; kernel tier cap: %s\n", edgefuse::platform::CpuArchName(cpu.arch),
                edgefuse::platform::CpuFeatureList(cpu).c_str(),
                edgefuse::core::TierName(edgefuse::core::DefaultTierCap()));
  }
  return RUN_ALL_TESTS();
}
