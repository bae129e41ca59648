// Learned fusion weights (fusion.model): the built-in weights read back from a file
// give the built-in results, a different model changes what the fusion reports, the
// integer blocks' ranges bound a model's tensors, and bad files are one-line errors.
#include "firmware/fusion/fusion_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/attention/calibration.h"
#include "firmware/fusion/synchrony_fusion.h"
#include "platform/file.h"
#include "tests/firmware/fusion/hand_made_tokens.h"
#include "tests/support/test_support.h"

namespace edgefuse::fusion {
namespace {

constexpr int kW = 60;
constexpr int kFrames = 120;
constexpr int kPatch = 5 * 16 + 11;  // row 5, column 11 of the 16 x 12 grid

// The hand-made scene of synchrony_fusion_test (one patch moves with the sound, two
// frames early), through a fusion made from `config`; the outputs of every frame.
std::vector<SynchronyOutput> RunScene(const SynchronyConfig& config) {
  std::string error;
  auto fusion = SynchronyFusion::Create(config, &error);
  EXPECT_NE(fusion, nullptr) << error;
  if (fusion == nullptr) return {};
  std::mt19937 rng(7);
  auto loud = [](int64_t f) { return f >= 0 && (f / 9) % 2 == 0; };
  std::vector<SynchronyOutput> outputs(kFrames);
  for (int64_t f = 0; f < kFrames; ++f) {
    AudioActivity audio{.level_dbfs = loud(f - 2) ? -10.0f : -22.0f, .valid = true};
    if (f < 5) audio.level_dbfs = -60.0f;
    EXPECT_TRUE(fusion->Push(testing::HandMadeTokens(f, kPatch, loud(f), &rng), audio, &outputs[static_cast<size_t>(f)],
                             &error))
        << error;
  }
  return outputs;
}

SynchronyConfig WithModel(core::AttentionPrecision precision, std::shared_ptr<const FusionModel> model) {
  SynchronyConfig config;
  config.window_frames = kW;
  config.precision = precision;
  config.model = std::move(model);
  return config;
}

// Writes the model and reads it back as the command line does.
std::shared_ptr<const FusionModel> ThroughAFile(const FusionModel& model) {
  edgefuse::testing::ScratchDir dir;
  const std::string path = dir.File("fusion.safetensors");
  std::string error;
  EXPECT_TRUE(platform::WriteFileBytes(path, SerializeFusionModel(model), &error)) << error;
  FusionModel read;
  EXPECT_TRUE(ReadFusionModel(path, kW, &read, &error)) << error;
  return std::make_shared<const FusionModel>(std::move(read));
}

TEST(FusionModel, BuiltinWeightsFromAFileGiveTheBuiltinResults) {
  const auto model = ThroughAFile(BuiltinFusionModel(kW));
  EXPECT_EQ(model->num_heads, 1);
  EXPECT_EQ(model->weights.q_weight, BuiltinFusionModel(kW).weights.q_weight);
  for (auto precision : {core::AttentionPrecision::kF32, core::AttentionPrecision::kInt8}) {
    const auto builtin = RunScene(WithModel(precision, nullptr));
    const auto learned = RunScene(WithModel(precision, model));
    ASSERT_EQ(builtin.size(), learned.size());
    for (size_t f = 0; f < builtin.size(); ++f) {
      // The same weights and ranges through the same block: the same map. A model's
      // position is the map's soft argmax, the built-in one the block's value output:
      // the same number up to rounding (int8: the values' steps of 1/127.5).
      EXPECT_EQ(learned[f].attention, builtin[f].attention) << f;
      EXPECT_EQ(learned[f].present, builtin[f].present) << f;
      EXPECT_EQ(learned[f].confidence, builtin[f].confidence) << f;
      const float tolerance = precision == core::AttentionPrecision::kF32 ? 1e-5f : 8e-3f;
      EXPECT_NEAR(learned[f].x, builtin[f].x, tolerance) << f;
      EXPECT_NEAR(learned[f].y, builtin[f].y, tolerance) << f;
    }
  }
}

TEST(FusionModel, RangesOfTheBuiltinWeightsAreTheFormulas) {
  for (int w : {8, 60, 90}) {
    const core::AttentionRanges general = FusionModelRanges(BuiltinFusionModel(w));
    const core::AttentionRanges formula = BuiltinFusionRanges(w);
    for (size_t t = 0; t < core::kAttentionTensorCount; ++t) {
      const char* name = core::AttentionTensorName(static_cast<core::AttentionTensor>(t));
      EXPECT_NEAR(general.ranges[t].min, formula.ranges[t].min, 1e-5 * std::fabs(formula.ranges[t].min)) << name << w;
      EXPECT_NEAR(general.ranges[t].max, formula.ranges[t].max, 1e-5 * std::fabs(formula.ranges[t].max)) << name << w;
    }
  }
}

// A model of four heads with random weights and biases (nn.Linear-like scale).
FusionModel RandomModel(uint64_t seed) {
  FusionModel model = BuiltinFusionModel(kW);
  model.num_heads = 4;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  const float scale = 1.0f / std::sqrt(static_cast<float>(kW));
  for (auto* v : {&model.weights.q_weight, &model.weights.k_weight, &model.weights.v_weight, &model.weights.out_weight,
                  &model.weights.q_bias, &model.weights.k_bias, &model.weights.v_bias, &model.weights.out_bias}) {
    for (float& x : *v) x = u(rng) * scale;
  }
  return model;
}

TEST(FusionModel, ALearnedModelChangesWhatTheFusionReports) {
  // Keys that ignore the motion series: every patch scores the same, the map is
  // uniform and the position the middle of the image, sound or not.
  FusionModel blind = BuiltinFusionModel(kW);
  std::fill(blind.weights.k_weight.begin(), blind.weights.k_weight.end(), 0.0f);
  const auto builtin = RunScene(WithModel(core::AttentionPrecision::kF32, nullptr));
  const auto learned = RunScene(WithModel(core::AttentionPrecision::kF32, ThroughAFile(blind)));
  for (size_t f = 0; f < builtin.size(); ++f) {
    for (float v : learned[f].attention) EXPECT_NEAR(v, 1.0f / 192, 1e-6f) << f;
    EXPECT_NEAR(learned[f].x, 0.5f, 1e-5f) << f;
    EXPECT_NEAR(learned[f].y, 0.5f, 1e-5f) << f;
  }
  EXPECT_NEAR(builtin.back().x, 11.5f / 16, 0.5f / 16);

  // Four random heads: the map is no longer the synchrony map, and the integer blocks,
  // quantizing with the model's bounds (FusionModelRanges: the scores' bound is about
  // ten times what they reach, which costs int8 resolution), follow the float one.
  const auto model = ThroughAFile(RandomModel(3));
  EXPECT_EQ(model->num_heads, 4);
  const auto f32 = RunScene(WithModel(core::AttentionPrecision::kF32, model));
  float map_change = 0.0f;
  for (size_t f = kW; f < f32.size(); ++f) {
    for (size_t p = 0; p < f32[f].attention.size(); ++p) {
      map_change = std::max(map_change, std::fabs(f32[f].attention[p] - builtin[f].attention[p]));
    }
  }
  EXPECT_GT(map_change, 0.05f);
  for (auto precision : {core::AttentionPrecision::kInt8, core::AttentionPrecision::kInt16}) {
    const auto integer = RunScene(WithModel(precision, model));
    float map_error = 0.0f, position_error = 0.0f;
    for (size_t f = kW; f < f32.size(); ++f) {
      for (size_t p = 0; p < f32[f].attention.size(); ++p) {
        map_error = std::max(map_error, std::fabs(integer[f].attention[p] - f32[f].attention[p]));
      }
      position_error =
          std::max({position_error, std::fabs(integer[f].x - f32[f].x), std::fabs(integer[f].y - f32[f].y)});
    }
    std::printf("random 4-head model (map differs from built-in by up to %.3f): %s vs f32: map %.5f, position %.4f\n",
                map_change, core::AttentionPrecisionName(precision), map_error, position_error);
    const bool int8 = precision == core::AttentionPrecision::kInt8;
    // 16x8 is limited by the int8 weights (per channel, 0.4% steps of these random
    // ones; the built-in weights are exact in int8), int8 also by the bounds' width.
    EXPECT_LT(map_error, int8 ? 0.005f : 0.002f);
    EXPECT_LT(position_error, int8 ? 0.05f : 0.02f);
  }
}

TEST(FusionModel, RangesBoundEveryTensorOfARandomModel) {
  // The float block over inputs at the bounds' limits: z-score vectors of norm sqrt(W)
  // (all weight on one slot, or spread), positions 0..sqrt(W), features within +-8.
  const FusionModel model = RandomModel(5);
  const core::AttentionRanges bound = FusionModelRanges(model);
  std::mt19937_64 rng(11);
  std::normal_distribution<float> n01;
  const int kdim = model.weights.kdim;
  std::vector<float> query(7 * kW), context(192 * static_cast<size_t>(kdim));
  auto z_scores = [&](float* v, bool spike) {
    double norm2 = 0.0;
    for (int i = 0; i < kW; ++i) {
      v[i] = spike ? (i == static_cast<int>(rng() % kW) ? 1.0f : 0.0f) : n01(rng);
      norm2 += static_cast<double>(v[i]) * v[i];
    }
    const float scale = static_cast<float>(std::sqrt(kW / std::max(norm2, 1e-12)));
    for (int i = 0; i < kW; ++i) v[i] *= scale;
  };
  core::AttentionRanges seen;
  for (int draw = 0; draw < 8; ++draw) {
    for (int l = 0; l < 7; ++l) z_scores(&query[static_cast<size_t>(l) * kW], draw % 2 == 0);
    for (int p = 0; p < 192; ++p) {
      float* row = &context[static_cast<size_t>(p) * kdim];
      z_scores(row, draw % 2 == 1);
      for (int f = 0; f < 8; ++f) {
        row[kW + f] = f >= 6 ? static_cast<float>((rng() % 1000) / 999.0 * std::sqrt(kW))
                             : static_cast<float>(rng() % 2 ? 8.0 : -8.0);
      }
    }
    const core::CalibrationSample sample{.query = query, .context = context};
    std::string error;
    ASSERT_TRUE(core::CalibrateAttention({.embed_dim = kW, .num_heads = 4, .kdim = kdim}, model.weights,
                                         std::span(&sample, 1), &seen, &error))
        << error;
  }
  for (auto t : {core::AttentionTensor::kQ, core::AttentionTensor::kK, core::AttentionTensor::kV,
                 core::AttentionTensor::kScores, core::AttentionTensor::kAttention, core::AttentionTensor::kOutput}) {
    const char* name = core::AttentionTensorName(t);
    EXPECT_GE(seen[t].min, bound[t].min) << name;
    EXPECT_LE(seen[t].max, bound[t].max) << name;
    const float ratio = (bound[t].max - bound[t].min) / (seen[t].max - seen[t].min);
    std::printf("%-9s bound [%8.3f, %8.3f], reached [%8.3f, %8.3f]: %.1fx\n", name, bound[t].min, bound[t].max,
                seen[t].min, seen[t].max, ratio);
    // Not vacuous: Q and K within a small factor of what the inputs reach. (The scores'
    // bound, a product of norms, is about 10x; V, the attention and the output are
    // only bounds: a model's map and position do not use its values.)
    if (t == core::AttentionTensor::kQ || t == core::AttentionTensor::kK) {
      EXPECT_LT(ratio, 4.0f) << name;
    }
  }
}

TEST(FusionModel, BadFilesAreOneLineErrors) {
  edgefuse::testing::ScratchDir dir;
  std::string error;
  FusionModel model;
  EXPECT_FALSE(ReadFusionModel(dir.File("absent.safetensors"), kW, &model, &error));
  EXPECT_NE(error.find("absent.safetensors"), std::string::npos) << error;

  const std::string path = dir.File("w64.safetensors");
  ASSERT_TRUE(platform::WriteFileBytes(path, SerializeFusionModel(BuiltinFusionModel(64)), &error)) << error;
  EXPECT_FALSE(ReadFusionModel(path, kW, &model, &error));
  EXPECT_EQ(error, path +
                       ": the fusion needs embed_dim 60 (fusion.window_frames) and kdim 68 (W + 8 token features), "
                       "the model has 64 and 72");

  FusionModel seven_heads = BuiltinFusionModel(kW);
  seven_heads.num_heads = 7;
  ASSERT_TRUE(platform::WriteFileBytes(path, SerializeFusionModel(seven_heads), &error)) << error;
  EXPECT_FALSE(ReadFusionModel(path, kW, &model, &error));
  EXPECT_NE(error.find("7"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;

  const std::vector<uint8_t> image = SerializeFusionModel(BuiltinFusionModel(kW));
  ASSERT_TRUE(platform::WriteFileBytes(path, std::span(image.data(), image.size() / 2), &error)) << error;
  EXPECT_FALSE(ReadFusionModel(path, kW, &model, &error));
  EXPECT_EQ(error.rfind(path, 0), 0u) << error;

  // A model whose shape does not fit the window, handed to the fusion directly.
  SynchronyConfig config =
      WithModel(core::AttentionPrecision::kF32, std::make_shared<const FusionModel>(BuiltinFusionModel(64)));
  EXPECT_EQ(SynchronyFusion::Create(config, &error), nullptr);
  EXPECT_NE(error.find("embed_dim 64"), std::string::npos) << error;

  // Weights whose bounds overflow float: no integer block (its scales would be
  // meaningless), the float one runs.
  FusionModel huge = BuiltinFusionModel(kW);
  std::fill(huge.weights.q_weight.begin(), huge.weights.q_weight.end(), 1e38f);
  config = WithModel(core::AttentionPrecision::kInt8, std::make_shared<const FusionModel>(huge));
  EXPECT_EQ(SynchronyFusion::Create(config, &error), nullptr);
  EXPECT_EQ(error, "fusion: the model's weights are too large to bound its tensors in float; use precision f32");
  config.precision = core::AttentionPrecision::kF32;
  EXPECT_NE(SynchronyFusion::Create(config, &error), nullptr) << error;
}

}  // namespace
}  // namespace edgefuse::fusion
