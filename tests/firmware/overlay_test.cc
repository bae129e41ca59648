// The overlay renderer: the heatmap peaks where the attention peaks, no source
// draws no marker, the meter follows the level, rendering is deterministic, and bad
// input never crashes. Also the FusionResult contract helpers.
#include "firmware/sinks/overlay.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <opencv2/core.hpp>

#include "tests/support/test_support.h"

namespace edgefuse::sinks {
namespace {

// A textured grey frame: not flat, so that a blend shows, but no colour of its own.
cv::Mat GreyFrame(int width, int height) {
  cv::Mat frame(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const uint8_t v = static_cast<uint8_t>(96 + ((x / 8 + y / 8) % 2) * 32);
      frame.at<cv::Vec3b>(y, x) = cv::Vec3b(v, v, v);
    }
  }
  return frame;
}

// A map peaked on cell (px, py): a Gaussian of one cell's width, normalized.
void PeakedMap(int grid_w, int grid_h, int px, int py, AttentionMap* map) {
  map->Reset(grid_w, grid_h);
  double sum = 0.0;
  for (int y = 0; y < grid_h; ++y) {
    for (int x = 0; x < grid_w; ++x) {
      const double d2 = (x - px) * (x - px) + (y - py) * (y - py);
      map->weights[y * grid_w + x] = static_cast<float>(std::exp(-d2 / 2.0));
      sum += map->weights[y * grid_w + x];
    }
  }
  for (float& w : map->weights) w = static_cast<float>(w / sum);
}

OverlayStyle Only(bool heatmap, bool marker, bool meter, bool text) {
  OverlayStyle style;
  style.show_heatmap = heatmap;
  style.show_marker = marker;
  style.show_meter = meter;
  style.show_text = text;
  return style;
}

TEST(Overlay, HeatmapIsHottestWhereTheMapPeaks) {
  EF_SEEDED_RNG(rng);
  constexpr int kGridW = 16, kGridH = 12;
  std::uniform_int_distribution<int> col(0, kGridW - 1), row(0, kGridH - 1);
  FusionResult result;
  result.frame = GreyFrame(640, 480);
  OverlayRenderer renderer(Only(true, false, false, false));
  for (int trial = 0; trial < 6; ++trial) {
    const int px = col(rng), py = row(rng);
    PeakedMap(kGridW, kGridH, px, py, &result.attention);
    cv::Mat out;
    ASSERT_TRUE(renderer.Render(result, &out));
    // Red minus blue per cell: the jet colormap is red at the top, blue at the bottom.
    int best_x = -1, best_y = -1;
    double best = -1e9;
    for (int y = 0; y < kGridH; ++y) {
      for (int x = 0; x < kGridW; ++x) {
        const cv::Scalar mean = cv::mean(out(cv::Rect(x * 40, y * 40, 40, 40)));
        if (mean[2] - mean[0] > best) {
          best = mean[2] - mean[0];
          best_x = x;
          best_y = y;
        }
      }
    }
    EXPECT_EQ(best_x, px) << "trial " << trial;
    EXPECT_EQ(best_y, py) << "trial " << trial;
    // At the peak the blend is alpha = 0.5 of jet's dark red (0, 0, 128) over grey.
    const cv::Vec3b centre = out.at<cv::Vec3b>(py * 40 + 20, px * 40 + 20);
    const cv::Vec3b under = result.frame.at<cv::Vec3b>(py * 40 + 20, px * 40 + 20);
    EXPECT_GT(centre[2], under[2]);
    EXPECT_LT(centre[0], under[0]);
  }
}

TEST(Overlay, NoMapOrAFlatMapLeavesTheFrameAlone) {
  FusionResult result;
  result.frame = GreyFrame(320, 240);
  OverlayRenderer renderer(Only(true, true, false, false));
  cv::Mat out;
  ASSERT_TRUE(renderer.Render(result, &out));  // empty map, no source
  EXPECT_EQ(cv::norm(out, result.frame, cv::NORM_INF), 0.0);
  result.attention.Reset(16, 12);
  for (float& w : result.attention.weights) w = 1.0f / 192.0f;
  ASSERT_TRUE(renderer.Render(result, &out));
  EXPECT_EQ(cv::norm(out, result.frame, cv::NORM_INF), 0.0);
}

TEST(Overlay, MarkerOnlyWhenASourceIsPresentAndWhereItIs) {
  FusionResult result;
  result.frame = GreyFrame(640, 480);
  result.source = {.present = false, .x = 0.25f, .y = 0.75f, .confidence = 0.9f};
  OverlayRenderer renderer(Only(false, true, false, false));
  cv::Mat out;
  ASSERT_TRUE(renderer.Render(result, &out));
  EXPECT_EQ(cv::norm(out, result.frame, cv::NORM_INF), 0.0) << "no source: no marker";

  result.source.present = true;
  ASSERT_TRUE(renderer.Render(result, &out));
  cv::Mat diff;
  cv::absdiff(out, result.frame, diff);
  cv::cvtColor(diff, diff, cv::COLOR_BGR2GRAY);
  const cv::Rect changed = cv::boundingRect(diff > 0);
  const cv::Point centre = MarkerCentre(out.size(), 0.25f, 0.75f);
  EXPECT_EQ(centre, cv::Point(160, 360));
  const int r = ComputeOverlayLayout(out.size()).marker_radius;
  // The crosshair reaches 2r left, right, up and down (plus its round caps: half the
  // 4-pixel outline and a pixel of antialiasing); the label sits above right.
  EXPECT_NEAR(changed.x, centre.x - 2 * r, 4);
  EXPECT_NEAR(changed.y + changed.height, centre.y + 2 * r, 4);
  EXPECT_GT(changed.x + changed.width, centre.x + 2 * r);
  EXPECT_LE(changed.y, centre.y - 2 * r);
  // The ring itself: white on the circle's right.
  EXPECT_EQ(out.at<cv::Vec3b>(centre.y, centre.x + r), cv::Vec3b(255, 255, 255));
}

// The first row from the top of the meter's middle column with the fill colour.
int FilledTop(const cv::Mat& image, const cv::Rect& meter, cv::Vec3b* colour) {
  const int x = meter.x + meter.width / 2;
  for (int y = meter.y; y < meter.y + meter.height; ++y) {
    const cv::Vec3b p = image.at<cv::Vec3b>(y, x);
    if (p != cv::Vec3b(40, 40, 40) && p != cv::Vec3b(0, 220, 255)) {  // not the background nor the floor line
      *colour = p;
      return y;
    }
  }
  return meter.y + meter.height;
}

TEST(Overlay, MeterHeightFollowsTheLevel) {
  FusionResult result;
  result.frame = cv::Mat(480, 640, CV_8UC3, cv::Scalar(10, 10, 10));
  result.audio.noise_floor_dbfs = -90.0f;  // below the meter: no floor line in the way
  const OverlayStyle style = Only(false, false, true, false);
  OverlayRenderer renderer(style);
  const OverlayLayout layout = ComputeOverlayLayout(result.frame.size());
  int previous = layout.meter.y + layout.meter.height + 1;
  for (float level : {-70.0f, -55.0f, -40.0f, -20.0f, -5.0f}) {
    result.audio.level_dbfs = level;
    cv::Mat out;
    ASSERT_TRUE(renderer.Render(result, &out));
    cv::Vec3b colour;
    const int top = FilledTop(out, layout.meter, &colour);
    EXPECT_EQ(top, MeterRow(layout, style, level)) << level;
    EXPECT_LT(top, previous) << "louder must be taller";
    EXPECT_EQ(colour, cv::Vec3b(0, 200, 0)) << "above the noise floor: green";
    previous = top;
  }
  // Half way up for half the range (-40 dBFS on a -80..0 meter).
  EXPECT_EQ(MeterRow(layout, style, -40.0f), layout.meter.y + layout.meter.height / 2);
  EXPECT_EQ(MeterRow(layout, style, -200.0f), layout.meter.y + layout.meter.height);
  EXPECT_EQ(MeterRow(layout, style, 12.0f), layout.meter.y);

  // Below the noise floor the bar is grey.
  result.audio.level_dbfs = -30.0f;
  result.audio.noise_floor_dbfs = -20.0f;
  cv::Mat out;
  ASSERT_TRUE(renderer.Render(result, &out));
  cv::Vec3b colour;
  FilledTop(out, layout.meter, &colour);
  EXPECT_EQ(colour, cv::Vec3b(140, 140, 140));
}

TEST(Overlay, DeterministicAndBadInputIsSafe) {
  FusionResult result;
  result.frame = GreyFrame(640, 480);
  PeakedMap(16, 12, 3, 4, &result.attention);
  result.source = {.present = true, .x = 0.2f, .y = 0.3f, .confidence = 0.7f};
  result.audio = {.level_dbfs = -30.0f, .noise_floor_dbfs = -50.0f};
  result.metrics.fps = 29.97;
  result.metrics.latency_p50_ms = 41.0;
  result.metrics.latency_p99_ms = 80.0;
  cv::Mat a, b;
  OverlayRenderer renderer;
  ASSERT_TRUE(renderer.Render(result, &a));
  ASSERT_TRUE(RenderOverlay(result, OverlayStyle(), &b));
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0);
  ASSERT_TRUE(renderer.Render(result, &b));
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0);

  // Text draws in the top left.
  cv::Mat plain;
  ASSERT_TRUE(RenderOverlay(result, Only(false, false, false, true), &plain));
  EXPECT_GT(cv::norm(plain(cv::Rect(0, 0, 200, 30)), result.frame(cv::Rect(0, 0, 200, 30)), cv::NORM_INF), 0.0);

  // Garbage in: nothing crashes, nothing draws outside the frame.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  result.attention.weights[5] = nan;
  result.source = {.present = true, .x = nan, .y = 7.0f, .confidence = -3.0f};
  result.audio = {.level_dbfs = nan, .noise_floor_dbfs = std::numeric_limits<float>::infinity()};
  result.metrics.fps = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(renderer.Render(result, &a));
  result.attention.weights.resize(7);  // wrong size for 16 x 12: not drawn
  EXPECT_TRUE(renderer.Render(result, &a));
  result.frame.release();
  EXPECT_FALSE(renderer.Render(result, &a));
  EXPECT_TRUE(a.empty());
  result.frame = cv::Mat(48, 64, CV_8UC1, cv::Scalar(0));
  EXPECT_FALSE(renderer.Render(result, &a));
  result.frame = cv::Mat(2, 2, CV_8UC3, cv::Scalar(0));  // tiny, but valid
  EXPECT_TRUE(renderer.Render(result, &a));
}

