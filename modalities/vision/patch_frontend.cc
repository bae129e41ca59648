#include "modalities/vision/patch_frontend.h"

#include <cassert>
#include <opencv2/imgproc.hpp>

#include "modalities/vision/patch_features.h"

namespace edgefuse::vision {

void PatchTokens::Dequantize(std::span<float> out) const {
  for (size_t i = 0; i < values.size() && i < out.size(); ++i) {
    out[i] = scale * static_cast<float>(values[i] - zero_point);
  }
}

std::string PatchFrontEnd::Validate(const FrontEndConfig& c) {
  if (c.grid_width < 1 || c.grid_height < 1 || c.grid_width > frontend::kMaxGridSide ||
      c.grid_height > frontend::kMaxGridSide) {
    return "the patch grid must be 1 to " + std::to_string(frontend::kMaxGridSide) + " patches on each side";
  }
  if (c.patch_size < 2 || c.patch_size > frontend::kMaxPatchSize) {
    return "the patch size must be 2 to " + std::to_string(frontend::kMaxPatchSize) + " working pixels";
  }
  if (c.grid_width * c.patch_size % core::kPatchMotionTileWidth != 0) {
    return "grid width x patch size (" + std::to_string(c.grid_width * c.patch_size) +
           ") must be a multiple of 8, the patch_motion kernel's tile";
  }
  return "";
}

PatchFrontEnd::PatchFrontEnd(const FrontEndConfig& config, core::Tier cap)
    : config_(config), kernel_(core::SelectKernel<core::PatchMotionFn>(core::PatchMotionKernels(), cap)) {
  assert(Validate(config_).empty());
  const cv::Size size = working_size();
  const size_t pixels = static_cast<size_t>(size.area());
  norm_[0].assign(pixels, 0);
  norm_[1].assign(pixels, 0);
  workspace_.resize(core::PatchMotionWorkspaceBytes(size.width));
  sums_.resize(static_cast<size_t>(config_.grid_width) * config_.grid_height);
}

bool PatchFrontEnd::Process(const cv::Mat& bgr, PatchTokens* tokens, std::string* error) {
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    *error = "the front-end takes non-empty 8-bit BGR frames (got " +
             (bgr.empty() ? std::string("an empty frame") : "OpenCV type " + std::to_string(bgr.type())) + ")";
    return false;
  }
  const cv::Size size = working_size();
  ResizeToWorking(bgr, size, &work_);
  cv::cvtColor(work_, grey_, cv::COLOR_BGR2GRAY);

  ExposureNormalization norm{frontend::kFixedMeanQ4, frontend::kFixedGain};
  if (config_.normalize_exposure) {
    int64_t sum = 0, sum_squares = 0;
    GreyMoments(grey_, &sum, &sum_squares);
    norm = NormalizationFromMoments(sum, sum_squares, static_cast<int64_t>(size.area()));
  }
  const int previous = current_ ^ 1;
  const ptrdiff_t norm_stride = static_cast<ptrdiff_t>(size.width) * sizeof(int16_t);
  kernel_.fn(core::PatchMotionArgs{.grey = grey_.ptr<uint8_t>(),
                                   .grey_stride = static_cast<ptrdiff_t>(grey_.step[0]),
                                   .prev = norm_[previous].data(),
                                   .prev_stride = norm_stride,
                                   .norm = norm_[current_].data(),
                                   .norm_stride = norm_stride,
                                   .grid_width = config_.grid_width,
                                   .grid_height = config_.grid_height,
                                   .patch_width = config_.patch_size,
                                   .patch_height = config_.patch_size,
                                   .mean_q4 = norm.mean_q4,
                                   .gain = norm.gain,
                                   .workspace = workspace_.data(),
                                   .sums = sums_.data()});

  PatchColours(work_, cv::Size(config_.grid_width, config_.grid_height), &patch_bgr_);
  tokens->patches = config_.grid_width * config_.grid_height;
  tokens->dim = frontend::kTokenDim;
  tokens->scale = frontend::kTokenScale;
  tokens->zero_point = frontend::kTokenZeroPoint;
  tokens->values.resize(static_cast<size_t>(tokens->patches) * tokens->dim);
  QuantizePatchTokens({config_.grid_width, config_.grid_height, config_.patch_size, config_.patch_size}, sums_,
                      patch_bgr_, !have_previous_, tokens->values);
  have_previous_ = true;
  current_ = previous;  // this frame becomes the previous one
  return true;
}

bool PatchFrontEnd::Process(const Frame& frame, PatchTokens* tokens, std::string* error) {
  const bool first = !have_previous_;
  if (!Process(frame.bgr, tokens, error)) return false;
  tokens->timestamp_ns = frame.timestamp_ns;
  tokens->frame_index = frame.index;
  tokens->duration_ns = first ? 0 : frame.timestamp_ns - previous_timestamp_ns_;
  previous_timestamp_ns_ = frame.timestamp_ns;
  return true;
}

}  // namespace edgefuse::vision
