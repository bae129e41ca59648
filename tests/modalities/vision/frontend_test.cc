// The image front-end's pure steps and its stage: fixed-point normalization against
// the real mean and standard deviation, token layout and quantization, exposure
// invariance, and the same tokens from every patch_motion tier.
#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/core.hpp>
#include <random>

#include "modalities/vision/frontend_settings.h"
#include "modalities/vision/patch_features.h"
#include "modalities/vision/patch_frontend.h"
#include "modalities/vision/synthetic_scene.h"
#include "tests/support/test_support.h"

namespace edgefuse::vision {
namespace {

using frontend::kTokenDim;

cv::Mat RandomFrame(std::mt19937_64& rng, int width = 640, int height = 480) {
  cv::Mat frame(height, width, CV_8UC3);
  std::uniform_int_distribution<int> u8(0, 255);
  for (auto it = frame.begin<cv::Vec3b>(); it != frame.end<cv::Vec3b>(); ++it) {
    *it = cv::Vec3b(static_cast<uint8_t>(u8(rng)), static_cast<uint8_t>(u8(rng)), static_cast<uint8_t>(u8(rng)));
  }
  return frame;
}

TEST(PatchFeatures, NormalizationMatchesTheRealMeanAndStandardDeviation) {
  EF_SEEDED_RNG(rng);
  for (int trial = 0; trial < 200; ++trial) {
    const int count = std::uniform_int_distribution<int>(2, 20000)(rng);
    const int lo = std::uniform_int_distribution<int>(0, 200)(rng);
    const int hi = std::uniform_int_distribution<int>(lo, 255)(rng);
    std::uniform_int_distribution<int> value(lo, hi);
    int64_t sum = 0, sum_squares = 0;
    double mean = 0, m2 = 0;
    for (int i = 0; i < count; ++i) {
      const int g = value(rng);
      sum += g;
      sum_squares += int64_t{g} * g;
    }
    mean = static_cast<double>(sum) / count;
    m2 = static_cast<double>(sum_squares) / count - mean * mean;
    const double std_dev = std::max(std::sqrt(std::max(m2, 0.0)), double{frontend::kMinGreySpread});
    const ExposureNormalization n = NormalizationFromMoments(sum, sum_squares, count);
    ASSERT_LE(std::fabs(n.mean_q4 - 16 * mean), 0.5) << "count " << count;
    const double ideal_gain = std::min(131072.0 / std_dev, 32767.0);
    ASSERT_LE(std::fabs(n.gain - ideal_gain), 0.5 + 1e-9 * ideal_gain) << "std " << std_dev;
  }
}

TEST(PatchFeatures, FlatFramesAreNotAmplifiedBeyondTheMinimumSpread) {
  const int count = 19200;
  const ExposureNormalization n = NormalizationFromMoments(int64_t{77} * count, int64_t{77 * 77} * count, count);
  EXPECT_EQ(n.mean_q4, 16 * 77);
  EXPECT_EQ(n.gain, 32767);  // 2^17 / 4, saturated to the kernel's limit
}

TEST(PatchFeatures, DivideRoundedRoundsHalfAwayFromZero) {
  EXPECT_EQ(DivideRounded(5, 2), 3);
  EXPECT_EQ(DivideRounded(-5, 2), -3);
  EXPECT_EQ(DivideRounded(4, 3), 1);
  EXPECT_EQ(DivideRounded(-4, 3), -1);
  EXPECT_EQ(DivideRounded(0, 7), 0);
}

TEST(PatchFeatures, QuantizesSumsColoursAndCentres) {
  const TokenGrid grid{2, 1, 10, 10};  // 100 pixels and 180 adjacent pairs per patch
  const core::PatchSums sums[2] = {{256 * 100, 256 * 180 / 2, -256 * 100 / 4}, {0, 0, 0}};
  cv::Mat colours(1, 2, CV_8UC3);
  colours.at<cv::Vec3b>(0, 0) = cv::Vec3b(255, 0, 51);
  colours.at<cv::Vec3b>(0, 1) = cv::Vec3b(128, 128, 128);
  std::vector<int16_t> tokens(2 * kTokenDim);
  QuantizePatchTokens(grid, sums, colours, false, tokens);
  EXPECT_EQ(tokens[frontend::kMotion], 4096);   // one standard deviation per pixel
  EXPECT_EQ(tokens[frontend::kTexture], 2048);  // half a standard deviation per pair
  EXPECT_EQ(tokens[frontend::kLevel], -1024);   // a quarter below the frame's mean
  EXPECT_EQ(tokens[frontend::kBlue], 4096);
  EXPECT_EQ(tokens[frontend::kGreen], 0);
  EXPECT_EQ(tokens[frontend::kRed], 819);       // 51 / 255 = 0.2
  EXPECT_EQ(tokens[frontend::kCentreX], 1024);  // (0 + 0.5) / 2
  EXPECT_EQ(tokens[frontend::kCentreY], 2048);  // (0 + 0.5) / 1
  EXPECT_EQ(tokens[kTokenDim + frontend::kCentreX], 3072);
  EXPECT_EQ(tokens[kTokenDim + frontend::kBlue], 2056);  // 128 / 255, rounded

  QuantizePatchTokens(grid, sums, colours, true, tokens);
  EXPECT_EQ(tokens[frontend::kMotion], 0) << "the first frame has no motion";
}

TEST(PatchFrontEnd, ValidatesItsConfiguration) {
  EXPECT_EQ(PatchFrontEnd::Validate({}), "");
  EXPECT_EQ(PatchFrontEnd::Validate({.grid_width = 20, .grid_height = 15, .patch_size = 8}), "");
  EXPECT_NE(PatchFrontEnd::Validate({.grid_width = 0}), "");
  EXPECT_NE(PatchFrontEnd::Validate({.patch_size = 1}), "");
  EXPECT_NE(PatchFrontEnd::Validate({.patch_size = 65}), "");
  EXPECT_NE(PatchFrontEnd::Validate({.grid_width = 15, .patch_size = 10}).find("multiple of 8"), std::string::npos);
}

TEST(PatchFrontEnd, RejectsFramesThatAreNotBgr) {
  PatchFrontEnd frontend;
  PatchTokens tokens;
  std::string error;
  EXPECT_FALSE(frontend.Process(cv::Mat(), &tokens, &error));
  EXPECT_NE(error.find("empty frame"), std::string::npos) << error;
  EXPECT_FALSE(frontend.Process(cv::Mat(48, 64, CV_8UC1, cv::Scalar(3)), &tokens, &error));
  EXPECT_NE(error.find("8-bit BGR"), std::string::npos) << error;
  EXPECT_FALSE(frontend.Process(cv::Mat(48, 64, CV_32FC3, cv::Scalar::all(0.5)), &tokens, &error));
}

TEST(PatchFrontEnd, TokensHaveTheDocumentedLayoutAndTiming) {
  EF_SEEDED_RNG(rng);
  PatchFrontEnd frontend;
  PatchTokens tokens;
  std::string error;
  Frame frame;
  frame.bgr = RandomFrame(rng);
  frame.timestamp_ns = 1'000'000'000;
  frame.index = 7;
  ASSERT_TRUE(frontend.Process(frame, &tokens, &error)) << error;
  EXPECT_EQ(tokens.patches, 16 * 12);
  EXPECT_EQ(tokens.dim, kTokenDim);
  ASSERT_EQ(tokens.values.size(), 16u * 12u * kTokenDim);
  EXPECT_EQ(tokens.scale, 1.0f / 4096);
  EXPECT_EQ(tokens.zero_point, 0);
  EXPECT_EQ(tokens.timestamp_ns, 1'000'000'000);
  EXPECT_EQ(tokens.duration_ns, 0);
  EXPECT_EQ(tokens.frame_index, 7);
  for (int p = 0; p < tokens.patches; ++p) EXPECT_EQ(tokens.Value(p, frontend::kMotion), 0.0f);
  // Patch 17 is column 1, row 1.
  EXPECT_FLOAT_EQ(tokens.Value(17, frontend::kCentreX), 1.5f / 16);
  EXPECT_NEAR(tokens.Value(17, frontend::kCentreY), 1.5f / 12, 1.0f / 4096);

  frame.timestamp_ns += 33'000'000;
  frame.index = 8;
  ASSERT_TRUE(frontend.Process(frame, &tokens, &error));
  EXPECT_EQ(tokens.duration_ns, 33'000'000);
  for (int p = 0; p < tokens.patches; ++p) EXPECT_EQ(tokens.Value(p, frontend::kMotion), 0.0f) << "same frame again";
  std::vector<float> dequantized(tokens.values.size());
  tokens.Dequantize(dequantized);
  EXPECT_EQ(dequantized[17 * kTokenDim + frontend::kCentreX], tokens.Value(17, frontend::kCentreX));
}

TEST(PatchFrontEnd, AnAffineExposureChangeLeavesTheNormalizedFrameAlmostUnchanged) {
  // A still frame, then the same frame with gain 1.25 and offset -12. What is left is
  // 8-bit requantization (about a third of a grey level per pixel, a few hundredths
  // of a standard deviation); without normalization the change is an order larger.
  SyntheticScene scene(
      {.seed = 5, .objects = 0, .noise_sigma = 0, .exposure_drift = 0, .exposure_steps = {{1, 1.25, -12.0}}});
  cv::Mat a, b;
  SceneTruth truth;
  scene.Render(0, &a, &truth);
  scene.Render(1, &b, &truth);
  PatchFrontEnd frontend, raw({.normalize_exposure = false});
  PatchTokens first, second, raw_second;
  std::string error;
  ASSERT_TRUE(frontend.Process(a, &first, &error));
  ASSERT_TRUE(frontend.Process(b, &second, &error));
  ASSERT_TRUE(raw.Process(a, &raw_second, &error));
  ASSERT_TRUE(raw.Process(b, &raw_second, &error));
  for (int p = 0; p < first.patches; ++p) {
    EXPECT_LT(second.Value(p, frontend::kMotion), 0.05f) << "patch " << p;
    EXPECT_GT(raw_second.Value(p, frontend::kMotion), 10 * second.Value(p, frontend::kMotion)) << "patch " << p;
    EXPECT_NEAR(second.Value(p, frontend::kTexture), first.Value(p, frontend::kTexture), 0.02f) << "patch " << p;
    EXPECT_NEAR(second.Value(p, frontend::kLevel), first.Value(p, frontend::kLevel), 0.02f) << "patch " << p;
  }
}

TEST(PatchFrontEnd, EveryKernelTierGivesTheSameTokens) {
  EF_SEEDED_RNG(rng);
  const cv::Mat frames[3] = {RandomFrame(rng), RandomFrame(rng, 1280, 720), RandomFrame(rng, 320, 240)};
  PatchFrontEnd reference({}, core::Tier::kReference);
  PatchFrontEnd best;
  std::printf("[edgefuse] comparing %s with %s\n", best.kernel_name(), reference.kernel_name());
  PatchTokens want, got;
  std::string error;
  for (const cv::Mat& frame : frames) {
    ASSERT_TRUE(reference.Process(frame, &want, &error)) << error;
    ASSERT_TRUE(best.Process(frame, &got, &error)) << error;
    ASSERT_EQ(want.values, got.values);
  }
}

}  // namespace
}  // namespace edgefuse::vision
