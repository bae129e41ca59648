// Shared helpers for edgefuse tests: seeded randomness with a reproduction line, the
// location of test data, private scratch directories and the count of kernel tiers run.
//
//   TEST(Fc, MatchesReference) {
//     EF_SEEDED_RNG(rng);                 // std::mt19937_64, seed printed on failure
//     std::uniform_int_distribution<int> dist(-128, 127);
//     ...
//   }
//   edgefuse::testing::ScratchDir dir;   // files go to dir.File("out.npy")
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
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

// Polls condition every 5 ms until it holds (true) or timeout_ms passes (false): for
// tests that wait on another thread's work. Generous timeouts, because under
// qemu-aarch64 that work runs 10-50x slower.
bool WaitUntil(const std::function<bool()>& condition, int timeout_ms = 30000);

// Kernel testers register the non-reference kernels they will compare with the
// reference (ExpectKernelRun, when their instances are made) and count the ones that
// actually ran (CountKernelRun), so that a run that skipped every SIMD kernel is seen:
// the test main prints the counts by tier, and with EDGEFUSE_REQUIRE_TIERS set (a comma
// list: the tiers the emulated CPU has, set by the build) fails the process when no
// kernel ran or a registered kernel of a required tier did not.
void ExpectKernelRun(const std::string& kernel, const char* tier);
void CountKernelRun(const std::string& kernel, const char* tier);
std::string TierRunSummary();  // "neon 12, neondot 8", or "none"
// What EDGEFUSE_REQUIRE_TIERS finds missing ("" when nothing is), one line.
std::string MissingKernelRuns();
// A fresh private directory (mkdtemp under ::testing::TempDir(), unique per process and
// object), removed with everything in it when the object goes away. Every test that
// writes files writes them here: ctest runs tests as parallel processes, and
// ::testing::TempDir() itself is the shared /tmp.
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
