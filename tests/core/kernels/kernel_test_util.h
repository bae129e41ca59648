// Helpers of the kernel testers: every entry of a kernel list becomes one test
// instance (named after the kernel), entries the CPU cannot run are skipped visibly,
// and random operands come from the seeded generator of tests/support.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "core/dispatch/dispatch.h"
#include "platform/cpu_features.h"
#include "tests/support/test_support.h"

namespace edgefuse::testing {

template <class Fn>
std::vector<std::string> EntryNames(std::span<const core::KernelEntry<Fn>> list) {
  std::vector<std::string> names;
  for (const auto& entry : list) names.emplace_back(entry.name);
  return names;
}

template <class Fn>
const core::KernelEntry<Fn>& EntryNamed(std::span<const core::KernelEntry<Fn>> list, const std::string& name) {
  for (const auto& entry : list) {
    if (name == entry.name) return entry;
  }
  ADD_FAILURE() << "no kernel named " << name;
  return list.back();
}

// The entries a tester compares with the reference: all but the last. Empty where the
// build has only the reference tier (GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST
// then keeps the empty suite quiet); comparing the reference with itself proves nothing.
// Registers them as kernels the tests must run (ExpectKernelRun).
template <class Fn>
std::vector<std::string> NonReferenceEntryNames(std::span<const core::KernelEntry<Fn>> list) {
  std::vector<std::string> names;
  for (size_t i = 0; i + 1 < list.size(); ++i) {
    names.emplace_back(list[i].name);
    ExpectKernelRun(list[i].name, core::TierName(list[i].tier));
  }
  return names;
}

// The reference entry (the specification) of a list: its last one.
template <class Fn>
const core::KernelEntry<Fn>& ReferenceEntry(std::span<const core::KernelEntry<Fn>> list) {
  return list.back();
}

inline std::string ParamName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

template <class T>
std::vector<T> RandomVector(std::mt19937_64& rng, size_t size, int32_t min = std::numeric_limits<T>::min(),
                            int32_t max = std::numeric_limits<T>::max()) {
  std::uniform_int_distribution<int32_t> dist(min, max);
  std::vector<T> v(size);
  for (T& x : v) x = static_cast<T>(dist(rng));
  return v;
}

template <class T>
std::string FirstMismatch(const std::vector<T>& expected, const std::vector<T>& actual, size_t row_length) {
  for (size_t i = 0; i < expected.size(); ++i) {
    if (expected[i] != actual[i]) {
      return "first mismatch at row " + std::to_string(i / row_length) + ", column " + std::to_string(i % row_length) +
             ": expected " + std::to_string(expected[i]) + ", got " + std::to_string(actual[i]);
    }
  }
  return "";
}

}  // namespace edgefuse::testing

// Skips, visibly, a kernel entry whose tier this CPU does not have; otherwise counts
// the entry's run (tests/support CountKernelRun) when it is not the reference.
#define EF_SKIP_UNSUPPORTED_KERNEL(entry)                                                            \
  if (!::edgefuse::core::TierSupported((entry).tier, ::edgefuse::platform::DetectCpuFeatures()))     \
    GTEST_SKIP() << (entry).name << " needs the " << ::edgefuse::core::TierName((entry).tier)        \
                 << " tier; this CPU has: "                                                          \
                 << ::edgefuse::platform::CpuFeatureList(::edgefuse::platform::DetectCpuFeatures()); \
  if ((entry).tier != ::edgefuse::core::Tier::kReference)                                            \
  ::edgefuse::testing::CountKernelRun((entry).name, ::edgefuse::core::TierName((entry).tier))
