// The patch_motion tester: every entry of PatchMotionKernels() against the reference,
// bit for bit, over patch widths below, at and above the 8-pixel tile (1 to 24, so patch
// borders fall anywhere inside a tile), heights 1 to 11, padded strides, the extremes of
// the normalization parameters and forced rounding ties. Entries the CPU lacks are
// skipped visibly.
#include "core/kernels/patch_motion/patch_motion.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "tests/core/kernels/kernel_test_util.h"
#include "tests/support/test_support.h"

namespace edgefuse::core {
namespace {

constexpr int16_t kSentinel = -12345;

struct Shape {
  int grid_width, grid_height, patch_width, patch_height;
};

// Owns the buffers of one call; rows are padded by odd amounts so stride bugs show.
struct Problem {
  Problem(const Shape& s, std::mt19937_64& rng) : shape(s) {
    width = s.grid_width * s.patch_width;
    height = s.grid_height * s.patch_height;
    grey_stride = width + 13;
    prev_stride = width + 5;
    norm_stride = width + 3;
    grey.resize(static_cast<size_t>(grey_stride) * height);
    workspace.resize(PatchMotionWorkspaceBytes(width));
    prev.resize(static_cast<size_t>(prev_stride) * height);
    std::uniform_int_distribution<int> u8(0, 255);
    std::uniform_int_distribution<int> s16(-32768, 32767);
    for (auto& g : grey) g = static_cast<uint8_t>(u8(rng));
    for (auto& p : prev) p = static_cast<int16_t>(s16(rng));
  }

  PatchMotionArgs Args(std::vector<int16_t>* norm, std::vector<PatchSums>* sums, int16_t mean_q4, int16_t gain) const {
    norm->assign(static_cast<size_t>(norm_stride) * height, kSentinel);
    sums->assign(static_cast<size_t>(shape.grid_width) * shape.grid_height, PatchSums{1, 2, 3});
    return PatchMotionArgs{.grey = grey.data(),
                           .grey_stride = grey_stride,
                           .prev = prev.data(),
                           .prev_stride = 2 * prev_stride,
                           .norm = norm->data(),
                           .norm_stride = 2 * norm_stride,
                           .grid_width = shape.grid_width,
                           .grid_height = shape.grid_height,
                           .patch_width = shape.patch_width,
                           .patch_height = shape.patch_height,
                           .mean_q4 = mean_q4,
                           .gain = gain,
                           .workspace = const_cast<uint8_t*>(workspace.data()),
                           .sums = sums->data()};
  }

