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

// Kernel testers count every non-reference kernel they run against its reference, by
// tier, so that a run that skipped every SIMD kernel is seen: the test main prints the
// counts, and fails the process when a tier named in EDGEFUSE_REQUIRE_TIERS (a comma
// list, set by the build for the tiers its emulated CPU has) never ran.
void CountTierRun(const char* tier);
std::string TierRunSummary();  // "neon 12, neondot 8", or "none"
// The tiers of EDGEFUSE_REQUIRE_TIERS that never ran, comma separated ("" when none).
std::string MissingRequiredTiers();
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