TEST(FusionResult, ValidateNamesTheField) {
  FusionResult result;
  std::string error;
  EXPECT_FALSE(ValidateFusionResult(result, &error));
  EXPECT_EQ(error, "frame: empty");
  result.frame = cv::Mat(12, 16, CV_8UC1);
  EXPECT_FALSE(ValidateFusionResult(result, &error));
  EXPECT_EQ(error, "frame: expected 8-bit BGR (CV_8UC3), got type 0");
  result.frame = GreyFrame(16, 12);
  EXPECT_TRUE(ValidateFusionResult(result, &error)) << error;
  PeakedMap(16, 12, 1, 1, &result.attention);
  EXPECT_TRUE(ValidateFusionResult(result, &error)) << error;
  result.attention.weights[0] += 0.01f;
  EXPECT_FALSE(ValidateFusionResult(result, &error));
  EXPECT_EQ(error.rfind("attention: weights sum to 1.01", 0), 0u) << error;
  result.attention.weights[0] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_FALSE(ValidateFusionResult(result, &error));
  EXPECT_EQ(error, "attention: weight 0 is nan");
  result.attention.weights.pop_back();
  EXPECT_FALSE(ValidateFusionResult(result, &error));
  EXPECT_EQ(error, "attention: 191 weights for a 16x12 grid");
  result.attention.Clear();
  result.source.x = 1.5f;
  EXPECT_FALSE(ValidateFusionResult(result, &error));
  EXPECT_EQ(error, "source.x: 1.500000 is not in [0, 1]");
}

TEST(FusionResult, CopyIsDeepAndReusesBuffers) {
  FusionResult a;
  a.frame = GreyFrame(64, 48);
  PeakedMap(4, 3, 1, 1, &a.attention);
  a.metrics.stages = {{"vision", 1.0, 2.0}, {"fusion", 3.0, 4.0}};
  a.frame_index = 9;
  FusionResult b;
  CopyFusionResult(a, &b);
  const uint8_t* pixels = b.frame.data;
  EXPECT_NE(pixels, a.frame.data);
  EXPECT_EQ(cv::norm(a.frame, b.frame, cv::NORM_INF), 0.0);
  EXPECT_EQ(b.attention.weights, a.attention.weights);
  EXPECT_EQ(b.metrics.stages[1].name, "fusion");
  EXPECT_EQ(b.frame_index, 9);
  a.frame.setTo(cv::Scalar(1, 2, 3));
  CopyFusionResult(a, &b);
  EXPECT_EQ(b.frame.data, pixels) << "same size: the pixels are copied into the same buffer";
  EXPECT_EQ(b.frame.at<cv::Vec3b>(0, 0), cv::Vec3b(1, 2, 3));
}

}  // namespace
}  // namespace edgefuse::sinks
