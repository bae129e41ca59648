// The image front-end's pure steps (frontend_settings.h gives the definition): resizing
// to the working resolution, exposure normalization parameters from exact grey moments, and the
// quantization of per-patch sums into int16 tokens. No state, no I/O; PatchFrontEnd
// (patch_frontend.h) strings them together with the patch_motion kernel.
//
//   cv::Mat work;
//   edgefuse::vision::ResizeToWorking(frame, cv::Size(160, 120), &work);
//   int64_t sum, sum_squares;
//   edgefuse::vision::GreyMoments(grey, &sum, &sum_squares);
//   auto norm = edgefuse::vision::NormalizationFromMoments(sum, sum_squares, grey.total());
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <span>

#include "core/kernels/patch_motion/patch_motion.h"

namespace edgefuse::vision {

// The working image: one cv::resize to size, INTER_LINEAR (frontend_settings.h, step 1).
// dst is reused when it already has the size.
void ResizeToWorking(const cv::Mat& src, cv::Size size, cv::Mat* dst);

// The mean colour of each patch: cv::resize of the working image to the grid, INTER_AREA.
void PatchColours(const cv::Mat& work, cv::Size grid, cv::Mat* colours);

// Exact sum and sum of squares of an 8-bit single-channel image (OpenCV's SIMD sums).
void GreyMoments(const cv::Mat& grey, int64_t* sum, int64_t* sum_squares);

struct ExposureNormalization {
  int16_t mean_q4 = 0;  // 16 x mean, rounded
  int16_t gain = 0;     // Q13: 2^17 / max(std, kMinGreySpread), rounded, at most 32767
};

// Integer-only: mean and standard deviation from the moments of count pixels.
ExposureNormalization NormalizationFromMoments(int64_t sum, int64_t sum_squares, int64_t count);

// Rounds num / den (den > 0) half away from zero.
int64_t DivideRounded(int64_t num, int64_t den);

struct TokenGrid {
  int grid_width;
  int grid_height;
  int patch_width;  // working-resolution pixels
  int patch_height;
};

// Writes grid_width * grid_height tokens of kTokenDim int16 values (Q12) from the
// kernel's sums and the per-patch mean colours (a grid-sized CV_8UC3 image).
void QuantizePatchTokens(const TokenGrid& grid, std::span<const core::PatchSums> sums, const cv::Mat& patch_bgr,
                         bool first_frame, std::span<int16_t> tokens);

}  // namespace edgefuse::vision
