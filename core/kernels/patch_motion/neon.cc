// patch_motion on ARMv8.0 Advanced SIMD: eight pixels (one tile) per step.
//
// Per tile: USHLL widens 16 g, SUB centres it, SMULL/SMULL2 + RSHRN/RSHRN2 #13 apply
// the gain with NormalizeGrey's rounding (half up); SABD gives |differences| (read as
// unsigned they are exact even when they exceed INT16_MAX) and UADALP/SADALP
// accumulate pairs into 32-bit lanes, so no lane can overflow within a patch.
#include <arm_neon.h>

#include <cassert>
#include <type_traits>

#include "core/kernels/patch_motion/patch_motion.h"

namespace edgefuse::core::neon {
namespace {

template <class T>
T* Row(T* base, ptrdiff_t stride, int y) {
  if constexpr (std::is_const_v<T>) {
    return reinterpret_cast<T*>(reinterpret_cast<const uint8_t*>(base) + y * stride);
  } else {
    return reinterpret_cast<T*>(reinterpret_cast<uint8_t*>(base) + y * stride);
  }
}

inline int16x8_t Normalize(uint8x8_t grey, int16x8_t mean_q4, int16x4_t gain) {
  const int16x8_t centred = vsubq_s16(vreinterpretq_s16_u16(vshll_n_u8(grey, 4)), mean_q4);
  const int32x4_t lo = vmull_lane_s16(vget_low_s16(centred), gain, 0);
  const int32x4_t hi = vmull_high_lane_s16(centred, gain, 0);
  return vrshrn_high_n_s32(vrshrn_n_s32(lo, kPatchMotionGainShift), hi, kPatchMotionGainShift);
}

inline uint16x8_t AbsDiff(int16x8_t a, int16x8_t b) { return vreinterpretq_u16_s16(vabdq_s16(a, b)); }

}  // namespace

void u8_patch_motion_w8(const PatchMotionArgs& args) {
  assert(PatchMotionArgsValid(args));
  const int pw = args.patch_width;
  const int ph = args.patch_height;
  const int16x8_t mean_q4 = vdupq_n_s16(args.mean_q4);
  const int16x4_t gain = vdup_n_s16(args.gain);
  for (int gy = 0; gy < args.grid_height; ++gy) {
    for (int gx = 0; gx < args.grid_width; ++gx) {
      uint32x4_t motion = vdupq_n_u32(0);
      uint32x4_t texture = vdupq_n_u32(0);
      int32x4_t level = vdupq_n_s32(0);
      const int x0 = gx * pw;
      for (int y = gy * ph; y < (gy + 1) * ph; ++y) {
        const uint8_t* grey = Row(args.grey, args.grey_stride, y) + x0;
        const int16_t* prev = Row(args.prev, args.prev_stride, y) + x0;
        int16_t* norm = Row(args.norm, args.norm_stride, y) + x0;
        const bool has_above = y > gy * ph;
        const int16_t* above = has_above ? Row<const int16_t>(args.norm, args.norm_stride, y - 1) + x0 : nullptr;
        int16x8_t left_tile = vdupq_n_s16(0);
        for (int x = 0; x < pw; x += kPatchMotionTileWidth) {
          const int16x8_t n = Normalize(vld1_u8(grey + x), mean_q4, gain);
          vst1q_s16(norm + x, n);
          motion = vpadalq_u16(motion, AbsDiff(n, vld1q_s16(prev + x)));
          // Left neighbours: the previous tile's last pixel, then n[0..6]. The patch's
          // first pixel has none inside the patch, so it pairs with itself (difference 0).
          const int16x8_t left = vextq_s16(x == 0 ? vdupq_laneq_s16(n, 0) : left_tile, n, 7);
          texture = vpadalq_u16(texture, AbsDiff(n, left));
          if (has_above) texture = vpadalq_u16(texture, AbsDiff(n, vld1q_s16(above + x)));
          level = vpadalq_s16(level, n);
          left_tile = n;
        }
      }
      args.sums[gy * args.grid_width + gx] = PatchSums{vaddvq_u32(motion), vaddvq_u32(texture), vaddvq_s32(level)};
    }
  }
}

}  // namespace edgefuse::core::neon
