// The ops: one-line errors for bad quantization, results independent of how rows are
// split (threads), head slices read in place, every tier equal, and the integer
// results within 1 LSB of the float computation they quantize.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/ops/batch_matmul.h"
#include "core/ops/fully_connected.h"
#include "core/ops/softmax.h"
#include "tests/core/kernels/kernel_test_util.h"
#include "tests/support/test_support.h"

namespace edgefuse::core::ops {
namespace {

using testing::RandomVector;

// The tiers this CPU runs, lowest first.
std::vector<Tier> Tiers() {
  std::vector<Tier> tiers;
  for (Tier t : {Tier::kReference, Tier::kNeon, Tier::kNeonDot}) {
    if (TierSupported(t, platform::DetectCpuFeatures())) tiers.push_back(t);
  }
  return tiers;
}

TEST(OpsErrors, FullyConnectedRejectsBadQuantizationInOneLine) {
  const std::vector<int8_t> w(12, 1);
  const float scales[] = {0.1f, 0.1f, 0.1f};
  FullyConnectedQs8::Params p{.input_channels = 4,
                              .output_channels = 3,
                              .weights = w.data(),
                              .weight_scales = scales,
                              .input_scale = 0.5f,
                              .output_scale = 0.25f};
  std::string error;
  EXPECT_NE(FullyConnectedQs8::Create(p, &error), nullptr) << error;

  auto expect_error = [&](FullyConnectedQs8::Params bad, const std::string& fragment) {
    std::string message;
    EXPECT_EQ(FullyConnectedQs8::Create(bad, &message), nullptr);
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  };
  auto bad = p;
  bad.input_scale = std::nanf("");
  expect_error(bad, "input scale must be a finite number > 0");
  bad = p;
  bad.output_scale = 0.0f;
  expect_error(bad, "output scale must be a finite number > 0");
  bad = p;
  bad.weight_scales = std::span<const float>(scales, 2);
  expect_error(bad, "weight scales must number 1 or 3");
  bad = p;
  bad.weight_zero_point = 4;
  expect_error(bad, "a weight zero point needs per-tensor weights");
  bad = p;
  bad.input_zero_point = 128;
  expect_error(bad, "input zero point 128 is outside [-128, 127]");
  bad = p;
  bad.output_channels = 0;
  expect_error(bad, "channels must be >= 1");
  bad = p;
  bad.weights = nullptr;
  expect_error(bad, "no weights");
  bad = p;
  bad.output_scale = 1e-12f;
  expect_error(bad, "too large to requantize");
  bad = p;
  bad.clamp = Clamp{10, -10};
  expect_error(bad, "clamp");

  const std::vector<int64_t> bias(3, int64_t{1} << 41);
  FullyConnectedQs16::Params p16{.input_channels = 4,
                                 .output_channels = 3,
                                 .weights = w.data(),
                                 .weight_scales = scales,
                                 .input_scale = 0.5f,
                                 .input_zero_point = 3,
                                 .output_scale = 0.25f};
  EXPECT_EQ(FullyConnectedQs16::Create(p16, &error), nullptr);
  EXPECT_NE(error.find("16x8: input zero point 3 is outside [0, 0]"), std::string::npos) << error;
  p16.input_zero_point = 0;
  p16.bias = bias.data();
  EXPECT_EQ(FullyConnectedQs16::Create(p16, &error), nullptr);
  EXPECT_NE(error.find("bias"), std::string::npos) << error;
}

TEST(OpsErrors, BatchMatmulAndSoftmaxRejectBadQuantization) {
  std::string error;
  EXPECT_EQ(BatchMatmulQs16::Create({.lhs_scale = 1, .lhs_zero_point = 5, .rhs_scale = 1, .output_scale = 1}, &error),
            nullptr);
  EXPECT_NE(error.find("lhs zero point 5 is outside [0, 0]"), std::string::npos) << error;
  EXPECT_EQ(BatchMatmulQs8::Create({.lhs_scale = 1, .rhs_scale = -1, .output_scale = 1}, &error), nullptr);
  EXPECT_NE(error.find("rhs scale must be a finite number > 0"), std::string::npos) << error;
  EXPECT_EQ(BatchMatmulQs16Qs8::Create({.lhs_scale = 1, .rhs_scale = 1, .output_scale = 1e-3f}, &error), nullptr);
  EXPECT_NE(error.find("too large to requantize (at most 2^7)"), std::string::npos) << error;
  EXPECT_EQ(BatchMatmulQs8::Create({.output_multiplier = kernels::QuantizedMultiplier{-5, 0}}, &error), nullptr);
  EXPECT_NE(error.find("not a TFLite quantized multiplier"), std::string::npos) << error;
  EXPECT_NE(BatchMatmulQs16Qs8::Create(
                {.lhs_scale = 1.0f / 65536, .lhs_zero_point = -32768, .rhs_scale = 0.1f, .output_scale = 0.1f}, &error),
            nullptr)
      << error;
  EXPECT_EQ(SoftmaxQs8::Create({.input_scale = 0.0f}, &error), nullptr);
  EXPECT_NE(error.find("softmax: input scale must be a finite number > 0"), std::string::npos) << error;
  EXPECT_EQ(SoftmaxQs8::Create({.input_scale = 1e-9f}, &error), nullptr);
  EXPECT_NE(error.find("too small"), std::string::npos) << error;
  EXPECT_EQ(SoftmaxQs16::Create({.input_scale = std::numeric_limits<float>::infinity()}, &error), nullptr);
  EXPECT_EQ(SoftmaxQs8::Create({.prepared = PreparedSoftmax{1 << 30, -3, 0}}, &error), nullptr);
  EXPECT_NE(error.find("input left shift -3"), std::string::npos) << error;
}

// y = fc(x) for x [rows, in] with every tier and any split of the rows: identical, and
// within 1 LSB of round(float result / output scale).
TEST(FullyConnectedOp, SplitsAndTiersAgreeAndFloatIsWithinOneStep) {
  EF_SEEDED_RNG(rng);
  const size_t rows = 13, in = 70, out = 37;
  const auto x = RandomVector<int8_t>(rng, rows * in), w = RandomVector<int8_t>(rng, out * in, -127, 127);
  const auto bias = RandomVector<int32_t>(rng, out, -20000, 20000);
  std::vector<float> scales(out);
  std::uniform_real_distribution<float> scale(0.001f, 0.01f);
  for (float& s : scales) s = scale(rng);
  FullyConnectedQs8::Params p{.input_channels = in,
                              .output_channels = out,
                              .weights = w.data(),
                              .weight_scales = scales,
                              .bias = bias.data(),
                              .input_scale = 0.05f,
                              .input_zero_point = -9,
                              .output_scale = 0.08f,
                              .output_zero_point = 4};
  std::vector<int8_t> first;
  for (Tier tier : Tiers()) {
    std::string error;
    auto fc = FullyConnectedQs8::Create(p, &error, tier);
    ASSERT_NE(fc, nullptr) << error;
    EXPECT_EQ(fc->tier(), tier) << fc->kernel_name();
    std::vector<int8_t> whole(rows * out), split(rows * out);
    fc->Run(0, rows, x.data(), in, whole.data(), out);
    for (size_t r = 0; r < rows; r += 3) fc->Run(r, std::min(rows, r + 3), x.data(), in, split.data(), out);
    EXPECT_EQ(whole, split) << fc->kernel_name();
    if (first.empty()) first = whole;
    EXPECT_EQ(first, whole) << fc->kernel_name();
  }
  for (size_t r = 0; r < rows; ++r) {
    for (size_t j = 0; j < out; ++j) {
      double acc = bias[j] * 0.05 * scales[j];
      for (size_t k = 0; k < in; ++k) acc += 0.05 * (x[r * in + k] + 9) * scales[j] * w[j * in + k];
      const double ideal = std::clamp(std::round(acc / 0.08) + 4, -128.0, 127.0);
      ASSERT_LE(std::abs(ideal - first[r * out + j]), 1.0) << r << "," << j;
    }
  }
}

// A kernel with limits (qs8_qc8w_fc_4x4c16_neon: no weight of -128) is chosen only
// for weights it accepts; otherwise the op takes the next kernel of the same tier, and
// both give the reference's bits.
TEST(FullyConnectedOp, KernelWithLimitsOnlyForWeightsItAccepts) {
  EF_SEEDED_RNG(rng);
  const size_t rows = 9, in = 40, out = 12;
  const auto x = RandomVector<int8_t>(rng, rows * in);
  auto w = RandomVector<int8_t>(rng, out * in, -127, 127);
  const std::vector<float> scales(out, 0.004f);
  FullyConnectedQs8::Params p{.input_channels = in,
                              .output_channels = out,
                              .weights = w.data(),
                              .weight_scales = scales,
                              .input_scale = 0.05f,
                              .input_zero_point = -9,
                              .output_scale = 0.08f,
                              .output_zero_point = 4};
  for (bool with_minus_128 : {false, true}) {
    if (with_minus_128) w[5 * in + 7] = -128;
    std::string error;
    auto reference = FullyConnectedQs8::Create(p, &error, Tier::kReference);
    ASSERT_NE(reference, nullptr) << error;
    std::vector<int8_t> expected(rows * out), y(rows * out);
    reference->Run(0, rows, x.data(), in, expected.data(), out);
    for (Tier tier : Tiers()) {
      auto fc = FullyConnectedQs8::Create(p, &error, tier);
      ASSERT_NE(fc, nullptr) << error;
      if (tier == Tier::kNeon) {
        EXPECT_STREQ(fc->kernel_name(), with_minus_128 ? "qs8_qc8w_fc_4x16_neon" : "qs8_qc8w_fc_4x4c16_neon");
      }
      fc->Run(0, rows, x.data(), in, y.data(), out);
      EXPECT_EQ(y, expected) << fc->kernel_name();
    }
  }
}

// Q K^T per head with Q [Nq, E] and K [Nk, E] read in place, as the block calls it, vs
// the same on contiguous copies of the head slices; P V likewise with V in place.
TEST(BatchMatmulOp, HeadSlicesInPlaceSplitsAndTiersAgree) {
  EF_SEEDED_RNG(rng);
  const size_t heads = 3, dh = 20, e = heads * dh, nq = 9, nk = 23;
  const auto q = RandomVector<int8_t>(rng, nq * e), k = RandomVector<int8_t>(rng, nk * e);
  const auto p16 = RandomVector<int16_t>(rng, heads * nq * nk);
  const auto v = RandomVector<int8_t>(rng, nk * e);
  std::vector<int8_t> reference_scores, reference_context;
  for (Tier tier : Tiers()) {
    std::string error;
    auto qk = BatchMatmulQs8::Create({.rhs_layout = RhsLayout::kNK,
                                      .lhs_scale = 0.04f,
                                      .lhs_zero_point = 3,
                                      .rhs_scale = 0.05f,
                                      .rhs_zero_point = -2,
                                      .output_scale = 0.2f,
                                      .output_zero_point = -7},
                                     &error, tier);
    auto pv = BatchMatmulQs16Qs8::Create({.rhs_layout = RhsLayout::kKN,
                                          .lhs_scale = 1.0f / 65536,
                                          .lhs_zero_point = -32768,
                                          .rhs_scale = 0.05f,
                                          .rhs_zero_point = 6,
                                          .output_scale = 0.04f,
                                          .output_zero_point = 1},
                                         &error, tier);
    ASSERT_NE(qk, nullptr) << error;
    ASSERT_NE(pv, nullptr) << error;
    std::vector<uint64_t> workspace(std::max(qk->PackedRhsSize(nk, dh), pv->PackedRhsSize(dh, nk)) / 8 + 1);
    std::vector<int8_t> scores(heads * nq * nk), context(nq * e);
    for (size_t h = 0; h < heads; ++h) {
      const PackedRhs kh = qk->PackRhs(k.data() + h * dh, e, nk, dh, workspace.data());
      qk->Run(kh, 0, 4, q.data() + h * dh, e, scores.data() + h * nq * nk, nk);
      qk->Run(kh, 4, nq, q.data() + h * dh, e, scores.data() + h * nq * nk, nk);
      // The same head from contiguous copies.
      std::vector<int8_t> qc(nq * dh), kc(nk * dh), sc(nq * nk);
      for (size_t i = 0; i < nq; ++i) std::copy_n(q.data() + i * e + h * dh, dh, qc.data() + i * dh);
      for (size_t i = 0; i < nk; ++i) std::copy_n(k.data() + i * e + h * dh, dh, kc.data() + i * dh);
      const PackedRhs kc_packed = qk->PackRhs(kc.data(), dh, nk, dh, workspace.data());
      qk->Run(kc_packed, 0, nq, qc.data(), dh, sc.data(), nk);
      EXPECT_TRUE(std::equal(sc.begin(), sc.end(), scores.begin() + h * nq * nk)) << qk->kernel_name();

      const PackedRhs vh = pv->PackRhs(v.data() + h * dh, e, dh, nk, workspace.data());
      for (size_t i = 0; i < nq; ++i) {
        pv->Run(vh, i, i + 1, p16.data() + h * nq * nk, nk * sizeof(int16_t), context.data() + h * dh, e);
      }
    }
    if (reference_scores.empty()) {
      reference_scores = scores;
      reference_context = context;
    }
    EXPECT_EQ(reference_scores, scores) << qk->kernel_name();
    EXPECT_EQ(reference_context, context) << pv->kernel_name();
  }
  // Q K^T within 1 LSB of the float product.
  for (size_t h = 0; h < heads; ++h) {
    for (size_t i = 0; i < nq; ++i) {
      for (size_t j = 0; j < nk; ++j) {
        double acc = 0;
        for (size_t d = 0; d < dh; ++d) acc += (q[i * e + h * dh + d] - 3) * 0.04 * (k[j * e + h * dh + d] + 2) * 0.05;
        const double ideal = std::clamp(std::round(acc / 0.2) - 7, -128.0, 127.0);
        ASSERT_LE(std::abs(ideal - reference_scores[h * nq * nk + i * nk + j]), 1.0);
      }
    }
  }
}

TEST(SoftmaxOp, SplitsAndTiersAgreeWithAMask) {
  EF_SEEDED_RNG(rng);
  const size_t rows = 11, n = 45;
  const auto x = RandomVector<int8_t>(rng, rows * n);
  std::vector<uint8_t> mask(n, 0);
  mask[3] = mask[40] = 1;
  std::vector<int16_t> first;
  for (Tier tier : Tiers()) {
    std::string error;
    auto softmax = SoftmaxQs8Qs16::Create({.input_scale = 0.06f}, &error, tier);
    ASSERT_NE(softmax, nullptr) << error;
    std::vector<int16_t> whole(rows * n), split(rows * n);
    softmax->Run(0, rows, n, x.data(), n, mask.data(), whole.data(), n * 2);
    for (size_t r = 0; r < rows; r += 4) {
      softmax->Run(r, std::min(rows, r + 4), n, x.data(), n, mask.data(), split.data(), n * 2);
    }
    EXPECT_EQ(whole, split) << softmax->kernel_name();
    if (first.empty()) first = whole;
    EXPECT_EQ(first, whole) << softmax->kernel_name();
  }
  for (size_t r = 0; r < rows; ++r) {
    EXPECT_EQ(first[r * n + 3], -32768);
    EXPECT_EQ(first[r * n + 40], -32768);
  }
}

}  // namespace
}  // namespace edgefuse::core::ops
