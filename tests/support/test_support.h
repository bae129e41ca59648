// Shared helpers for edgefuse tests: seeded randomness with a reproduction line, and
// the location of test data.
//
//   TEST(Fc, MatchesReference) {
//     EF_SEEDED_RNG(rng);                 // std::mt19937_64, seed printed on failure
//     std::uniform_int_distribution<int> dist(-128, 127);
//     ...
//   }
//   const std::string dir = edgefuse::testing::SharedTestDataOrSkip("cmsis-nn/softmax");
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>

namespace edgefuse::testing {

// EDGEFUSE_TEST_SEED when set, otherwise a fixed seed derived from the running test's
// name, so every run is the same unless asked otherwise.
uint64_t TestSeed();

// "EDGEFUSE_TEST_SEED=<seed> <binary> --gtest_filter=<this test>"
std::string ReproduceCommand(uint64_t seed);

// <source>/tests/<relative>: data checked in with the project.
std::string ProjectTestData(const std::string& relative);

// <source>/../shared/testdata/<relative>, or "" when that folder is absent.
std::string SharedTestData(const std::string& relative);

// Polls condition every 5 ms until it holds (true) or timeout_ms passes (false): for
// tests that wait on another thread's work. Generous timeouts, because under
// qemu-aarch64 that work runs 10-50x slower.
bool WaitUntil(const std::function<bool()>& condition, int timeout_ms = 30000);
// A fresh directory under ::testing::TempDir(), removed with the files in it when the
// object goes away (one level: tests put plain files there).
//
//   edgefuse::testing::ScratchDir dir;
//   WriteNpyFile(dir.File("000_query.npy"), array, &error);
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace edgefuse::testing

// Declares `std::mt19937_64 name` seeded by TestSeed(); on failure the message carries
// the command that reproduces the run.
#define EF_SEEDED_RNG(name)                                         \
  const uint64_t name##_seed = ::edgefuse::testing::TestSeed();     \
  SCOPED_TRACE(::edgefuse::testing::ReproduceCommand(name##_seed)); \
  std::mt19937_64 name(name##_seed)

// Sets `std::string var` to SharedTestData(relative) or skips the test, visibly,
// when ../shared/testdata is not there.
#define EF_SHARED_TEST_DATA_OR_SKIP(var, relative)                       \
  const std::string var = ::edgefuse::testing::SharedTestData(relative); \
  if (var.empty()) GTEST_SKIP() << "shared test data not found: " << (relative)
