// The requantization helpers against exact arithmetic (128-bit), and every requantize
// kernel against the reference with rounding ties forced on purpose.
#include "core/kernels/requantization/requantization.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/kernels/requantization/requantize.h"
#include "tests/core/kernels/kernel_test_util.h"
#include "tests/support/test_support.h"

namespace edgefuse::core::kernels {
namespace {

using testing::EntryNamed;

// round(num / 2^shift), ties away from zero, exactly.
int64_t RoundHalfAway(__int128 num, int shift) {
  const __int128 den = static_cast<__int128>(1) << shift;
  const __int128 mag = num < 0 ? -num : num;
  const __int128 q = (mag + den / 2) / den;
  return static_cast<int64_t>(num < 0 ? -q : q);
}

// round(num / 2^shift), ties toward +infinity, exactly.
int64_t RoundHalfUp(__int128 num, int shift) {
  const __int128 den = static_cast<__int128>(1) << shift;
  __int128 floor_div = num / den;
  if (num % den != 0 && num < 0) --floor_div;
  const __int128 rem = num - floor_div * den;
  return static_cast<int64_t>(floor_div + (2 * rem >= den ? 1 : 0));
}

TEST(Requantization, SaturatingRoundingDoublingHighMulIsSqrdmulh) {
  // (2ab + 2^31) >> 32: ties toward +infinity, exactly like SQRDMULH.
  EF_SEEDED_RNG(rng);
  std::uniform_int_distribution<int32_t> dist(INT32_MIN, INT32_MAX);
  EXPECT_EQ(SaturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
  for (int i = 0; i < 20000; ++i) {
    int32_t a = dist(rng), b = dist(rng);
    if (i % 4 == 0) a = (a >> 20) * 2;  // small values land on ties more often
    if (i % 4 == 1) b = 1 << (i % 31);
    if (a == INT32_MIN && b == INT32_MIN) continue;
    ASSERT_EQ(SaturatingRoundingDoublingHighMul(a, b), RoundHalfUp(static_cast<__int128>(a) * b, 31)) << a << " " << b;
  }
}

TEST(Requantization, RoundingDivideByPotRoundsTiesAwayFromZero) {
  EF_SEEDED_RNG(rng);
  std::uniform_int_distribution<int32_t> dist(INT32_MIN, INT32_MAX);
  EXPECT_EQ(RoundingDivideByPot(5, 1), 3);
  EXPECT_EQ(RoundingDivideByPot(-5, 1), -3);
  EXPECT_EQ(RoundingDivideByPot(-6, 2), -2);  // -1.5
  EXPECT_EQ(RoundingDivideByPot(6, 2), 2);    // 1.5
  EXPECT_EQ(RoundingDivideByPot(INT32_MIN, 31), -1);
  for (int i = 0; i < 20000; ++i) {
    const int e = i % 32;
    int32_t x = dist(rng);
    if (i % 3 == 0 && e > 0) x = static_cast<int32_t>((x >> e) * (int64_t{1} << e) + (int64_t{1} << (e - 1)));  // a tie
    ASSERT_EQ(RoundingDivideByPot(x, e), RoundHalfAway(x, e)) << x << " / 2^" << e;
  }
}

TEST(Requantization, MultiplyByQuantizedMultiplierIsTfliteDoubleRounding) {
  // Two roundings, each exact: SRDHM (ties up), then the rounding shift (ties away from zero).
  EF_SEEDED_RNG(rng);
  std::uniform_int_distribution<int32_t> dist(INT32_MIN, INT32_MAX);
  std::uniform_int_distribution<int32_t> mult(1 << 30, INT32_MAX);
  for (int i = 0; i < 20000; ++i) {
    const QuantizedMultiplier q{i % 5 == 0 ? (1 << 30) : mult(rng), (i % 40) - 31};  // shifts -31..8
    const int32_t x = i % 2 == 0 ? dist(rng) >> (i % 24) : dist(rng);
    const int left = q.shift > 0 ? q.shift : 0;
    const int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
    int64_t high = shifted == INT32_MIN && q.multiplier == INT32_MIN
                       ? INT32_MAX
                       : RoundHalfUp(static_cast<__int128>(shifted) * q.multiplier, 31);
    ASSERT_EQ(MultiplyByQuantizedMultiplier(x, q), RoundHalfAway(high, q.shift > 0 ? 0 : -q.shift));
  }
  // multiplier 0.5, shift -1: x / 4 with its tie rounded away from zero.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(6, {1 << 30, -1}), 2);    // 1.5 -> 2
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-6, {1 << 30, -1}), -2);  // -1.5 -> -2
  EXPECT_EQ(MultiplyByQuantizedMultiplier(-2, {1 << 30, -1}), -1);  // -0.5 -> -1
}

TEST(Requantization, Int64PathIsTfliteReducedMultiplier) {
  EF_SEEDED_RNG(rng);
  std::uniform_int_distribution<int64_t> dist(-(int64_t{1} << 46), (int64_t{1} << 46));
  std::uniform_int_distribution<int32_t> mult(1 << 30, INT32_MAX);
  EXPECT_EQ(ReducedMultiplier(INT32_MAX), 0x7FFF);
  EXPECT_EQ(ReducedMultiplier(1 << 30), 1 << 14);
  for (int i = 0; i < 20000; ++i) {
    QuantizedMultiplier q{mult(rng), (i % 39) - 31};  // shifts -31..7
    int64_t x = dist(rng) >> (i % 40);
    const int s = 15 - q.shift;
    if (i % 3 == 0 && s >= 15) {  // multiplier 2^30 (Q15 2^14): x = (2t + 1) 2^(s - 15) lands on a tie
      q.multiplier = 1 << 30;
      x = (2 * (dist(rng) >> 30) + 1) * (int64_t{1} << (s - 15));
    }
    const int64_t expected = RoundHalfUp(static_cast<__int128>(x) * ReducedMultiplier(q.multiplier), s);
    const int32_t saturated = static_cast<int32_t>(std::clamp<int64_t>(expected, INT32_MIN, INT32_MAX));
    ASSERT_EQ(MultiplyByQuantizedMultiplier(x, q), saturated) << x;
  }
  // Ties go up (toward +infinity), unlike the 32-bit path.
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int64_t{6}, {1 << 30, -1}), 2);    // 6 * 2^14 / 2^16 = 1.5
  EXPECT_EQ(MultiplyByQuantizedMultiplier(int64_t{-6}, {1 << 30, -1}), -1);  // -1.5
}

