// core/quant against the TFLite converter's rules, with exact expected values and
// forced rounding ties.
#include "core/quant/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "tests/support/test_support.h"

namespace edgefuse::core {
namespace {

TEST(Quantize, Int8ParamsNudgeTheZeroPointSoZeroIsExact) {
  QuantParams p = ChooseInt8Params(-1.5f, 3.0f);
  EXPECT_FLOAT_EQ(p.scale, 4.5f / 255.0f);
  EXPECT_EQ(p.zero_point, -43);  // -128 + 1.5 / (4.5 / 255) = -43
  EXPECT_EQ(QuantizeInt8(0.0f, p), -43);
  EXPECT_EQ(Dequantize(p.zero_point, p), 0.0f);
  // The range is widened to contain 0.
  p = ChooseInt8Params(2.0f, 5.0f);
  EXPECT_FLOAT_EQ(p.scale, 5.0f / 255.0f);
  EXPECT_EQ(p.zero_point, -128);
  p = ChooseInt8Params(-5.0f, -2.0f);
  EXPECT_EQ(p.zero_point, 127);
  // A point range at 0: TFLite's scale 0, zero point qmin.
  p = ChooseInt8Params(0.0f, 0.0f);
  EXPECT_EQ(p.scale, 0.0f);
  EXPECT_EQ(p.zero_point, -128);
  EXPECT_EQ(QuantizeInt8(3.0f, p), -128);
}

TEST(Quantize, Int8ZeroPointIsAlwaysInRangeAndZeroExact) {
  EF_SEEDED_RNG(rng);
  std::uniform_real_distribution<float> dist(-100.0f, 100.0f);
  for (int i = 0; i < 1000; ++i) {
    float a = dist(rng), b = dist(rng);
    const QuantParams p = ChooseInt8Params(std::min(a, b), std::max(a, b));
    ASSERT_GE(p.zero_point, -128);
    ASSERT_LE(p.zero_point, 127);
    ASSERT_EQ(Dequantize(QuantizeInt8(0.0f, p), p), 0.0f);
  }
}

TEST(Quantize, Int16ParamsAreSymmetric) {
  QuantParams p = ChooseInt16Params(-3.0f, 1.0f);
  EXPECT_EQ(p.scale, 3.0f / 32767.0f);
  EXPECT_EQ(p.zero_point, 0);
  p = ChooseInt16Params(0.5f, 2.0f);
  EXPECT_EQ(p.scale, 2.0f / 32767.0f);
  EXPECT_EQ(QuantizeInt16(2.0f, p), 32767);
  EXPECT_EQ(QuantizeInt16(-2.0f, p), -32767);
  EXPECT_EQ(QuantizeInt16(-100.0f, p), -32768);  // saturates
}

TEST(Quantize, RoundsHalfAwayFromZeroAndSaturates) {
  const QuantParams p{0.5f, 3};
  EXPECT_EQ(QuantizeInt8(1.25f, p), 3 + 3);   // 2.5 -> 3
  EXPECT_EQ(QuantizeInt8(-1.25f, p), 3 - 3);  // -2.5 -> -3
  EXPECT_EQ(QuantizeInt8(0.75f, p), 3 + 2);   // 1.5 -> 2
  EXPECT_EQ(QuantizeInt8(1000.0f, p), 127);
  EXPECT_EQ(QuantizeInt8(-1000.0f, p), -128);
  EXPECT_EQ(QuantizeInt8(std::numeric_limits<float>::infinity(), p), 127);
  EXPECT_EQ(QuantizeInt8(std::nanf(""), p), 3);
  EXPECT_EQ(QuantizeInt16(1.25f, {0.5f, 0}), 3);
}

TEST(Quantize, PerChannelWeightsFollowTfLite) {
  // Row 0: max |w| = 127 so scale 1 and the ties round away from zero. Row 1: all zero.
  // Row 2: scale 0.02, extremes at +-127.
  const float w[] = {127.0f, 0.5f, -1.5f, 2.5f, 0, 0, 0, 0, -2.54f, 1.27f, 0.01f, 2.54f};
  const PerChannelInt8 q = QuantizePerChannelInt8(w, 3, 4);
  EXPECT_EQ(q.scales[0], 1.0f);
  EXPECT_EQ(q.scales[1], 0.0f);
  EXPECT_FLOAT_EQ(q.scales[2], 0.02f);
  EXPECT_EQ(q.values, (std::vector<int8_t>{127, 1, -2, 3, 0, 0, 0, 0, -127, 64, 1, 127}));
}

TEST(Quantize, PerChannelRoundTripIsWithinHalfAStep) {
  EF_SEEDED_RNG(rng);
  std::normal_distribution<float> dist(0.0f, 0.1f);
  const size_t rows = 16, cols = 37;
  std::vector<float> w(rows * cols);
  for (float& x : w) x = dist(rng);
  const PerChannelInt8 q = QuantizePerChannelInt8(w, rows, cols);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      const float back = q.scales[r] * q.values[r * cols + c];
      ASSERT_LE(std::abs(back - w[r * cols + c]), 0.5f * q.scales[r] * 1.0001f) << r << ", " << c;
    }
  }
}

