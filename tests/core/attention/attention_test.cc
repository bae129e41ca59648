// The float32 cross-attention block against its float64 reference, and its contracts:
// determinism over threads and tiers, the mask rules, capacity, bad input.
#include "core/attention/attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "tests/core/attention/reference_attention.h"
#include "tests/core/attention/run_block.h"
#include "tests/support/test_support.h"

namespace edgefuse::core {
namespace {

using testing::MaxAbsoluteError;
using testing::MaxRelativeError;
using testing::RandomAttentionWeights;
using testing::RandomNormal;
using testing::ReferenceAttention;

// The float block's accuracy bound against float64 (docs: core/attention/README.md).
constexpr double kMaxRelativeError = 1e-5;
constexpr double kMaxWeightError = 1e-6;  // attention weights, absolute (they lie in [0, 1])

struct Shape {
  int e, heads, kdim, nq, nk;
  double masked_fraction;  // of the keys, chosen at random; 0 = no mask
};

std::string ShapeName(const Shape& s);
// Names the parameter in test listings (and so in ctest's test names).
void PrintTo(const Shape& s, std::ostream* os) { *os << ShapeName(s); }

std::string ShapeName(const Shape& s) {
  char name[96];
  std::snprintf(name, sizeof name, "E%d_H%d_kdim%d_nq%d_nk%d_%s", s.e, s.heads, s.kdim, s.nq, s.nk,
                s.masked_fraction > 0 ? "masked" : "unmasked");
  return name;
}

std::vector<uint8_t> RandomMask(std::mt19937_64& rng, int nk, double fraction) {
  std::vector<uint8_t> mask;
  if (fraction <= 0) return mask;
  std::bernoulli_distribution masked(fraction);
  mask.resize(static_cast<size_t>(nk));
  for (auto& m : mask) m = masked(rng) ? 1 : 0;
  mask[static_cast<size_t>(nk) / 2] = 0;  // at least one key to attend to
  return mask;
}

// Weights, inputs and a mask for a shape.
struct Problem {
  AttentionWeights weights;
  std::vector<float> query, context;
  std::vector<uint8_t> mask;
};

Problem MakeProblem(std::mt19937_64& rng, const Shape& s) {
  Problem p;
  p.weights = RandomAttentionWeights(rng, s.e, s.kdim);
  p.query = RandomNormal(rng, static_cast<size_t>(s.nq * s.e));
  p.context = RandomNormal(rng, static_cast<size_t>(s.nk * s.kdim));
  p.mask = RandomMask(rng, s.nk, s.masked_fraction);
  return p;
}

AttentionConfig ConfigFor(const Shape& s, int threads = 1) {
  AttentionConfig config;
  config.embed_dim = s.e;
  config.num_heads = s.heads;
  config.kdim = s.kdim;
  config.max_query_tokens = s.nq;
  config.max_context_tokens = s.nk;
  config.threads = threads;
  return config;
}

using Result = testing::BlockOutputs;
using testing::RunBlock;

class AttentionAccuracy : public ::testing::TestWithParam<Shape> {};

TEST_P(AttentionAccuracy, MatchesFloat64Reference) {
  const Shape s = GetParam();
  EF_SEEDED_RNG(rng);
  const auto [weights, query, context, mask] = MakeProblem(rng, s);

  std::string error;
  auto block = CrossAttention::Create(ConfigFor(s), weights, nullptr, &error);
  ASSERT_TRUE(block) << error;
  const Result got = RunBlock(*block, query, context, mask);
  const testing::ReferenceResult want = ReferenceAttention(weights, s.heads, query, context, mask);

  const double out_error = MaxRelativeError(got.out, want.out);
  const double averaged_error = MaxAbsoluteError(got.averaged, want.averaged);
  const double per_head_error = MaxAbsoluteError(got.per_head, want.weights);
  std::printf("[accuracy] %s (%s): output max rel error %.3g, weights max abs error %.3g (averaged) %.3g (per head)\n",
              ShapeName(s).c_str(), block->Describe().c_str(), out_error, averaged_error, per_head_error);
  EXPECT_LT(out_error, kMaxRelativeError);
  EXPECT_LT(averaged_error, kMaxWeightError);
  EXPECT_LT(per_head_error, kMaxWeightError);
  for (size_t j = 0; j < mask.size(); ++j) {
    if (mask[j] == 0) continue;
    for (int i = 0; i < s.nq; ++i)
      ASSERT_EQ(got.averaged[static_cast<size_t>(i * s.nk) + j], 0.0f) << "masked key " << j;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, AttentionAccuracy,
                         ::testing::Values(Shape{64, 4, 64, 8, 192, 0.0},     // the small pipeline shape
                                           Shape{64, 4, 64, 8, 192, 0.3},     //
                                           Shape{256, 8, 256, 64, 256, 0.5},  // the large pipeline shape
                                           Shape{512, 8, 16, 4, 1024, 0.2},   // E and Nk at their largest, kdim != E
                                           Shape{512, 16, 512, 3, 16, 0.0},   // E = kdim = 512
                                           Shape{32, 2, 48, 5, 7, 0.4},       // kdim > E, sizes off every tile
                                           Shape{40, 5, 16, 17, 33, 0.3},     // head dim 8, kdim < E
                                           Shape{24, 3, 24, 1, 1, 0.0},       // one token each
                                           Shape{12, 1, 20, 9, 2, 0.0}),      // one head
                         [](const ::testing::TestParamInfo<Shape>& info) { return ShapeName(info.param); });

TEST(Attention, BitIdenticalForAnyThreadCount) {
  EF_SEEDED_RNG(rng);
  const Shape s{64, 4, 48, 19, 70, 0.3};
  const auto [weights, query, context, mask] = MakeProblem(rng, s);
  std::string error;
  auto single = CrossAttention::Create(ConfigFor(s, 1), weights, nullptr, &error);
  ASSERT_TRUE(single) << error;
  const Result want = RunBlock(*single, query, context, mask);
  for (int threads : {2, 3}) {
    auto block = CrossAttention::Create(ConfigFor(s, threads), weights, nullptr, &error);
    ASSERT_TRUE(block) << error;
    const Result got = RunBlock(*block, query, context, mask);
    EXPECT_EQ(0, std::memcmp(got.out.data(), want.out.data(), want.out.size() * sizeof(float))) << threads;
    EXPECT_EQ(0, std::memcmp(got.averaged.data(), want.averaged.data(), want.averaged.size() * sizeof(float)))
        << threads;
    EXPECT_EQ(0, std::memcmp(got.per_head.data(), want.per_head.data(), want.per_head.size() * sizeof(float)))
        << threads;
  }
}

TEST(Attention, ReferenceTierGivesTheSameBits) {
  EF_SEEDED_RNG(rng);
  const Shape s{64, 4, 64, 13, 45, 0.2};
  const auto [weights, query, context, mask] = MakeProblem(rng, s);
  std::string error;
  auto best = CrossAttention::Create(ConfigFor(s), weights, nullptr, &error);
  ASSERT_TRUE(best) << error;
  AttentionConfig capped = ConfigFor(s);
  capped.tier_cap = Tier::kReference;
  auto reference = CrossAttention::Create(capped, weights, nullptr, &error);
  ASSERT_TRUE(reference) << error;
  std::printf("[tiers] %s vs %s\n", best->Describe().c_str(), reference->Describe().c_str());
  const Result a = RunBlock(*best, query, context, mask), b = RunBlock(*reference, query, context, mask);
  EXPECT_EQ(0, std::memcmp(a.out.data(), b.out.data(), a.out.size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(a.per_head.data(), b.per_head.data(), a.per_head.size() * sizeof(float)));
}

TEST(Attention, AllKeysMaskedGivesZeroWeightsAndTheOutputBias) {
  EF_SEEDED_RNG(rng);
  const Shape s{32, 4, 16, 3, 5, 0.0};
  const AttentionWeights weights = RandomAttentionWeights(rng, s.e, s.kdim);
  const std::vector<float> query = RandomNormal(rng, static_cast<size_t>(s.nq * s.e));
  const std::vector<float> context = RandomNormal(rng, static_cast<size_t>(s.nk * s.kdim));
  const std::vector<uint8_t> mask(static_cast<size_t>(s.nk), 1);
  std::string error;
  auto block = CrossAttention::Create(ConfigFor(s), weights, nullptr, &error);
  ASSERT_TRUE(block) << error;
  const Result got = RunBlock(*block, query, context, mask);
  for (int i = 0; i < s.nq; ++i) {
    for (int o = 0; o < s.e; ++o) EXPECT_EQ(got.out[static_cast<size_t>(i * s.e + o)], weights.out_bias[o]);
  }
  for (float w : got.averaged) EXPECT_EQ(w, 0.0f);
  for (float w : got.per_head) EXPECT_EQ(w, 0.0f);
}

TEST(Attention, MaskedKeysAreAsIfAbsent) {
  EF_SEEDED_RNG(rng);
  const Shape s{48, 6, 48, 7, 23, 0.0};
  const AttentionWeights weights = RandomAttentionWeights(rng, s.e, s.kdim);
  const std::vector<float> query = RandomNormal(rng, static_cast<size_t>(s.nq * s.e));
  const std::vector<float> context = RandomNormal(rng, static_cast<size_t>(s.nk * s.kdim));
  std::vector<uint8_t> mask(static_cast<size_t>(s.nk), 0);
  std::vector<float> kept;
  for (int j = 0; j < s.nk; ++j) {
    mask[static_cast<size_t>(j)] = j % 3 == 1;
    if (j % 3 != 1) kept.insert(kept.end(), context.begin() + j * s.kdim, context.begin() + (j + 1) * s.kdim);
  }
  std::string error;
  auto block = CrossAttention::Create(ConfigFor(s), weights, nullptr, &error);
  ASSERT_TRUE(block) << error;
  const Result masked = RunBlock(*block, query, context, mask);
  const Result removed = RunBlock(*block, query, kept, {});
  const std::vector<double> removed_out(removed.out.begin(), removed.out.end());
  EXPECT_LT(MaxRelativeError(masked.out, removed_out), kMaxRelativeError);
}

TEST(Attention, SmallerCallsWithinCapacityMatchExactSizedBlocks) {
  EF_SEEDED_RNG(rng);
  const Shape capacity{32, 2, 32, 16, 64, 0.0};
  const AttentionWeights weights = RandomAttentionWeights(rng, capacity.e, capacity.kdim);
  std::string error;
  auto big = CrossAttention::Create(ConfigFor(capacity), weights, nullptr, &error);
  ASSERT_TRUE(big) << error;
  for (auto [nq, nk] : {std::pair{3, 10}, std::pair{16, 64}, std::pair{1, 10}, std::pair{16, 1}}) {
    const std::vector<float> query = RandomNormal(rng, static_cast<size_t>(nq * capacity.e));
    const std::vector<float> context = RandomNormal(rng, static_cast<size_t>(nk * capacity.kdim));
    auto exact = CrossAttention::Create(ConfigFor({capacity.e, capacity.heads, capacity.kdim, nq, nk, 0.0}), weights,
                                        nullptr, &error);
    ASSERT_TRUE(exact) << error;
    const Result a = RunBlock(*big, query, context, {}), b = RunBlock(*exact, query, context, {});
    EXPECT_EQ(0, std::memcmp(a.out.data(), b.out.data(), a.out.size() * sizeof(float))) << nq << "x" << nk;
    EXPECT_EQ(0, std::memcmp(a.per_head.data(), b.per_head.data(), a.per_head.size() * sizeof(float)))
        << nq << "x" << nk;
  }
}

TEST(Attention, RunRejectsBadInputWithOneLine) {
  EF_SEEDED_RNG(rng);
  const Shape s{16, 2, 8, 4, 6, 0.0};
  const AttentionWeights weights = RandomAttentionWeights(rng, s.e, s.kdim);
  std::string error;
  auto block = CrossAttention::Create(ConfigFor(s), weights, nullptr, &error);
  ASSERT_TRUE(block) << error;
  std::vector<float> query = RandomNormal(rng, 4 * 16), context = RandomNormal(rng, 6 * 8);
  std::vector<float> out(4 * 16, 7.0f), weights_out(4 * 6, 7.0f);
  const std::vector<uint8_t> short_mask(5, 0);
  std::vector<float> too_many = RandomNormal(rng, 5 * 16), ragged = RandomNormal(rng, 6 * 8 + 3);
  std::vector<float> nan_query = query;
  nan_query[2 * 16 + 5] = std::nanf("");
  std::vector<float> inf_context = context;
  inf_context[3] = -INFINITY;
  struct Case {
    AttentionInputs in;
    AttentionOutputs out;
    const char* expect;
  } cases[] = {
      {{too_many, context, {}}, {std::span<float>(out)}, "exceed"},
      {{query, ragged, {}}, {out}, "not a positive multiple of kdim=8"},
      {{{}, context, {}}, {out}, "query has 0 values"},
      {{query, context, short_mask}, {out}, "mask has 5 entries for 6"},
      {{query, context, {}}, {std::span<float>(out).first(10)}, "output has room"},
      {{query, context, {}}, {out, std::span<float>(weights_out).first(7)}, "weights output has room"},
      {{query, context, {}}, {out, weights_out, true}, "weights output has room"},  // per head needs H x
      {{nan_query, context, {}}, {out}, "query holds NaN at [2, 5]"},
      {{query, inf_context, {}}, {out}, "context holds an infinity at [0, 3]"},
  };
  for (const Case& c : cases) {
    error.clear();
    EXPECT_FALSE(block->Run(c.in, c.out, &error)) << c.expect;
    EXPECT_NE(error.find(c.expect), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    if (c.in.query.data() != nan_query.data() && c.in.context.data() != inf_context.data()) {
      for (float v : out) ASSERT_EQ(v, 7.0f) << "a call rejected for its shapes wrote its output";
    }
  }
  // Non-finite inputs are caught with every key masked too, and values too large
  // for float32 are reported as an overflow.
  const std::vector<uint8_t> all_masked(6, 1);
  EXPECT_FALSE(block->Run({nan_query, context, all_masked}, {out}, &error));
  EXPECT_EQ(error, "query holds NaN at [2, 5]");
  std::vector<float> huge = query;
  for (float& v : huge) v = 3e38f;
  EXPECT_FALSE(block->Run({huge, context, {}}, {out}, &error));
  EXPECT_EQ(error, "the output overflowed to infinity or NaN (inputs or weights too large for float32)");
}

TEST(Attention, CreateRejectsBadConfigs) {
  EF_SEEDED_RNG(rng);
  const AttentionWeights weights = RandomAttentionWeights(rng, 24, 24);
  std::string error;
  AttentionConfig config = ConfigFor({24, 5, 24, 4, 4, 0.0});
  EXPECT_FALSE(CrossAttention::Create(config, weights, nullptr, &error));
  EXPECT_EQ(error, "head count 5 does not divide embed dim 24");
  config = ConfigFor({24, 4, 16, 4, 4, 0.0});
  EXPECT_FALSE(CrossAttention::Create(config, weights, nullptr, &error));
  EXPECT_EQ(error, "weights are for E=24, kdim=24 but the block has E=24, kdim=16");
  config = ConfigFor({24, 4, 24, 0, 4, 0.0});
  EXPECT_FALSE(CrossAttention::Create(config, weights, nullptr, &error));
  config = ConfigFor({24, 4, 24, 4, 4, 0.0});
  config.threads = 0;
  EXPECT_FALSE(CrossAttention::Create(config, weights, nullptr, &error));
  AttentionWeights truncated = weights;
  truncated.v_bias.pop_back();
  EXPECT_FALSE(CrossAttention::Create(ConfigFor({24, 4, 24, 4, 4, 0.0}), truncated, nullptr, &error));
  EXPECT_EQ(error, "weights: v_bias has 23 values, expected [24]");
  for (auto precision : {AttentionPrecision::kInt8, AttentionPrecision::kInt16}) {
    config = ConfigFor({24, 4, 24, 4, 4, 0.0});
    config.precision = precision;
    EXPECT_FALSE(CrossAttention::Create(config, weights, nullptr, &error));  // no activation ranges
    EXPECT_NE(error.find("needs activation ranges"), std::string::npos) << error;
  }
}

TEST(Attention, PrecisionNamesRoundTrip) {
  for (auto p : {AttentionPrecision::kF32, AttentionPrecision::kInt8, AttentionPrecision::kInt16}) {
    AttentionPrecision parsed;
    ASSERT_TRUE(ParseAttentionPrecision(AttentionPrecisionName(p), &parsed));
    EXPECT_EQ(parsed, p);
  }
  AttentionPrecision parsed;
  EXPECT_FALSE(ParseAttentionPrecision("fp16", &parsed));
}

}  // namespace
}  // namespace edgefuse::core
