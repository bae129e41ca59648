#include "modalities/vision/patch_features.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "modalities/vision/frontend_settings.h"

namespace edgefuse::vision {
namespace {

int64_t IntegerSqrt(int64_t x) {  // floor(sqrt(x)), x >= 0
  auto r = static_cast<int64_t>(std::sqrt(static_cast<double>(x)));
  while (r > 0 && r * r > x) --r;
  while ((r + 1) * (r + 1) <= x) ++r;
  return r;
}

int16_t SaturateToken(int64_t value) { return static_cast<int16_t>(std::clamp<int64_t>(value, INT16_MIN, INT16_MAX)); }

}  // namespace

void ResizeToWorking(const cv::Mat& src, cv::Size size, cv::Mat* dst) {
  cv::resize(src, *dst, size, 0, 0, cv::INTER_LINEAR);
}

void PatchColours(const cv::Mat& work, cv::Size grid, cv::Mat* colours) {
  cv::resize(work, *colours, grid, 0, 0, cv::INTER_AREA);
}

void GreyMoments(const cv::Mat& grey, int64_t* sum, int64_t* sum_squares) {
  assert(grey.type() == CV_8UC1);
  // Both are exact: integer accumulation inside OpenCV, and far below 2^53.
  *sum = static_cast<int64_t>(cv::sum(grey)[0]);
  *sum_squares = static_cast<int64_t>(cv::norm(grey, cv::NORM_L2SQR));
}

ExposureNormalization NormalizationFromMoments(int64_t sum, int64_t sum_squares, int64_t count) {
  assert(count > 0);
  ExposureNormalization out;
  out.mean_q4 =
      static_cast<int16_t>(std::clamp<int64_t>(DivideRounded(16 * sum, count), 0, core::kPatchMotionMaxMeanQ4));
  // count * std = sqrt(count * sum_squares - sum^2); keep 8 more bits: q = 256 count std.
  const int64_t variance_n2 = std::max<int64_t>(0, count * sum_squares - sum * sum);
  int64_t q = IntegerSqrt(variance_n2 << 16);
  q = std::max<int64_t>(q, int64_t{frontend::kMinGreySpread} * count * 256);
  // gain = 2^17 / std = 2^17 * 256 count / q.
  const int64_t gain = DivideRounded((int64_t{1} << 25) * count, q);
  out.gain = static_cast<int16_t>(std::min<int64_t>(gain, core::kPatchMotionMaxGain));
  return out;
}

int64_t DivideRounded(int64_t num, int64_t den) {
  assert(den > 0);
  return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

void QuantizePatchTokens(const TokenGrid& grid, std::span<const core::PatchSums> sums, const cv::Mat& patch_bgr,
                         bool first_frame, std::span<int16_t> tokens) {
  using frontend::kBlue, frontend::kCentreX, frontend::kCentreY, frontend::kLevel, frontend::kMotion,
      frontend::kNormUnits, frontend::kTexture, frontend::kTokenDim, frontend::kTokenFractionBits;
  [[maybe_unused]] const int patches = grid.grid_width * grid.grid_height;
  assert(static_cast<int>(sums.size()) == patches && static_cast<int>(tokens.size()) == patches * kTokenDim);
  assert(patch_bgr.type() == CV_8UC3 && patch_bgr.cols == grid.grid_width && patch_bgr.rows == grid.grid_height);
  const int64_t pixels = int64_t{grid.patch_width} * grid.patch_height;
  const int64_t pairs =
      int64_t{grid.patch_height} * (grid.patch_width - 1) + int64_t{grid.patch_width} * (grid.patch_height - 1);
  // Sums are in n units (1/kNormUnits of a standard deviation); tokens in 1/4096.
  constexpr int64_t kToQ12 = (1 << kTokenFractionBits) / kNormUnits;
  static_assert(kToQ12 * kNormUnits == (1 << kTokenFractionBits));
  for (int gy = 0; gy < grid.grid_height; ++gy) {
    for (int gx = 0; gx < grid.grid_width; ++gx) {
      const int p = gy * grid.grid_width + gx;
      const core::PatchSums& s = sums[static_cast<size_t>(p)];
      int16_t* t = tokens.data() + static_cast<ptrdiff_t>(p) * kTokenDim;
      t[kMotion] = first_frame ? 0 : SaturateToken(DivideRounded(int64_t{s.motion} * kToQ12, pixels));
      t[kTexture] = pairs > 0 ? SaturateToken(DivideRounded(int64_t{s.texture} * kToQ12, pairs)) : 0;
      t[kLevel] = SaturateToken(DivideRounded(int64_t{s.level} * kToQ12, pixels));
      const cv::Vec3b& colour = patch_bgr.at<cv::Vec3b>(gy, gx);
      for (int c = 0; c < 3; ++c) {
        t[kBlue + c] = SaturateToken(DivideRounded(int64_t{colour[c]} << kTokenFractionBits, 255));
      }
      t[kCentreX] = SaturateToken(DivideRounded(int64_t{2 * gx + 1} << kTokenFractionBits, 2 * grid.grid_width));
      t[kCentreY] = SaturateToken(DivideRounded(int64_t{2 * gy + 1} << kTokenFractionBits, 2 * grid.grid_height));
    }
  }
}

}  // namespace edgefuse::vision
