// The main() of every edgefuse test binary: GoogleTest, plus one line naming the CPU
// features and kernel tier cap, so every log shows which tier ran (host, or
// qemu-aarch64 with a given -cpu model); at the end, how many non-reference kernels
// were compared with their reference, and a failure when a tier the build requires
// (EDGEFUSE_REQUIRE_TIERS) never ran.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/dispatch/dispatch.h"
#include "platform/cpu_features.h"
#include "tests/support/test_support.h"

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
  const int status = RUN_ALL_TESTS();
  if (listing) return status;
  const std::string summary = edgefuse::testing::TierRunSummary();
  const char* required = std::getenv("EDGEFUSE_REQUIRE_TIERS");
  if (summary != "none" || required != nullptr) {
    std::printf("[edgefuse] non-reference kernels compared with their reference, by tier: %s\n", summary.c_str());
  }
  if (const std::string missing = edgefuse::testing::MissingKernelRuns(); !missing.empty()) {
    std::printf("[edgefuse] FAILED: %s (EDGEFUSE_REQUIRE_TIERS=%s)\n", missing.c_str(), required);
    return 1;
  }
  return status;
}