TEST(Quantize, BiasUsesInputTimesWeightScale) {
  const float bias[] = {1.0f, 0.0625f, -0.0625f, 1e30f, -1e30f, 5.0f};
  const float scales[] = {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.0f};
  const std::vector<int32_t> q32 = QuantizeBiasInt32(bias, 0.5f, scales);
  EXPECT_EQ(q32, (std::vector<int32_t>{8, 1, -1, 2147483647, -2147483647, 0}));
  const std::vector<int64_t> q64 = QuantizeBiasInt64(bias, 0.5f, scales);
  EXPECT_EQ(q64[0], 8);
  EXPECT_EQ(q64[3], std::numeric_limits<int64_t>::max());
  EXPECT_EQ(q64[4], -std::numeric_limits<int64_t>::max());
}

// The array forms equal the scalar ones, ties and saturation included.
TEST(QuantizeValues, MatchScalarQuantization) {
  EF_SEEDED_RNG(rng);
  for (const QuantParams params : {QuantParams{0.0371f, -7}, QuantParams{0.5f, 0}, QuantParams{1.0f / 3, 127}}) {
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(4000);
    for (float& v : values) v = normal(rng);
    for (size_t i = 0; i < 1000; ++i) values[i] = (static_cast<float>(i) - 500.5f) * params.scale;  // ties
    for (size_t i = 1000; i < 1100; ++i) values[i] *= 1e6f;                                         // saturation
    values.insert(values.end(), {3e38f, -3e38f, 0.0f, -0.0f});
    std::vector<int8_t> q8(values.size());
    std::vector<int16_t> q16(values.size());
    ASSERT_TRUE(QuantizeInt8Values(values, params, q8.data()));
    ASSERT_TRUE(QuantizeInt16Values(values, params, q16.data()));
    for (size_t i = 0; i < values.size(); ++i) {
      ASSERT_EQ(q8[i], QuantizeInt8(values[i], params)) << values[i];
      ASSERT_EQ(q16[i], QuantizeInt16(values[i], params)) << values[i];
    }
    // A NaN or infinity is reported wherever it is: in the 16-wide part or the tail.
    for (const float bad : {std::nanf(""), std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity()}) {
      for (const size_t at : {size_t{17}, values.size() - 2}) {
        std::vector<float> poisoned = values;
        poisoned[at] = bad;
        EXPECT_FALSE(QuantizeInt8Values(poisoned, params, q8.data())) << bad << " at " << at;
        EXPECT_FALSE(QuantizeInt16Values(poisoned, params, q16.data())) << bad << " at " << at;
      }
    }
  }
}

}  // namespace
}  // namespace edgefuse::core
