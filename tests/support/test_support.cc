#include "tests/support/test_support.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "platform/file.h"

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

std::string SharedTestData(const std::string& relative) {
  std::string path = std::string(EDGEFUSE_SHARED_TEST_DATA_DIR) + "/" + relative;
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? path : std::string();
}

bool WaitUntil(const std::function<bool()>& condition, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
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
  std::vector<std::string> names;
  std::string error;
  if (platform::ListDirectory(path_, &names, &error)) {
    for (const auto& name : names) unlink(File(name).c_str());
  }
  rmdir(path_.c_str());
}

}  // namespace edgefuse::testing