  Shape shape;
  int width, height, grey_stride, prev_stride, norm_stride;
  std::vector<uint8_t> grey;
  std::vector<int16_t> prev;
  std::vector<uint8_t> workspace;
};

std::vector<Shape> SweepShapes() {
  std::vector<Shape> shapes;
  for (int pw : {1, 2, 3, 5, 8, 10, 13, 16, 24}) {
    const int gw = 8 / std::gcd(pw, 8);  // the smallest grid width whose rows are whole tiles
    for (int ph : {1, 2, 3, 7, 8, 11}) {
      shapes.push_back({gw, 1, pw, ph});
      shapes.push_back({2 * gw, 3, pw, ph});
    }
  }
  shapes.push_back({16, 12, 10, 10});  // the front-end's default grid
  shapes.push_back({1, 1, 256, 256});  // the largest patch the contract allows
  return shapes;
}

// (mean_q4, gain) pairs: extremes, typical values, and gains that are odd multiples of
// 2^12, so every odd 16 g - mean_q4 lands exactly on a rounding tie (both signs).
std::vector<std::pair<int16_t, int16_t>> SweepParams(std::mt19937_64& rng) {
  std::vector<std::pair<int16_t, int16_t>> params = {{0, 0},       {0, 32767},    {4080, 32767}, {2040, 32767},
                                                     {1601, 4096}, {1601, 12288}, {3, 28672},    {2047, 1}};
  std::uniform_int_distribution<int> mean(0, 4080), gain(0, 32767);
  for (int i = 0; i < 4; ++i) params.emplace_back(mean(rng), gain(rng));
  return params;
}

}  // namespace

// Test names and failure messages show the entry's name, not its bytes.
void PrintTo(const KernelEntry<PatchMotionFn>& entry, std::ostream* os) { *os << entry.name; }

namespace {

// Every entry (the reference included) on the hand-computed and in-place cases.
class PatchMotionEntry : public ::testing::TestWithParam<KernelEntry<PatchMotionFn>> {};
// Every entry but the reference, against the reference.
class PatchMotionTier : public ::testing::TestWithParam<KernelEntry<PatchMotionFn>> {};

TEST_P(PatchMotionTier, MatchesReferenceBitForBit) {
  const auto& entry = GetParam();
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  for (const Shape& shape : SweepShapes()) {
    Problem problem(shape, rng);
    for (auto [mean_q4, gain] : SweepParams(rng)) {
      SCOPED_TRACE(::testing::Message() << "grid " << shape.grid_width << "x" << shape.grid_height << " patch "
                                        << shape.patch_width << "x" << shape.patch_height << " mean_q4 " << mean_q4
                                        << " gain " << gain);
      std::vector<int16_t> want_norm, got_norm;
      std::vector<PatchSums> want, got;
      reference::u8_patch_motion(problem.Args(&want_norm, &want, mean_q4, gain));
      entry.fn(problem.Args(&got_norm, &got, mean_q4, gain));
      ASSERT_EQ(std::memcmp(want_norm.data(), got_norm.data(), want_norm.size() * sizeof(int16_t)), 0)
          << "normalized frame differs (or the row padding was written)";
      for (size_t i = 0; i < want.size(); ++i) {
        ASSERT_EQ(want[i].motion, got[i].motion) << "patch " << i;
        ASSERT_EQ(want[i].texture, got[i].texture) << "patch " << i;
        ASSERT_EQ(want[i].level, got[i].level) << "patch " << i;
      }
    }
  }
}

TEST_P(PatchMotionEntry, RunsInPlaceOnThePreviousFramesBufferLayout) {
  // The front-end swaps two buffers: last frame's norm becomes prev. Two calls in a row
  // must give zero motion for an unchanged frame.
  const auto& entry = GetParam();
  if (!TierSupported(entry.tier, platform::DetectCpuFeatures())) {
    GTEST_SKIP() << entry.name << " needs " << TierName(entry.tier) << ", which this CPU lacks";
  }
  EF_SEEDED_RNG(rng);
  Problem problem({16, 12, 10, 10}, rng);
  std::vector<int16_t> first, second;
  std::vector<PatchSums> sums;
  entry.fn(problem.Args(&first, &sums, 1500, 3000));
  PatchMotionArgs args = problem.Args(&second, &sums, 1500, 3000);
  args.prev = first.data();
  args.prev_stride = 2 * problem.norm_stride;
  entry.fn(args);
  for (const PatchSums& s : sums) EXPECT_EQ(s.motion, 0u);
}

TEST_P(PatchMotionEntry, SumsAHandComputedPatch) {
  const auto& entry = GetParam();
  if (!TierSupported(entry.tier, platform::DetectCpuFeatures())) {
    GTEST_SKIP() << entry.name << " needs " << TierName(entry.tier) << ", which this CPU lacks";
  }
  // One 8x2 patch; gain 8192 with mean_q4 0 makes n = 16 g.
  std::vector<uint8_t> grey = {0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7};
  std::vector<int16_t> prev(16, 16);
  std::vector<int16_t> norm(16);
  std::vector<uint8_t> workspace(PatchMotionWorkspaceBytes(8));
  PatchSums sums{};
  entry.fn(PatchMotionArgs{.grey = grey.data(),
                           .grey_stride = 8,
                           .prev = prev.data(),
                           .prev_stride = 16,
                           .norm = norm.data(),
                           .norm_stride = 16,
                           .grid_width = 1,
                           .grid_height = 1,
                           .patch_width = 8,
                           .patch_height = 2,
                           .mean_q4 = 0,
                           .gain = 8192,
                           .workspace = workspace.data(),
                           .sums = &sums});
  EXPECT_EQ(norm[3], 48);
  // motion: row 0 |16 g - 16| = 16,0,16,...,96 -> 16*(1+0+1+2+3+4+5+6) = 352; row 1: 8 * 96.
  EXPECT_EQ(sums.motion, 352u + 8u * 96u);
  // texture: row 0 horizontal 7 * 16; row 1 horizontal 0; vertical 16*(7+6+...+0) = 448.
  EXPECT_EQ(sums.texture, 7u * 16u + 448u);
  EXPECT_EQ(sums.level, 16 * (28 + 56));
}

std::string EntryName(const ::testing::TestParamInfo<KernelEntry<PatchMotionFn>>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(List, PatchMotionEntry, ::testing::ValuesIn(PatchMotionKernels()), EntryName);
std::vector<KernelEntry<PatchMotionFn>> NonReferenceEntries() {
  const auto list = PatchMotionKernels();
  for (size_t i = 0; i + 1 < list.size(); ++i) testing::ExpectKernelRun(list[i].name, TierName(list[i].tier));
  return {list.begin(), list.end() - 1};
}
// Only the reference tier is compiled for x86-64: this suite is empty there.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(PatchMotionTier);
INSTANTIATE_TEST_SUITE_P(List, PatchMotionTier, ::testing::ValuesIn(NonReferenceEntries()), EntryName);

TEST(PatchMotionReference, NormalizesWithinHalfAnLsbOfTheRealValue) {
  for (int mean_q4 : {0, 1, 1600, 4080}) {
    for (int gain : {0, 1, 4096, 12288, 32767}) {
      for (int g = 0; g < 256; ++g) {
        const double ideal = (16.0 * g - mean_q4) * gain / 8192.0;
        const int16_t n =
            NormalizeGrey(static_cast<uint8_t>(g), static_cast<int16_t>(mean_q4), static_cast<int16_t>(gain));
        ASSERT_LE(std::fabs(n - ideal), 0.5) << "g " << g << " mean_q4 " << mean_q4 << " gain " << gain;
        // Ties round up (towards +infinity), for negative values too.
        if (std::fabs(n - ideal) == 0.5) {
          ASSERT_GT(n, ideal);
        }
      }
    }
  }
}

}  // namespace
}  // namespace edgefuse::core
