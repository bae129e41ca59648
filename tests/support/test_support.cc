#include "tests/support/test_support.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace edgefuse::testing {

uint64_t TestSeed() {
  if (const char* env = std::getenv("EDGEFUSE_TEST_SEED"); env != nullptr && *env != '\0') {
    return std::strtoull(env, nullptr, 0);
  }
  // FNV-1a of the test's full name: stable across runs, different per test.
  uint64_t hash = 1469598103934665603ull;
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info != nullptr ? std::string(info->test_suite_name()) + "." + info->name() : "";
  for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::string ReproduceCommand(uint64_t seed) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string filter = info != nullptr ? std::string(info->test_suite_name()) + "." + info->name() : "*";
  return "reproduce with: EDGEFUSE_TEST_SEED=" + std::to_string(seed) + " <test binary> --gtest_filter='" + filter +
         "'";
}

std::string ProjectTestData(const std::string& relative) {
  return std::string(EDGEFUSE_TEST_DATA_DIR) + "/" + relative;
}

bool WaitUntil(const std::function<bool()>& condition, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

namespace {

struct KernelRuns {
  std::map<std::string, std::string> expected;  // kernel -> tier
  std::map<std::string, int> ran;               // kernel -> runs
  std::map<std::string, int> by_tier;           // tier -> runs
};
KernelRuns& Runs() {
  static KernelRuns runs;
  return runs;
}

}  // namespace

void ExpectKernelRun(const std::string& kernel, const char* tier) { Runs().expected[kernel] = tier; }

void CountKernelRun(const std::string& kernel, const char* tier) {
  ++Runs().ran[kernel];
  ++Runs().by_tier[tier];
}

std::string TierRunSummary() {
  std::string summary;
  for (const auto& [tier, count] : Runs().by_tier) {
    summary += (summary.empty() ? "" : ", ") + tier + " " + std::to_string(count);
  }
  return summary.empty() ? "none" : summary;
}

std::string MissingKernelRuns() {
  const char* env = std::getenv("EDGEFUSE_REQUIRE_TIERS");
  if (env == nullptr || *env == '\0') return "";
  const std::string required = std::string(",") + env + ",";
  if (Runs().by_tier.empty()) return "no non-reference kernel ran";
  std::string missing;
  for (const auto& [kernel, tier] : Runs().expected) {
    if (required.find("," + tier + ",") != std::string::npos && Runs().ran[kernel] == 0) {
      missing += (missing.empty() ? "" : ", ") + kernel;
    }
  }
  return missing.empty() ? "" : "these kernels of a required tier did not run: " + missing;
}

ScratchDir::ScratchDir() {
  std::string pattern = ::testing::TempDir() + "edgefuse-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "cannot create a scratch directory from " << pattern;
    return;
  }
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace edgefuse::testing
