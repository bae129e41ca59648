// The fusion on hand-made tokens: one patch moves exactly when the sound is loud (with
// an A/V lag), the others flutter at random; then silence.
#include "firmware/fusion/synchrony_fusion.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "modalities/vision/frontend_settings.h"
#include "tests/firmware/fusion/hand_made_tokens.h"

namespace edgefuse::fusion {
namespace {

namespace vf = vision::frontend;

using testing::HandMadeTokens;

class SynchronyFusionPrecisionTest : public ::testing::TestWithParam<core::AttentionPrecision> {};

TEST_P(SynchronyFusionPrecisionTest, FindsThePatchThatMovesWithTheSoundAndRejectsSilence) {
  SynchronyConfig config;
  config.precision = GetParam();
  std::string error;
  auto fusion = SynchronyFusion::Create(config, &error);
  ASSERT_NE(fusion, nullptr) << error;
  std::mt19937 rng(7);
  const int patch = 5 * vf::kGridWidth + 11;  // row 5, column 11
  constexpr int kLag = 2;                     // the sound is 2 frames (67 ms) late
  auto loud = [](int64_t f) { return f >= 0 && (f / 9) % 2 == 0; };
  SynchronyOutput out;
  int located = 0;
  for (int64_t f = 0; f < 150; ++f) {
    AudioActivity audio{.level_dbfs = loud(f - kLag) ? -10.0f : -22.0f, .valid = true};
    if (f < 5) audio.level_dbfs = -60.0f;  // a quiet start sets the noise floor
    ASSERT_TRUE(fusion->Push(HandMadeTokens(f, patch, loud(f), &rng), audio, &out, &error)) << error;
    if (f >= 60) {
      EXPECT_TRUE(out.present) << f;
      located += std::abs(out.x - 11.5f / 16) < 0.5f / 16 && std::abs(out.y - 5.5f / 12) < 0.5f / 12;
    }
  }
  EXPECT_EQ(located, 90);
  EXPECT_GT(out.confidence, 0.6f);
  float sum = 0.0f;
  for (float w : out.attention) sum += w;
  EXPECT_NEAR(sum, 1.0f, 1e-4f);
  // Silence: the level falls to the floor; no visible source.
  for (int64_t f = 150; f < 160; ++f) {
    AudioActivity quiet{.level_dbfs = -60.0f, .valid = true};
    ASSERT_TRUE(fusion->Push(HandMadeTokens(f, patch, false, &rng), quiet, &out, &error)) << error;
  }
  EXPECT_FALSE(out.present);
}

INSTANTIATE_TEST_SUITE_P(Precisions, SynchronyFusionPrecisionTest,
                         ::testing::Values(core::AttentionPrecision::kF32, core::AttentionPrecision::kInt8),
                         [](const ::testing::TestParamInfo<core::AttentionPrecision>& info) {
                           return std::string(core::AttentionPrecisionName(info.param));
                         });

TEST(SynchronyFusionTest, WrongTokenShapeIsAnError) {
  SynchronyConfig config;
  config.precision = core::AttentionPrecision::kF32;
  std::string error;
  auto fusion = SynchronyFusion::Create(config, &error);
  ASSERT_NE(fusion, nullptr) << error;
  vision::PatchTokens tokens;
  tokens.patches = 10;
  tokens.values.assign(80, 0);
  SynchronyOutput out;
  EXPECT_FALSE(fusion->Push(tokens, AudioActivity{}, &out, &error));
  EXPECT_NE(error.find("192 x 8"), std::string::npos) << error;
}

TEST(SynchronyFusionTest, BadConfigIsAnError) {
  SynchronyConfig config;
  config.precision = core::AttentionPrecision::kF32;
  config.window_frames = 4;
  std::string error;
  EXPECT_EQ(SynchronyFusion::Create(config, &error), nullptr);
  EXPECT_NE(error.find("window_frames"), std::string::npos) << error;
  config.window_frames = 60;
  config.lags_ms = {-2000, 0};
  EXPECT_EQ(SynchronyFusion::Create(config, &error), nullptr);
  EXPECT_NE(error.find("lag"), std::string::npos) << error;
}

}  // namespace
}  // namespace edgefuse::fusion