TEST(Requantization, QuantizeMultiplierMatchesTflite) {
  EXPECT_EQ(QuantizeMultiplier(0.5).multiplier, 1 << 30);
  EXPECT_EQ(QuantizeMultiplier(0.5).shift, 0);
  EXPECT_EQ(QuantizeMultiplier(1.0).multiplier, 1 << 30);
  EXPECT_EQ(QuantizeMultiplier(1.0).shift, 1);
  EXPECT_EQ(QuantizeMultiplier(0.75).multiplier, 1610612736);
  EXPECT_EQ(QuantizeMultiplier(0.0).multiplier, 0);
  EXPECT_EQ(QuantizeMultiplier(std::ldexp(1.0, -40)).multiplier, 0);  // flushed like TFLite
  EXPECT_EQ(QuantizeMultiplier(std::ldexp(1.0, -40)).shift, 0);
  // A fraction that rounds up to 1.0 moves into the exponent.
  const QuantizedMultiplier up = QuantizeMultiplier(std::nextafter(1.0, 0.0));
  EXPECT_EQ(up.multiplier, 1 << 30);
  EXPECT_EQ(up.shift, 1);
  EF_SEEDED_RNG(rng);
  std::uniform_real_distribution<double> dist(-20.0, 10.0);
  for (int i = 0; i < 1000; ++i) {
    const double real = std::exp2(dist(rng));
    const QuantizedMultiplier q = QuantizeMultiplier(real);
    ASSERT_GE(q.multiplier, 1 << 30);
    ASSERT_NEAR(std::ldexp(q.multiplier, q.shift - 31) / real, 1.0, 1e-9);
  }
}

class RequantizeKernel : public ::testing::TestWithParam<std::string> {};

