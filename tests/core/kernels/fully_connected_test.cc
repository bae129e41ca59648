// The fully connected tester: every kernel of both lists against the reference, bit
// for bit, on shapes around the tiles with rounding ties forced, extreme values,
// saturation, narrow clamps and left shifts; the reference against TFLite's formula.
#include "core/kernels/fully_connected/fully_connected.h"

#include <gtest/gtest.h>

#include "tests/core/kernels/gemm_tester.h"
#include "tests/support/test_support.h"

namespace edgefuse::core::kernels {
namespace {

using testing::EntryNamed;
using testing::GemmOperands;
using testing::GemmShape;
using testing::RandomVector;

enum Variant { kRandom, kTies, kWeightZeroPoint, kExtremes, kLeftShift, kClamp, kVariants };

template <class A>
GemmOperands<A, int8_t, std::conditional_t<sizeof(A) == 1, int32_t, int64_t>> MakeOperands(std::mt19937_64& rng,
                                                                                           const GemmShape& s,
                                                                                           int variant) {
  using Bias = std::conditional_t<sizeof(A) == 1, int32_t, int64_t>;
  GemmOperands<A, int8_t, Bias> ops;
  const size_t a_size = s.m * s.a_stride(), b_size = s.b_rows() * s.b_stride();
  switch (variant) {
    case kTies:  // tiny values: small sums, half of them odd, multiplier 0.5 -> ties
    case kLeftShift:
      ops.a = RandomVector<A>(rng, a_size, -3, 3);
      ops.b = RandomVector<int8_t>(rng, b_size, -3, 3);
      break;
    case kExtremes:
      ops.a.resize(a_size);
      ops.b.resize(b_size);
      for (size_t i = 0; i < a_size; ++i)
        ops.a[i] = i % 3 == 0 ? std::numeric_limits<A>::max() : std::numeric_limits<A>::min();
      for (size_t i = 0; i < b_size; ++i) ops.b[i] = i % 5 == 0 ? 127 : -128;
      break;
    default:
      ops.a = RandomVector<A>(rng, a_size);
      ops.b = RandomVector<int8_t>(rng, b_size);
      break;
  }
  std::uniform_int_distribution<int64_t> bias(sizeof(A) == 1 ? -100000 : -(int64_t{1} << 36),
                                              sizeof(A) == 1 ? 100000 : (int64_t{1} << 36));
  std::uniform_int_distribution<int32_t> mult(1 << 30, INT32_MAX);
  ops.bias.resize(s.n);
  for (Bias& b : ops.bias)
    b = variant == kTies || variant == kLeftShift ? static_cast<Bias>(bias(rng) % 7) : static_cast<Bias>(bias(rng));
  ops.channel.resize(s.n);
  for (size_t j = 0; j < s.n; ++j) {
    QuantizedMultiplier& q = ops.channel[j];
    if (variant == kTies) {
      q = {1 << 30, sizeof(A) == 1 ? -static_cast<int32_t>(j % 3) : 0};
    } else if (variant == kLeftShift) {
      q = {mult(rng), static_cast<int32_t>(j % 4)};
    } else if (variant == kExtremes) {  // large sums: shifts that keep some outputs unsaturated
      q = {mult(rng), -static_cast<int32_t>((sizeof(A) == 1 ? 14 : 16) + j % 8)};
    } else if (sizeof(A) == 1) {
      q = {mult(rng), -static_cast<int32_t>(4 + j % 12)};
    } else {
      q = {mult(rng), -static_cast<int32_t>(12 + j % 8)};
    }
  }
  if (variant == kWeightZeroPoint) {  // per-tensor weights with a zero point
    for (size_t j = 1; j < s.n; ++j) ops.channel[j] = ops.channel[0];
  }
  return ops;
}

template <class Params>
Params MakeParams(std::mt19937_64& rng, int variant, bool int16) {
  Params p;
  std::uniform_int_distribution<int32_t> zp(-128, 127);
  if (!int16) {
    p.lhs_zero_point = variant == kExtremes ? 127 : zp(rng);
    p.output_zero_point = zp(rng);
    if (variant == kWeightZeroPoint) p.rhs_zero_point = zp(rng);
    if (variant == kExtremes) p.rhs_zero_point = 0;
  }
  if (variant == kClamp) {
    p.output_min = int16 ? -1000 : -60;
    p.output_max = int16 ? 2000 : 20;
  }
  return p;
}

// Operands within a limited kernel's rules (Qs8GemmUkernel::accepts): no weight of
// -128, no weight zero point.
void MakeAccepted(GemmOperands<int8_t, int8_t, int32_t>* ops, Qs8GemmParams* params) {
  for (int8_t& w : ops->b) w = w == -128 ? -127 : w;
  params->rhs_zero_point = 0;
}

class FcQs8Test : public ::testing::TestWithParam<std::string> {};

TEST_P(FcQs8Test, MatchesReference) {
  const auto& entry = EntryNamed(kFullyConnectedQs8Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  EXPECT_TRUE(testing::SameAsReferenceOnTileShapes<int8_t>(
      *entry.fn, *testing::ReferenceEntry(kFullyConnectedQs8Kernels).fn, /*deep=*/false, [&](GemmShape& s, int index) {
        s.layout = RhsLayout::kNK;  // weights are [out, in]
        const int variant = index % kVariants;
        auto ops = MakeOperands<int8_t>(rng, s, variant);
        auto params = MakeParams<Qs8GemmParams>(rng, variant, false);
        if (entry.fn->accepts != nullptr) MakeAccepted(&ops, &params);
        return std::pair(ops, params);
      }));
}

// The kernels with limits, on more column remainders and depths than the tile shapes
// (4-column tiles), and the limits themselves.
TEST_P(FcQs8Test, AcceptedOperandsOnFourColumnTiles) {
  const auto& entry = EntryNamed(kFullyConnectedQs8Kernels, GetParam());
  if (entry.fn->accepts == nullptr) GTEST_SKIP() << GetParam() << " takes any operands";
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  const auto& reference = *testing::ReferenceEntry(kFullyConnectedQs8Kernels).fn;
  int index = 0;
  for (size_t k : {1, 15, 16, 17, 48, 255, 256, 257}) {
    for (size_t n : {1, 2, 4, 5, 6, 10, 12}) {
      const GemmShape s{1 + static_cast<size_t>(index) % 9, n, k, RhsLayout::kNK, 0, 0, 0};
      const int variant = index++ % kVariants;
      auto ops = MakeOperands<int8_t>(rng, s, variant);
      auto params = MakeParams<Qs8GemmParams>(rng, variant, false);
      MakeAccepted(&ops, &params);
      ASSERT_TRUE(testing::SameAsReference<int8_t>(*entry.fn, reference, s, ops, params)) << "variant " << variant;
    }
  }
  std::vector<int8_t> w(4 * 16, 5);
  std::vector<QuantizedMultiplier> q(4, QuantizeMultiplier(0.01));
  Qs8GemmParams p;
  EXPECT_TRUE(entry.fn->accepts({{w.data(), 16, RhsLayout::kNK}, 4, 16, nullptr, q.data()}, p));
  w[37] = -128;  // two products of -128 x -128 would overflow the int16 pair sum
  EXPECT_FALSE(entry.fn->accepts({{w.data(), 16, RhsLayout::kNK}, 4, 16, nullptr, q.data()}, p));
  w[37] = -127;
  p.rhs_zero_point = 1;
  EXPECT_FALSE(entry.fn->accepts({{w.data(), 16, RhsLayout::kNK}, 4, 16, nullptr, q.data()}, p));
}

class FcQs16Test : public ::testing::TestWithParam<std::string> {};

TEST_P(FcQs16Test, MatchesReference) {
  const auto& entry = EntryNamed(kFullyConnectedQs16Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  EXPECT_TRUE(testing::SameAsReferenceOnTileShapes<int16_t>(
      *entry.fn, *testing::ReferenceEntry(kFullyConnectedQs16Kernels).fn, /*deep=*/true, [&](GemmShape& s, int index) {
        s.layout = RhsLayout::kNK;
        int variant = index % kVariants;
        if (variant == kWeightZeroPoint) variant = kRandom;  // 16x8 weights are symmetric
        return std::pair(MakeOperands<int16_t>(rng, s, variant), MakeParams<Qs16GemmParams>(rng, variant, true));
      }));
}

// The reference is TFLite's loop: check it against the formula written out here.
TEST(FullyConnectedReference, IsTfliteFormula) {
  EF_SEEDED_RNG(rng);
  const size_t m = 3, n = 5, k = 7;
  const auto x = RandomVector<int8_t>(rng, m * k), w = RandomVector<int8_t>(rng, n * k);
  const auto bias = RandomVector<int32_t>(rng, n, -5000, 5000);
  std::vector<QuantizedMultiplier> q(n, QuantizeMultiplier(0.0123));
  Qs8GemmParams p;
  p.lhs_zero_point = -7;
  p.rhs_zero_point = 3;
  p.output_zero_point = 11;
  std::vector<uint8_t> packed(reference::qs8_qc8w_fc.packed_size(n, k));
  reference::qs8_qc8w_fc.pack({{w.data(), k, RhsLayout::kNK}, n, k, bias.data(), q.data()}, p, packed.data());
  std::vector<int8_t> y(m * n);
  reference::qs8_qc8w_fc.gemm(m, n, k, x.data(), k, packed.data(), y.data(), n, p);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      int32_t acc = bias[j];
      for (size_t kk = 0; kk < k; ++kk) acc += (w[j * k + kk] - 3) * (x[i * k + kk] + 7);
      const int32_t expected = std::clamp(MultiplyByQuantizedMultiplier(acc, q[j]) + 11, -128, 127);
      ASSERT_EQ(y[i * n + j], expected) << i << "," << j;
    }
  }
}

// Only the reference tier is compiled for x86-64: these suites are empty there.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FcQs8Test);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FcQs16Test);
INSTANTIATE_TEST_SUITE_P(Kernels, FcQs8Test,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(kFullyConnectedQs8Kernels)),
                         testing::ParamName);
INSTANTIATE_TEST_SUITE_P(Kernels, FcQs16Test,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(kFullyConnectedQs16Kernels)),
                         testing::ParamName);

}  // namespace
}  // namespace edgefuse::core::kernels
