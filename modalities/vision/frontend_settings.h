// Every constant of the image front-end (patch_frontend.h) in one place; the tests,
// benchmarks and the `edgefuse features image` command read these same values.
//
// Definition, per frame (all integer after OpenCV's resize and colour conversion):
//  1. Downscale the BGR frame to the working resolution, grid * patch size (160 x 120 by
//     default) with one cv::resize, INTER_LINEAR: from 640 x 480 each working pixel is
//     the mean of the central 2 x 2 pixels of its 4 x 4 block. (INTER_AREA would average
//     all 16, but OpenCV 4.6 has no NEON code for 3-channel INTER_AREA: on a Cortex-A72
//     its 640x480 -> 320x240 step alone retires 2.8 M instructions, see README.md.)
//  2. Grey (cv::COLOR_BGR2GRAY, OpenCV's fixed-point weights).
//  3. Exposure normalization from the grey frame's exact sum and sum of squares:
//     n = (g - mean) * 256 / max(std, kMinGreySpread), in Q13 fixed point with
//     rounding half up (core/kernels/patch_motion). A global change g -> a*g + b
//     leaves n unchanged up to rounding.
//  4. Per patch: motion = mean |n - n_previous|; texture = mean |difference| of
//     horizontally and vertically adjacent pixels inside the patch; level = mean n.
//     Motion is 0 on the first frame.
//  5. Mean colour per patch: cv::resize of the working image to the grid, INTER_AREA.
//  6. Tokens: int16, symmetric (zero point 0), scale 1/4096 (Q12), rounded half away
//     from zero; motion, texture and level in units of the frame's grey standard
//     deviation, colours in [0, 1] (B, G, R), the patch centre in [0, 1] image coordinates.
#pragma once

#include <cstdint>

namespace edgefuse::vision::frontend {

inline constexpr int kGridWidth = 16;   // patches across
inline constexpr int kGridHeight = 12;  // patches down
inline constexpr int kPatchSize = 10;   // working-resolution pixels per patch side
// grid_width * patch size must be a multiple of 8 (the patch_motion kernel's tile).
inline constexpr int kMaxPatchSize = 64;
inline constexpr int kMaxGridSide = 256;

// Token layout: [grid_width * grid_height, kTokenDim], patches in row-major grid order.
inline constexpr int kTokenDim = 8;
enum Feature : int {
  kMotion = 0,   // mean |n - n_previous| / 256: motion energy in grey standard deviations
  kTexture = 1,  // mean |adjacent difference| / 256: gradient energy
  kLevel = 2,    // mean n / 256: brightness relative to the frame
  kBlue = 3,     // mean colour, / 255
  kGreen = 4,
  kRed = 5,
  kCentreX = 6,  // patch centre, (column + 0.5) / grid_width
  kCentreY = 7,  // (row + 0.5) / grid_height
};
inline constexpr const char* kFeatureNames[kTokenDim] = {"motion", "texture", "level",    "blue",
                                                         "green",  "red",     "centre_x", "centre_y"};

inline constexpr int kTokenFractionBits = 12;
inline constexpr float kTokenScale = 1.0f / (1 << kTokenFractionBits);
inline constexpr int32_t kTokenZeroPoint = 0;

// Normalized grey n: kNormUnits units per grey standard deviation.
inline constexpr int kNormUnits = 256;
// The standard deviation never counts as less than this many grey levels, so a flat
// (dark, covered) frame's noise is amplified at most 64 times.
inline constexpr int kMinGreySpread = 4;
// With exposure normalization off (for comparison only): n = (g - 128) * 256 / 32.
inline constexpr int16_t kFixedMeanQ4 = 16 * 128;
inline constexpr int16_t kFixedGain = 4096;

}  // namespace edgefuse::vision::frontend
