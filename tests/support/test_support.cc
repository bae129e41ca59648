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
std::map<std::string, int>& TierRuns() {
  static std::map<std::string, int> runs;
  return runs;
}
}  // namespace

void CountTierRun(const char* tier) { ++TierRuns()[tier]; }

std::string TierRunSummary() {
  std::string summary;
  for (const auto& [tier, count] : TierRuns()) {
    summary += (summary.empty() ? "" : ", ") + tier + " " + std::to_string(count);
  }
  return summary.empty() ? "none" : summary;
}

std::string MissingRequiredTiers() {
  const char* env = std::getenv("EDGEFUSE_REQUIRE_TIERS");
  std::string missing;
  std::string list = env != nullptr ? env : "";
  for (size_t begin = 0; begin < list.size();) {
    size_t end = list.find(',', begin);
    if (end == std::string::npos) end = list.size();
    const std::string tier = list.substr(begin, end - begin);
    if (!tier.empty() && TierRuns()[tier] == 0) missing += (missing.empty() ? "" : ",") + tier;
    begin = end + 1;
  }
  return missing;
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