TEST_P(RequantizeKernel, MatchesReferenceOnTiesAndExtremes) {
  const auto& entry = EntryNamed(kQs32Qs8RequantizeKernels, GetParam());
  EF_SKIP_UNSUPPORTED_KERNEL(entry);
  const auto& reference = testing::ReferenceEntry(kQs32Qs8RequantizeKernels);
  EF_SEEDED_RNG(rng);
  std::uniform_int_distribution<int32_t> any(INT32_MIN, INT32_MAX);
  std::uniform_int_distribution<int32_t> mult(1 << 30, INT32_MAX);
  std::uniform_int_distribution<int> zp(-128, 127);
  for (size_t channels : {1, 3, 4, 15, 16, 17, 33, 64}) {
    for (int variant = 0; variant < 6; ++variant) {
      const size_t rows = 1 + variant % 3;
      std::vector<QuantizedMultiplier> q(channels);
      std::vector<int32_t> acc(rows * channels);
      for (size_t c = 0; c < channels; ++c) {
        // Half the channels at multiplier 0.5 with a right shift: every even accumulator
        // then lands on a tie of the rounding shift.
        const int shift = variant == 5 ? static_cast<int>(c % 8) : -static_cast<int>(c % 12);
        q[c] = {c % 2 == 0 ? (1 << 30) : mult(rng), shift};
      }
      for (size_t i = 0; i < acc.size(); ++i) {
        const int right = q[i % channels].shift < 0 ? -q[i % channels].shift : 0;
        switch (variant) {
          case 0: acc[i] = any(rng); break;
          case 1: acc[i] = (any(rng) >> 12) | 1; break;
          case 2:  // x / 2 = (2t + 1) 2^(right - 1): ties, both signs
            acc[i] =
                right >= 1 ? static_cast<int32_t>((2 * (any(rng) >> 20) + 1) * (int64_t{1} << right)) : any(rng) >> 16;
            break;
          case 3: acc[i] = i % 2 == 0 ? INT32_MIN : INT32_MAX; break;
          default: acc[i] = any(rng) >> 8; break;
        }
      }
      const ChannelMultipliers cm(q);
      const int32_t lo = variant == 4 ? -20 : -128, hi = variant == 4 ? 50 : 127;
      const Qs32Qs8RequantizeParams params{
          cm.multiplier.data(), cm.left_shift.data(), cm.right_shift.data(), zp(rng), lo, hi};
      std::vector<int8_t> expected(acc.size()), actual(acc.size(), 99);
      reference.fn(rows, channels, acc.data(), channels * 4, expected.data(), channels, params);
      entry.fn(rows, channels, acc.data(), channels * 4, actual.data(), channels, params);
      ASSERT_EQ(expected, actual) << "channels " << channels << ", variant " << variant << ": "
                                  << testing::FirstMismatch(expected, actual, channels);
    }
  }
}

TEST(RequantizeReference, FollowsTheScalarHelpers) {
  const int32_t acc[] = {6, -6, -2, 1000, INT32_MIN};
  const QuantizedMultiplier q[] = {{1 << 30, -1}, {1 << 30, -1}, {1 << 30, -1}, {1 << 30, 2}, {INT32_MAX, 0}};
  const ChannelMultipliers cm(q);
  const Qs32Qs8RequantizeParams params{cm.multiplier.data(), cm.left_shift.data(), cm.right_shift.data(), 3, -128, 127};
  int8_t out[5];
  reference::qs32_qs8_requantize(1, 5, acc, sizeof(acc), out, 5, params);
  EXPECT_EQ(out[0], 2 + 3);
  EXPECT_EQ(out[1], -2 + 3);
  EXPECT_EQ(out[2], -1 + 3);
  EXPECT_EQ(out[3], 127);   // 2000 saturates
  EXPECT_EQ(out[4], -128);  // INT32_MIN * ~1
}

// Only the reference tier is compiled for x86-64: these suites are empty there.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RequantizeKernel);
INSTANTIATE_TEST_SUITE_P(Kernels, RequantizeKernel,
                         ::testing::ValuesIn(testing::NonReferenceEntryNames(kQs32Qs8RequantizeKernels)),
                         testing::ParamName);

}  // namespace
}  // namespace edgefuse::core::kernels
