// The batch matmul tester: every kernel of the three lists (int8 x int8, int16 x int16,
// int16 x int8) against the reference, bit for bit, for both layouts of B (Q K^T and
// P V), on shapes around the tiles, with rounding ties forced, zero points on both
// sides, extreme values, saturation, left shifts and depths across the int32 chunks.
#include "core/kernels/batch_matmul/batch_matmul.h"

#include <gtest/gtest.h>

#include "tests/core/kernels/gemm_tester.h"
#include "tests/support/test_support.h"

namespace edgefuse::core::kernels {
namespace {

using testing::EntryNamed;
using testing::GemmOperands;
using testing::GemmShape;
using testing::RandomVector;

enum Variant { kRandom, kTies, kExtremes, kLeftShift, kClamp, kZeroPoints, kVariants };

template <class T>
std::vector<T> Extremes(size_t size, int period) {
  std::vector<T> v(size);
  for (size_t i = 0; i < size; ++i)
    v[i] = i % period == 0 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::min();
  return v;
}

template <class A>
using BiasOf = std::conditional_t<sizeof(A) == 1, int32_t, int64_t>;  // unused by batch matmul

template <class A, class B>
GemmOperands<A, B, BiasOf<A>> MakeOperands(std::mt19937_64& rng, const GemmShape& s, int variant) {
  GemmOperands<A, B, BiasOf<A>> ops;
  const size_t a_size = s.m * s.a_stride(), b_size = s.b_rows() * s.b_stride();
  if (variant == kTies || variant == kLeftShift) {
    ops.a = RandomVector<A>(rng, a_size, -3, 3);
    ops.b = RandomVector<B>(rng, b_size, -3, 3);
  } else if (variant == kExtremes) {
    ops.a = Extremes<A>(a_size, 3);
    ops.b = Extremes<B>(b_size, 5);
  } else {
    ops.a = RandomVector<A>(rng, a_size);
    ops.b = RandomVector<B>(rng, b_size);
  }
  return ops;
}

template <class Params>
Params MakeParams(std::mt19937_64& rng, int variant, bool int64_path, int32_t lhs_zp_min, int32_t lhs_zp_max,
                  bool rhs_zp, bool out_zp) {
  Params p;
  std::uniform_int_distribution<int32_t> mult(1 << 30, INT32_MAX), zp(-128, 127), lhs_zp(lhs_zp_min, lhs_zp_max);
  // Every right shift the kernels special-case (1..16 on the int32 path) and beyond.
  std::uniform_int_distribution<int32_t> right(int64_path ? 14 : 1, int64_path ? 24 : 20);
  switch (variant) {
    case kTies: p.multiplier = {1 << 30, int64_path ? 0 : -1}; break;  // x / 4 (x / 2 on the 64-bit path)
    case kLeftShift: p.multiplier = {mult(rng), 2}; break;
    case kExtremes: p.multiplier = {mult(rng), int64_path ? -20 : -14}; break;
    default: p.multiplier = {mult(rng), -right(rng)}; break;
  }
  if (variant != kTies && variant != kLeftShift) {
    p.lhs_zero_point = lhs_zp(rng);
    if (rhs_zp) p.rhs_zero_point = zp(rng);
    if (variant == kExtremes) {
      p.lhs_zero_point = lhs_zp_max;
      if (rhs_zp) p.rhs_zero_point = -128;
    }
  }
  if (variant == kZeroPoints && !int64_path) p.rhs_zero_point = 0;  // symmetric B: no row term
  if (out_zp) p.output_zero_point = zp(rng);
  if (variant == kClamp) {
    p.output_min = -50;
    p.output_max = 25;
  }
  return p;
}

class BmmQs8Test : public ::testing::TestWithParam<std::string> {};

TEST_P(BmmQs8Test, MatchesReference) {
  const auto& entry = EntryNamed(kBatchMatmulQs8Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  EXPECT_TRUE(testing::SameAsReferenceOnTileShapes<int8_t>(
      *entry.fn, *testing::ReferenceEntry(kBatchMatmulQs8Kernels).fn, /*deep=*/false, [&](GemmShape& s, int index) {
        const int variant = index % kVariants;
        return std::pair(MakeOperands<int8_t, int8_t>(rng, s, variant),
                         MakeParams<Qs8GemmParams>(rng, variant, false, -128, 127, true, true));
      }));
}

class BmmQs16Test : public ::testing::TestWithParam<std::string> {};

TEST_P(BmmQs16Test, MatchesReference) {
  const auto& entry = EntryNamed(kBatchMatmulQs16Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  EXPECT_TRUE(testing::SameAsReferenceOnTileShapes<int16_t>(
      *entry.fn, *testing::ReferenceEntry(kBatchMatmulQs16Kernels).fn, /*deep=*/true, [&](GemmShape& s, int index) {
        const int variant = index % kVariants;
        return std::pair(MakeOperands<int16_t, int16_t>(rng, s, variant),
                         MakeParams<Qs16GemmParams>(rng, variant, true, 0, 0, false, false));  // TFLite: zero points 0
      }));
}

class BmmQs16Qs8Test : public ::testing::TestWithParam<std::string> {};

TEST_P(BmmQs16Qs8Test, MatchesReference) {
  const auto& entry = EntryNamed(kBatchMatmulQs16Qs8Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  EF_SEEDED_RNG(rng);
  EXPECT_TRUE(testing::SameAsReferenceOnTileShapes<int8_t>(
      *entry.fn, *testing::ReferenceEntry(kBatchMatmulQs16Qs8Kernels).fn, /*deep=*/true, [&](GemmShape& s, int index) {
        const int variant = index % kVariants;
        auto params = MakeParams<Qs16GemmParams>(rng, variant, true, -32768, 32767, true, true);
        if (variant == kZeroPoints) params.lhs_zero_point = index % 2 == 0 ? -32768 : 0;  // the two softmax outputs
        params.output_min = std::max(params.output_min, -128);
        params.output_max = std::min(params.output_max, 127);
        return std::pair(MakeOperands<int16_t, int8_t>(rng, s, variant), params);
      }));
}

// Probabilities as P V sees them: rows of an int8 -> int16 softmax (zero point -32768).
TEST_P(BmmQs16Qs8Test, MatchesReferenceOnSoftmaxRows) {
  const auto& entry = EntryNamed(kBatchMatmulQs16Qs8Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  const auto& reference = testing::ReferenceEntry(kBatchMatmulQs16Qs8Kernels);
  EF_SEEDED_RNG(rng);
  for (size_t nk : {1, 7, 64, 192, 256}) {
    GemmShape s{5, 16, nk, RhsLayout::kKN, 0, 16, 0};  // V_h [Nk, 16] read in place from [Nk, 32]
    GemmOperands<int16_t, int8_t, int64_t> ops;
    ops.a = RandomVector<int16_t>(rng, s.m * s.a_stride(), -32768, -32000);
    for (size_t j = 0; j < s.m; ++j) ops.a[j * s.a_stride() + j % nk] = 32767;  // one dominant key per row
    ops.b = RandomVector<int8_t>(rng, s.b_rows() * s.b_stride());
    Qs16GemmParams params;
    params.lhs_zero_point = -32768;
    params.rhs_zero_point = -5;
    params.multiplier = QuantizeMultiplier(1.0 / 65536 * 0.05 / 0.04);
    params.output_zero_point = 3;
    params.output_min = -128;
    params.output_max = 127;
    ASSERT_TRUE(testing::SameAsReference<int8_t>(*entry.fn, *reference.fn, s, ops, params));
  }
}

// int16 P V with softmax rows: every row block's int32 sums fit, so the kernels may use
// one multiply per product; a full-range row in a block must switch it back.
TEST_P(BmmQs16Test, MatchesReferenceOnSoftmaxRows) {
  const auto& entry = EntryNamed(kBatchMatmulQs16Kernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  const auto& reference = testing::ReferenceEntry(kBatchMatmulQs16Kernels);
  EF_SEEDED_RNG(rng);
  std::exponential_distribution<double> weight(1.0);
  for (size_t nk : {1, 9, 192, 256, 600}) {
    for (int full_range_row = -1; full_range_row < 2; ++full_range_row) {
      GemmShape s{7, 12, nk, RhsLayout::kKN, 0, 4, 0};
      GemmOperands<int16_t, int16_t, int64_t> ops;
      ops.a.assign(s.m * s.a_stride(), 0);
      for (size_t i = 0; i < s.m; ++i) {
        std::vector<double> w(nk);
        double sum = 0;
        for (double& x : w) sum += (x = weight(rng));
        for (size_t j = 0; j < nk; ++j) ops.a[i * s.a_stride() + j] = static_cast<int16_t>(w[j] / sum * 32767);
      }
      if (full_range_row >= 0) {
        const auto row = RandomVector<int16_t>(rng, nk);
        std::copy(row.begin(), row.end(), ops.a.begin() + (full_range_row * 5) * s.a_stride());
      }
      ops.b = RandomVector<int16_t>(rng, s.b_rows() * s.b_stride());
      Qs16GemmParams params;
      params.multiplier = QuantizeMultiplier(1.0 / 32768 * 0.9);
      ASSERT_TRUE(testing::SameAsReference<int16_t>(*entry.fn, *reference.fn, s, ops, params)) << full_range_row;
    }
  }
}

// The reference is TFLite's loop: check it against the formula written out here.
TEST(BatchMatmulReference, IsTfliteFormula) {
  EF_SEEDED_RNG(rng);
  const size_t m = 4, n = 6, k = 9;
  const auto a = RandomVector<int8_t>(rng, m * k), b = RandomVector<int8_t>(rng, k * n);  // B held [k, n]
  Qs8GemmParams p;
  p.lhs_zero_point = 12;
  p.rhs_zero_point = -100;
  p.multiplier = QuantizeMultiplier(0.0021);
  p.output_zero_point = -4;
  std::vector<uint8_t> packed(reference::qs8_bmm.packed_size(n, k));
  reference::qs8_bmm.pack({{b.data(), n, RhsLayout::kKN}, n, k, nullptr, nullptr}, p, packed.data());
  std::vector<int8_t> c(m * n);
  reference::qs8_bmm.gemm(m, n, k, a.data(), k, packed.data(), c.data(), n, p);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      int32_t acc = 0;
      for (size_t kk = 0; kk < k; ++kk) acc += (a[i * k + kk] - 12) * (b[kk * n + j] + 100);
      ASSERT_EQ(c[i * n + j], std::clamp(MultiplyByQuantizedMultiplier(acc, p.multiplier) - 4, -128, 127));
    }
  }
}

// Only the reference tier is compiled for x86-64: these suites are empty there.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BmmQs8Test);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BmmQs16Test);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BmmQs16Qs8Test);
INSTANTIATE_TEST_SUITE_P(Kernels, BmmQs8Test,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(kBatchMatmulQs8Kernels)),
                         testing::ParamName);
INSTANTIATE_TEST_SUITE_P(Kernels, BmmQs16Test,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(kBatchMatmulQs16Kernels)),
                         testing::ParamName);
INSTANTIATE_TEST_SUITE_P(Kernels, BmmQs16Qs8Test,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(kBatchMatmulQs16Qs8Kernels)),
                         testing::ParamName);

}  // namespace
}  // namespace edgefuse::core::kernels
