// Calibration: the observer sees every tensor the integer block will quantize, ranges
// accumulate over a set, and calibration sets are read from a directory of .npy pairs.
#include "core/attention/calibration.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/attention/calibration_reference.h"
#include "core/attention/quantized_weights.h"
#include "core/format/npy.h"
#include "platform/file.h"
#include "tests/core/attention/reference_attention.h"
#include "tests/support/test_support.h"

namespace edgefuse::core {
namespace {

using testing::RandomAttentionWeights;
using testing::RandomNormal;

AttentionConfig Config(int e, int heads, int kdim) {
  AttentionConfig config;
  config.embed_dim = e;
  config.num_heads = heads;
  config.kdim = kdim;
  return config;
}

TensorRange RangeOf(std::span<const double> values) {
  TensorRange r;
  for (double v : values) {
    r.min = std::min(r.min, static_cast<float>(v));
    r.max = std::max(r.max, static_cast<float>(v));
  }
  return r;
}

void ExpectNear(const TensorRange& got, const TensorRange& want, const char* what) {
  const double tolerance = 1e-5 * std::max(std::abs(want.min), std::abs(want.max));
  EXPECT_NEAR(got.min, want.min, tolerance) << what;
  EXPECT_NEAR(got.max, want.max, tolerance) << what;
}

TEST(Calibration, RecordsEveryQuantizedTensor) {
  EF_SEEDED_RNG(rng);
  const int e = 32, heads = 4, kdim = 24, nq = 6, nk = 20;
  const AttentionWeights weights = RandomAttentionWeights(rng, e, kdim);
  const std::vector<float> query = RandomNormal(rng, nq * e), context = RandomNormal(rng, nk * kdim);
  std::vector<uint8_t> mask(nk, 0);
  mask[3] = mask[7] = 1;
  const CalibrationSample sample{query, context, mask};
  AttentionRanges ranges;
  std::string error;
  ASSERT_TRUE(CalibrateAttention(Config(e, heads, kdim), weights, {&sample, 1}, &ranges, &error)) << error;

  // Inputs exactly; the rest against float64 recomputations of each tensor.
  EXPECT_EQ(ranges[AttentionTensor::kQuery].min, *std::min_element(query.begin(), query.end()));
  EXPECT_EQ(ranges[AttentionTensor::kQuery].max, *std::max_element(query.begin(), query.end()));
  EXPECT_EQ(ranges[AttentionTensor::kContext].max, *std::max_element(context.begin(), context.end()));
  const testing::ReferenceResult ref = testing::ReferenceAttention(weights, heads, query, context, mask);
  ExpectNear(ranges[AttentionTensor::kOutput], RangeOf(ref.out), "output");

  // Q, K, V and the unmasked scores, recomputed here.
  std::vector<double> q(nq * e), k(nk * e), v(nk * e);
  for (int i = 0; i < nq; ++i) {
    for (int o = 0; o < e; ++o) {
      double acc = weights.q_bias[o];
      for (int c = 0; c < e; ++c) acc += double{query[i * e + c]} * weights.q_weight[o * e + c];
      q[i * e + o] = acc;
    }
  }
  for (int j = 0; j < nk; ++j) {
    for (int o = 0; o < e; ++o) {
      double kk = weights.k_bias[o], vv = weights.v_bias[o];
      for (int c = 0; c < kdim; ++c) {
        kk += double{context[j * kdim + c]} * weights.k_weight[o * kdim + c];
        vv += double{context[j * kdim + c]} * weights.v_weight[o * kdim + c];
      }
      k[j * e + o] = kk;
      v[j * e + o] = vv;
    }
  }
  std::vector<double> scores;
  const int d = e / heads;
  for (int h = 0; h < heads; ++h) {
    for (int i = 0; i < nq; ++i) {
      for (int j = 0; j < nk; ++j) {
        if (mask[j]) continue;
        double s = 0;
        for (int c = 0; c < d; ++c) s += q[i * e + h * d + c] * k[j * e + h * d + c];
        scores.push_back(s / std::sqrt(double{1.0} * d));
      }
    }
  }
  ExpectNear(ranges[AttentionTensor::kQ], RangeOf(q), "q");
  ExpectNear(ranges[AttentionTensor::kK], RangeOf(k), "k");
  ExpectNear(ranges[AttentionTensor::kV], RangeOf(v), "v");
  // Scores: the observed range with kScoresHeadroom of it on top (calibration.h).
  TensorRange want_scores = RangeOf(scores);
  want_scores.max += kScoresHeadroom * (want_scores.max - want_scores.min);
  ExpectNear(ranges[AttentionTensor::kScores], want_scores, "scores (masked keys excluded), with headroom");
  EXPECT_FALSE(ranges[AttentionTensor::kAttention].empty());
  // The attention output is a convex combination of V rows per head.
  EXPECT_GE(ranges[AttentionTensor::kAttention].min, ranges[AttentionTensor::kV].min);
  EXPECT_LE(ranges[AttentionTensor::kAttention].max, ranges[AttentionTensor::kV].max);
}

// The libm-free exp of the float64 calibration: close to libm's over the softmax's
// domain (x <= 0) and beyond, and exact at the points it must be.
TEST(Calibration, PortableExpIsWithinTwoUlpOfLibm) {
  EF_SEEDED_RNG(rng);
  std::uniform_real_distribution<double> dist(-740.0, 700.0);
  double worst = 0.0;
  for (int i = 0; i < 200000; ++i) {
    const double x = i < 100000 ? dist(rng) : -std::ldexp(static_cast<double>(i - 100000), -12);
    const double want = std::exp(x), got = PortableExp(x);
    if (want < std::numeric_limits<double>::min()) continue;  // subnormal results: ldexp rounds once more
    const double ulps = std::abs(got - want) / (std::nextafter(want, INFINITY) - want);
    worst = std::max(worst, ulps);
    ASSERT_LE(ulps, 2.0) << "x = " << x;
  }
  std::printf("[edgefuse] PortableExp: largest difference from libm %.2f ulp\n", worst);
  EXPECT_EQ(PortableExp(0.0), 1.0);
  EXPECT_EQ(PortableExp(-1000.0), 0.0);
  EXPECT_EQ(PortableExp(1000.0), INFINITY);
  EXPECT_TRUE(std::isnan(PortableExp(NAN)));
}

TEST(Calibration, RangesOfASetAreTheUnionOfItsSamples) {
  EF_SEEDED_RNG(rng);
  const int e = 16, heads = 2;
  const AttentionWeights weights = RandomAttentionWeights(rng, e, e);
  std::vector<std::vector<float>> queries, contexts;
  std::vector<CalibrationSample> samples;
  for (int i = 0; i < 3; ++i) {
    queries.push_back(RandomNormal(rng, static_cast<size_t>((2 + i) * e)));
    contexts.push_back(RandomNormal(rng, static_cast<size_t>((9 - 2 * i) * e)));
  }
  for (int i = 0; i < 3; ++i) samples.push_back({queries[i], contexts[i], {}});
  AttentionRanges all, each;
  std::string error;
  ASSERT_TRUE(CalibrateAttention(Config(e, heads, e), weights, samples, &all, &error)) << error;
  for (const auto& sample : samples) {
    ASSERT_TRUE(CalibrateAttention(Config(e, heads, e), weights, {&sample, 1}, &each, &error)) << error;
  }
  for (size_t t = 0; t < kAttentionTensorCount; ++t) {
    EXPECT_EQ(all.ranges[t].min, each.ranges[t].min) << AttentionTensorName(static_cast<AttentionTensor>(t));
    // The scores' headroom is a share of each call's own range: only their minimum unites.
    if (static_cast<AttentionTensor>(t) == AttentionTensor::kScores) continue;
    EXPECT_EQ(all.ranges[t].max, each.ranges[t].max) << AttentionTensorName(static_cast<AttentionTensor>(t));
  }
  EXPECT_FALSE(CalibrateAttention(Config(e, heads, e), weights, {}, &all, &error));
  EXPECT_EQ(error, "calibration set is empty");
}

TEST(Calibration, QuantParamsFollowThePrecision) {
  AttentionRanges ranges;
  const float values[] = {-1.5f, 3.0f};
  for (auto& r : ranges.ranges) r.Update(values);
  ranges[AttentionTensor::kScores] = TensorRange{};  // never observed
  const AttentionQuantParams int8 = ChooseAttentionQuantParams(ranges, AttentionPrecision::kInt8);
  EXPECT_EQ(int8[AttentionTensor::kQ].zero_point, -43);
  EXPECT_FLOAT_EQ(int8[AttentionTensor::kQ].scale, 4.5f / 255.0f);
  EXPECT_EQ(int8[AttentionTensor::kScores].scale, 0.0f);
  const AttentionQuantParams int16 = ChooseAttentionQuantParams(ranges, AttentionPrecision::kInt16);
  EXPECT_EQ(int16[AttentionTensor::kOutput].zero_point, 0);
  EXPECT_EQ(int16[AttentionTensor::kOutput].scale, 3.0f / 32767.0f);
}

TEST(Calibration, TensorRangeSkipsNonFiniteValues) {
  TensorRange r;
  EXPECT_TRUE(r.empty());
  const float values[] = {-INFINITY, 2.0f, std::nanf(""), -1.0f, INFINITY};
  r.Update(values);
  EXPECT_EQ(r.min, -1.0f);
  EXPECT_EQ(r.max, 2.0f);
}

TEST(Calibration, WeightsQuantizeAtLoadWithTheirInputScales) {
  EF_SEEDED_RNG(rng);
  const int e = 16, kdim = 12;
  const AttentionWeights weights = RandomAttentionWeights(rng, e, kdim);
  const std::vector<float> query = RandomNormal(rng, 5 * e), context = RandomNormal(rng, 9 * kdim);
  const CalibrationSample sample{query, context, {}};
  AttentionRanges ranges;
  std::string error;
  ASSERT_TRUE(CalibrateAttention(Config(e, 4, kdim), weights, {&sample, 1}, &ranges, &error)) << error;
  for (auto precision : {AttentionPrecision::kInt8, AttentionPrecision::kInt16}) {
    const AttentionQuantParams act = ChooseAttentionQuantParams(ranges, precision);
    const QuantizedAttentionWeights q = QuantizeAttentionWeights(weights, act, precision);
    EXPECT_EQ(q.k.rows, e);
    EXPECT_EQ(q.k.cols, kdim);
    EXPECT_EQ(q.q.input_scale, act[AttentionTensor::kQuery].scale);
    EXPECT_EQ(q.v.input_scale, act[AttentionTensor::kContext].scale);
    EXPECT_EQ(q.out.input_scale, act[AttentionTensor::kAttention].scale);
    ASSERT_EQ(q.v.weight.values.size(), static_cast<size_t>(e * kdim));
    for (int o = 0; o < e; ++o) {
      // Per channel: the largest |w| of each row maps to +-127, and the bias to
      // round(b / (input scale x weight scale)).
      int max_q = 0;
      for (int c = 0; c < kdim; ++c) max_q = std::max(max_q, std::abs(int{q.v.weight.values[o * kdim + c]}));
      EXPECT_EQ(max_q, 127) << o;
      const double bias_scale = double{q.v.input_scale} * q.v.weight.scales[o];
      const double want = std::round(weights.v_bias[o] / bias_scale);
      if (precision == AttentionPrecision::kInt8) {
        EXPECT_TRUE(q.v.bias64.empty());
        EXPECT_NEAR(q.v.bias32[o], want, 1.0) << o;
      } else {
        EXPECT_TRUE(q.v.bias32.empty());
        EXPECT_NEAR(static_cast<double>(q.v.bias64[o]), want, 1.0) << o;
      }
    }
  }
}

}  // namespace
}  // namespace edgefuse::core
