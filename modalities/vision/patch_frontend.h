// The image front-end: BGR frames in, one block of patch tokens per frame out
// ([grid_width * grid_height, 8] int16, Q12, zero point 0; 16 x 12 patches of 10 x 10
// working pixels by default): motion energy robust to
// exposure changes, texture, relative brightness, mean colour and the patch centre
// (frontend_settings.h defines every step and constant). The fixed-point hot spot runs
// through the patch_motion kernel family, chosen once per front-end from the CPU's
// best tier. Buffers are sized on the first frame; later frames allocate nothing.
//
//   edgefuse::vision::PatchFrontEnd frontend;             // 16 x 12 patches
//   edgefuse::vision::PatchTokens tokens;
//   std::string error;
//   while (source->Read(&frame) == ReadStatus::kOk) {
//     if (!frontend.Process(frame, &tokens, &error)) { ... }
//     float motion = tokens.Value(patch, edgefuse::vision::frontend::kMotion);
//   }
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/dispatch/dispatch.h"
#include "core/kernels/patch_motion/patch_motion.h"
#include "modalities/vision/frame_source.h"
#include "modalities/vision/frontend_settings.h"

namespace edgefuse::vision {

struct FrontEndConfig {
  int grid_width = frontend::kGridWidth;
  int grid_height = frontend::kGridHeight;
  int patch_size = frontend::kPatchSize;  // 2 to kMaxPatchSize; grid_width * patch_size a multiple of 8
  bool normalize_exposure = true;         // false only to show what normalization buys
};

// One frame's tokens: the image half of DESIGN.md §2's token block.
struct PatchTokens {
  int64_t timestamp_ns = 0;  // the frame's capture time
  int64_t duration_ns = 0;   // since the previous frame (0 for the first)
  int64_t frame_index = 0;
  int patches = 0;  // rows: grid_width * grid_height, row-major over the grid
  int dim = frontend::kTokenDim;
  std::vector<int16_t> values;  // [patches, dim]
  float scale = frontend::kTokenScale;
  int32_t zero_point = frontend::kTokenZeroPoint;

  float Value(int patch, int feature) const {
    return scale * static_cast<float>(values[static_cast<size_t>(patch) * dim + feature] - zero_point);
  }
  // All values as float (value = scale * (q - zero_point)), [patches * dim].
  void Dequantize(std::span<float> out) const;
};

class PatchFrontEnd {
 public:
  // The config must pass Validate; the kernel is the best of the patch_motion list
  // allowed by cap.
  explicit PatchFrontEnd(const FrontEndConfig& config = {}, core::Tier cap = core::DefaultTierCap());

  // "" when config is usable, else a one-line reason.
  static std::string Validate(const FrontEndConfig& config);

  // Tokens of one frame; motion is measured against the previous frame given (zero on
  // the first). False with a reason for a frame that is not non-empty 8-bit BGR.
  bool Process(const cv::Mat& bgr, PatchTokens* tokens, std::string* error);
  // The same, carrying the frame's timestamp and index into the tokens.
  bool Process(const Frame& frame, PatchTokens* tokens, std::string* error);

  // Forget the previous frame (the next frame has zero motion).
  void Reset() { have_previous_ = false; }

  const FrontEndConfig& config() const { return config_; }
  cv::Size working_size() const {
    return {config_.grid_width * config_.patch_size, config_.grid_height * config_.patch_size};
  }
  const char* kernel_name() const { return kernel_.name; }
  // The raw kernel sums of the last frame, row-major over the grid.
  std::span<const core::PatchSums> last_sums() const { return sums_; }

 private:
  FrontEndConfig config_;
  core::KernelEntry<core::PatchMotionFn> kernel_;
  cv::Mat work_, grey_, patch_bgr_;
  std::vector<int16_t> norm_[2];
  std::vector<uint8_t> workspace_;  // this frame's and the previous frame's normalized grey
  int current_ = 0;
  std::vector<core::PatchSums> sums_;
  bool have_previous_ = false;
  int64_t previous_timestamp_ns_ = 0;
};

}  // namespace edgefuse::vision
