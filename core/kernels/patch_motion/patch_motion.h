// patch_motion: the fixed-point hot spot of the image front-end
// (modalities/vision/patch_frontend.h). One pass over a grey frame at the working
// resolution normalizes every pixel for the frame's exposure and accumulates, per
// patch of a grid, the three sums the front-end turns into tokens:
//
//   n(x, y)  = NormalizeGrey(g(x, y), mean_q4, gain)           written to norm
//   motion  += |n(x, y) - prev(x, y)|                           change since last frame
//   texture += |n(x, y) - n(x-1, y)| + |n(x, y) - n(x, y-1)|    only pairs inside the patch
//   level   += n(x, y)
//
// The front-end picks mean_q4 and gain per frame so that n has zero mean and a fixed
// spread (modalities/vision/frontend_settings.h), which makes the sums blind to a
// global exposure change g -> a*g + b.
//
//   const auto& k = edgefuse::core::SelectKernel<PatchMotionFn>(PatchMotionKernels(), DefaultTierCap());
//   std::vector<uint8_t> workspace(PatchMotionWorkspaceBytes(160));
//   PatchMotionArgs args{.grey = g, .grey_stride = 160, .prev = p, .prev_stride = 320, .norm = n,
//                        .norm_stride = 320, .grid_width = 16, .grid_height = 12, .patch_width = 10,
//                        .patch_height = 10, .mean_q4 = 1600, .gain = 2048, .workspace = workspace.data(),
//                        .sums = sums};
//   k.fn(args);
//
// Contract, for every entry of the list:
// - width = grid_width * patch_width is a multiple of kPatchMotionTileWidth (8);
//   patch_width, patch_height >= 1; patch_width * patch_height <= kPatchMotionMaxPatchPixels,
//   so no sum can overflow.
// - Strides are in bytes; rows may be padded. Nothing is read or written outside the
//   width x grid_height*patch_height pixels (no over-read).
// - workspace holds PatchMotionWorkspaceBytes(width) bytes, 16-byte aligned, that
//   entries may use (the NEON entry sums columns there, then folds them into patches).
// - norm must not overlap grey, prev or workspace. prev may hold any int16 values.
// - 0 <= mean_q4 <= 4080 and 0 <= gain <= 32767, so (16 g - mean_q4) * gain fits in
//   int32 and |n| <= 16320.
// - Results are bit-exact across entries: the reference is the specification.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/dispatch/dispatch.h"

namespace edgefuse::core {

inline constexpr int kPatchMotionTileWidth = 8;
inline constexpr int kPatchMotionMaxPatchPixels = 1 << 16;
// n = (16 g - mean_q4) * gain / 2^kPatchMotionGainShift, rounded half up.
inline constexpr int kPatchMotionGainShift = 13;
inline constexpr int kPatchMotionMaxMeanQ4 = 16 * 255;
inline constexpr int kPatchMotionMaxGain = 32767;

// Per-patch sums, in units of the normalized grey level n.
struct PatchSums {
  uint32_t motion;   // sum |n - prev|
  uint32_t texture;  // sum of |differences| of horizontally and vertically adjacent pixels
  int32_t level;     // sum n
};

struct PatchMotionArgs {
  const uint8_t* grey;  // current grey frame
  ptrdiff_t grey_stride;
  const int16_t* prev;  // previous frame's norm
  ptrdiff_t prev_stride;
  int16_t* norm;  // out: this frame's normalized grey levels
  ptrdiff_t norm_stride;
  int grid_width;
  int grid_height;
  int patch_width;
  int patch_height;
  int16_t mean_q4;  // 16 x the frame's mean grey level, rounded
  int16_t gain;     // Q13 scale from 16 g - mean_q4 to n
  void* workspace;  // PatchMotionWorkspaceBytes(width) bytes, 16-byte aligned
  PatchSums* sums;  // out: grid_width * grid_height entries, row-major
};

// Workspace for a frame width: three 32-bit column sums and a 16-bit mask per column.
inline constexpr size_t PatchMotionWorkspaceBytes(int width) { return 14 * static_cast<size_t>(width); }

using PatchMotionFn = void (*)(const PatchMotionArgs& args);

// The one rounding step of the family: every entry normalizes a pixel exactly like
// this (NEON: SMULL then RSHRN #13, which rounds the same way, half up).
inline int16_t NormalizeGrey(uint8_t grey, int16_t mean_q4, int16_t gain) {
  const int32_t centred = 16 * static_cast<int32_t>(grey) - mean_q4;
  const int32_t product = centred * gain;
  return static_cast<int16_t>((product + (1 << (kPatchMotionGainShift - 1))) >> kPatchMotionGainShift);
}

// Whether args satisfies the contract above (for asserts and tests).
inline bool PatchMotionArgsValid(const PatchMotionArgs& a) {
  const int64_t width = static_cast<int64_t>(a.grid_width) * a.patch_width;
  const bool shape = a.grid_width >= 1 && a.grid_height >= 1 && a.patch_width >= 1 && a.patch_height >= 1 &&
                     width % kPatchMotionTileWidth == 0 &&
                     static_cast<int64_t>(a.patch_width) * a.patch_height <= kPatchMotionMaxPatchPixels;
  const bool pointers =
      a.grey != nullptr && a.prev != nullptr && a.norm != nullptr && a.workspace != nullptr && a.sums != nullptr;
  const bool strides = a.grey_stride >= width && a.prev_stride >= 2 * width && a.norm_stride >= 2 * width &&
                       a.prev_stride % 2 == 0 && a.norm_stride % 2 == 0;
  const bool params =
      a.mean_q4 >= 0 && a.mean_q4 <= kPatchMotionMaxMeanQ4 && a.gain >= 0 && a.gain <= kPatchMotionMaxGain;
  return shape && pointers && strides && params;
}

namespace reference {
void u8_patch_motion(const PatchMotionArgs& args);
}  // namespace reference

namespace neon {
void u8_patch_motion_x8(const PatchMotionArgs& args);
}  // namespace neon

// Best first; the reference entry is last.
std::span<const KernelEntry<PatchMotionFn>> PatchMotionKernels();

}  // namespace edgefuse::core
