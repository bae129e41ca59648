// x32_transpose tester: every list entry against the reference over shapes around the
// 4x4 block, with strided rows, and nothing written outside the output.
#include "core/kernels/x32_transpose/x32_transpose.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "platform/cpu_features.h"
#include "tests/core/kernels/kernel_test_util.h"
#include "tests/support/test_support.h"

namespace edgefuse::core {
namespace {

constexpr uint32_t kGuard = 0xDEADBEEF;

TEST(X32Transpose, ListEndsWithTheReference) {
  const auto list = X32TransposeKernels();
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.back().tier, Tier::kReference);
  for (const auto& entry : list) std::printf("[x32_transpose] %s (%s)\n", entry.name, TierName(entry.tier));
}

TEST(X32Transpose, ReferenceTransposes) {
  const uint32_t in[2 * 4] = {1, 2, 3, 9, 4, 5, 6, 9};  // [2, 3] with row stride 4
  uint32_t out[3 * 2] = {};
  X32TransposeKernels().back().fn(2, 3, in, 16, out, 8);
  EXPECT_EQ(std::vector<uint32_t>(out, out + 6), (std::vector<uint32_t>{1, 4, 2, 5, 3, 6}));
}

// One instance per non-reference entry of the list.
class X32TransposeTier : public ::testing::TestWithParam<std::string> {};

TEST_P(X32TransposeTier, MatchesTheReference) {
  const auto& kernel = testing::EntryNamed(X32TransposeKernels(), GetParam());
  const auto& reference = testing::ReferenceEntry(X32TransposeKernels());
  EF_SKIP_UNSUPPORTED_KERNEL(kernel);
  EF_SEEDED_RNG(rng);
  {
    for (size_t rows : {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 192}) {
      for (size_t cols : {1, 2, 3, 4, 5, 8, 11, 16, 32, 33}) {
        const size_t in_stride = cols + rng() % 3, out_stride = rows + rng() % 3;
        std::vector<uint32_t> in(rows * in_stride);
        for (auto& x : in) x = static_cast<uint32_t>(rng());
        std::vector<uint32_t> got(cols * out_stride, kGuard), want(cols * out_stride, kGuard);
        kernel.fn(rows, cols, in.data(), in_stride * 4, got.data(), out_stride * 4);
        reference.fn(rows, cols, in.data(), in_stride * 4, want.data(), out_stride * 4);
        ASSERT_EQ(got, want) << kernel.name << " " << rows << "x" << cols;
      }
    }
  }
}

// Only the reference tier is compiled for x86-64: this suite is empty there.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(X32TransposeTier);
INSTANTIATE_TEST_SUITE_P(Kernels, X32TransposeTier,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(X32TransposeKernels())),
                         testing::ParamName);

}  // namespace
}  // namespace edgefuse::core
