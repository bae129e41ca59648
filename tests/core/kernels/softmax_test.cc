// The softmax tester: every kernel of the three lists against the reference, bit for
// bit (row lengths around the vector width, input scales on both sides of diff_min,
// masks, fully masked rows, long rows); the mask rule against TFLite on the compacted
// row; the reference against the float softmax within the documented bound.
#include "core/kernels/softmax/softmax.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/ops/softmax.h"
#include "tests/core/kernels/kernel_test_util.h"
#include "tests/support/test_support.h"

namespace edgefuse::core::kernels {
namespace {

using testing::EntryNamed;
using testing::RandomVector;

// Parameters and tables as the op prepares them for an input scale (beta 1).
template <class In, class Out>
std::unique_ptr<ops::Softmax<In, Out>> Plan(float input_scale) {
  std::string error;
  auto plan = ops::Softmax<In, Out>::Create({.input_scale = input_scale}, &error, Tier::kReference);
  EXPECT_NE(plan, nullptr) << error;
  return plan;
}

struct SoftmaxCase {
  size_t rows, n, x_pad, y_pad;
  int mask_kind;  // 0 none, 1 shared random, 2 per-row random, 3 one key left, 4 all masked (per row)
  float scale;
};

std::vector<SoftmaxCase> Cases(bool int16) {
  std::vector<SoftmaxCase> cases;
  const size_t ns[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 192, 255, 256, 257};
  const float scales_int8[] = {0.0005f, 0.01f, 0.0625f, 0.1f, 0.25f, 1.0f, 3.0f};
  // Input rescale shifts: right (0.00005), none (0.0001), left (the others).
  const float scales_int16[] = {0.00005f, 0.0001f, 0.0003f, 0.001f, 0.01f, 0.1f};
  size_t i = 0;
  for (size_t n : ns) {
    for (int mask_kind = 0; mask_kind < 5; ++mask_kind) {
      const float scale = int16 ? scales_int16[i % 6] : scales_int8[i % 7];
      cases.push_back({1 + i % 4, n, i % 3 == 0 ? 0u : 5u, i % 4 == 1 ? 3u : 0u, mask_kind, scale});
      ++i;
    }
  }
  return cases;
}

std::vector<uint8_t> MakeMask(std::mt19937_64& rng, const SoftmaxCase& c, size_t* stride) {
  std::vector<uint8_t> mask;
  *stride = 0;
  std::bernoulli_distribution coin(0.3);
  switch (c.mask_kind) {
    case 1:
      mask.resize(c.n);
      for (auto& m : mask) m = coin(rng);
      break;
    case 2:
    case 4:
      *stride = c.n + 1;
      mask.resize(c.rows * *stride);
      for (size_t r = 0; r < c.rows; ++r) {
        for (size_t j = 0; j < c.n; ++j) mask[r * *stride + j] = c.mask_kind == 4 && r % 2 == 0 ? 1 : coin(rng) * 7;
      }
      break;
    case 3:
      mask.assign(c.n, 1);
      mask[c.n / 2] = 0;
      break;
    default: break;
  }
  return mask;
}

template <class In, class Out>
void CheckEntry(const KernelEntry<SoftmaxFn<In, Out>>& entry, const KernelEntry<SoftmaxFn<In, Out>>& reference,
                std::mt19937_64& rng) {
  constexpr bool kInt16 = sizeof(In) == 2;
  for (const SoftmaxCase& c : Cases(kInt16)) {
    auto plan = Plan<In, Out>(c.scale);
    const size_t x_stride = c.n + c.x_pad, y_stride = c.n + c.y_pad;
    std::vector<In> x = RandomVector<In>(rng, c.rows * x_stride);
    if (c.n > 3) {  // equal maxima and extremes
      x[0] = std::numeric_limits<In>::max();
      x[1] = std::numeric_limits<In>::max();
      x[2] = std::numeric_limits<In>::min();
    }
    size_t mask_stride = 0;
    const std::vector<uint8_t> mask = MakeMask(rng, c, &mask_stride);
    std::vector<Out> expected(c.rows * y_stride, 0x55), actual(c.rows * y_stride, 0x55);
    const uint8_t* m = mask.empty() ? nullptr : mask.data();
    reference.fn(c.rows, c.n, x.data(), x_stride * sizeof(In), m, mask_stride, expected.data(), y_stride * sizeof(Out),
                 plan->params());
    entry.fn(c.rows, c.n, x.data(), x_stride * sizeof(In), m, mask_stride, actual.data(), y_stride * sizeof(Out),
             plan->params());
    ASSERT_EQ(expected, actual) << "n=" << c.n << " rows=" << c.rows << " mask kind " << c.mask_kind << " scale "
                                << c.scale << ": " << testing::FirstMismatch(expected, actual, y_stride);
  }
  // Long rows: uniform (every probability below half an output step for int8) and random.
  for (size_t n : {kInt16 ? size_t{4096} : size_t{512}, kInt16 ? size_t{20000} : kMaxSoftmaxQs8Row}) {
    auto plan = Plan<In, Out>(kInt16 ? 0.0003f : 0.05f);
    for (int uniform = 0; uniform < 2; ++uniform) {
      std::vector<In> x = uniform != 0 ? std::vector<In>(n, 5) : RandomVector<In>(rng, n);
      std::vector<Out> expected(n), actual(n);
      reference.fn(1, n, x.data(), 0, nullptr, 0, expected.data(), 0, plan->params());
      entry.fn(1, n, x.data(), 0, nullptr, 0, actual.data(), 0, plan->params());
      ASSERT_EQ(expected, actual) << "n=" << n << (uniform != 0 ? " uniform" : " random") << ": "
                                  << testing::FirstMismatch(expected, actual, n);
    }
  }
}

class SoftmaxQs8Test : public ::testing::TestWithParam<std::string> {};
TEST_P(SoftmaxQs8Test, MatchesReference) {
  const auto& entry = EntryNamed(kSoftmaxQs8Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  CheckEntry(entry, testing::ReferenceEntry(kSoftmaxQs8Kernels), rng);
}

class SoftmaxQs8Qs16Test : public ::testing::TestWithParam<std::string> {};
TEST_P(SoftmaxQs8Qs16Test, MatchesReference) {
  const auto& entry = EntryNamed(kSoftmaxQs8Qs16Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  CheckEntry(entry, testing::ReferenceEntry(kSoftmaxQs8Qs16Kernels), rng);
}

class SoftmaxQs16Test : public ::testing::TestWithParam<std::string> {};
TEST_P(SoftmaxQs16Test, MatchesReference) {
  const auto& entry = EntryNamed(kSoftmaxQs16Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  CheckEntry(entry, testing::ReferenceEntry(kSoftmaxQs16Kernels), rng);
}

// Only the reference tier is compiled for x86-64: these suites are empty there.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SoftmaxQs8Test);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SoftmaxQs8Qs16Test);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SoftmaxQs16Test);
INSTANTIATE_TEST_SUITE_P(Kernels, SoftmaxQs8Test,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(kSoftmaxQs8Kernels)), testing::ParamName);
INSTANTIATE_TEST_SUITE_P(Kernels, SoftmaxQs8Qs16Test,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(kSoftmaxQs8Qs16Kernels)),
                         testing::ParamName);
INSTANTIATE_TEST_SUITE_P(Kernels, SoftmaxQs16Test,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(kSoftmaxQs16Kernels)), testing::ParamName);

// A masked row is TFLite's softmax of its unmasked elements, with 0 at the masked ones.
template <class In, class Out>
void CheckMaskRule(std::mt19937_64& rng, float scale, int32_t zero_probability) {
  auto plan = Plan<In, Out>(scale);
  for (size_t n : {5, 16, 37, 200}) {
    std::vector<In> x = RandomVector<In>(rng, n);
    std::vector<uint8_t> mask(n);
    std::bernoulli_distribution coin(0.4);
    for (auto& m : mask) m = coin(rng);
    mask[n / 3] = 0;
    x[n / 2] = std::numeric_limits<In>::max();  // the maximum is often masked
    mask[n / 2] = 1;
    std::vector<In> kept;
    for (size_t j = 0; j < n; ++j) {
      if (mask[j] == 0) kept.push_back(x[j]);
    }
    std::vector<Out> masked(n), compact(kept.size());
    plan->Run(0, 1, n, x.data(), 0, mask.data(), masked.data(), 0);
    plan->Run(0, 1, kept.size(), kept.data(), 0, nullptr, compact.data(), 0);
    for (size_t j = 0, c = 0; j < n; ++j) {
      if (mask[j] != 0) {
        ASSERT_EQ(masked[j], zero_probability) << "masked key " << j;
      } else {
        ASSERT_EQ(masked[j], compact[c++]) << "key " << j;
      }
    }
  }
  // Fully masked: all probability 0.
  std::vector<In> x = RandomVector<In>(rng, 9);
  std::vector<uint8_t> all(9, 1);
  std::vector<Out> y(9, 1);
  plan->Run(0, 1, 9, x.data(), 0, all.data(), y.data(), 0);
  for (Out v : y) ASSERT_EQ(v, zero_probability);
}

TEST(SoftmaxMask, MaskedRowIsSoftmaxOfUnmaskedKeys) {
  EF_SEEDED_RNG(rng);
  CheckMaskRule<int8_t, int8_t>(rng, 0.07f, -128);
  CheckMaskRule<int8_t, int16_t>(rng, 0.07f, -32768);
  CheckMaskRule<int16_t, int16_t>(rng, 0.0004f, 0);
}

// The reference against the float softmax: max |y - round(p / output scale + zp)| over
// random rows, within the bound documented in core/kernels/README.md.
template <class In, class Out>
int MaxErrorVsFloat(std::mt19937_64& rng, float scale, double out_scale, int32_t out_zp) {
  auto plan = Plan<In, Out>(scale);
  int worst = 0;
  for (size_t n : {2, 10, 64, 192, 256}) {
    for (int t = 0; t < 20; ++t) {
      std::vector<In> x = RandomVector<In>(rng, n, std::numeric_limits<In>::min() / (t % 2 + 1),
                                           std::numeric_limits<In>::max() / (t % 3 + 1));
      std::vector<Out> y(n);
      plan->Run(0, 1, n, x.data(), 0, nullptr, y.data(), 0);
      double max = -1e300, sum = 0;
      for (In v : x) max = std::max<double>(max, v);
      for (In v : x) sum += std::exp((v - max) * static_cast<double>(scale));
      for (size_t j = 0; j < n; ++j) {
        const double p = std::exp((x[j] - max) * static_cast<double>(scale)) / sum;
        const double ideal = std::clamp(std::round(p / out_scale) + out_zp, double{std::numeric_limits<Out>::min()},
                                        double{std::numeric_limits<Out>::max()});
        worst = std::max(worst, static_cast<int>(std::abs(ideal - y[j])));
      }
    }
  }
  return worst;
}

TEST(SoftmaxReference, WithinDocumentedBoundOfFloatSoftmax) {
  EF_SEEDED_RNG(rng);
  for (float scale : {0.02f, 0.1f, 0.5f}) {
    EXPECT_LE((MaxErrorVsFloat<int8_t, int8_t>(rng, scale, 1.0 / 256, -128)), 1) << "int8 -> int8, scale " << scale;
    EXPECT_LE((MaxErrorVsFloat<int8_t, int16_t>(rng, scale, 1.0 / 65536, -32768)), 1)
        << "int8 -> int16, scale " << scale;
  }
  for (float scale : {0.0001f, 0.0003f}) {
    // TFLite's exp table stops at exp(-10): every key more than 10 below the maximum
    // still adds 2^-14 to the sum, which costs the large probabilities up to ~16 LSB.
    EXPECT_LE((MaxErrorVsFloat<int16_t, int16_t>(rng, scale, 1.0 / 32768, 0)), scale < 0.0002f ? 4 : 16)
        << "int16 -> int16, scale " << scale;
  }
}

}  // namespace
}  // namespace edgefuse::core::kernels
