// patch_motion on ARMv8.0 Advanced SIMD, eight pixels (one tile) per step, for any
// patch width: each row adds its per-pixel terms to per-column sums in the workspace
// (UADDW/SADDW), and after the last row of a band of patches the columns are folded
// into the patches. Patch borders only matter for horizontal pairs, which a per-column
// mask drops.
//
// Per tile: USHLL widens 16 g, SUB centres it, SMULL/SMULL2 + RSHRN/RSHRN2 #13 apply
// the gain with NormalizeGrey's rounding (half up). SABD gives |differences|; read as
// unsigned they are exact even above INT16_MAX, and a horizontal plus a vertical one
// (each <= 32640 for normalized values) still fit in 16 bits.
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

inline void AddToColumns(uint32_t* columns, uint16x8_t terms) {
  vst1q_u32(columns, vaddw_u16(vld1q_u32(columns), vget_low_u16(terms)));
  vst1q_u32(columns + 4, vaddw_high_u16(vld1q_u32(columns + 4), terms));
}

inline void AddToColumns(int32_t* columns, int16x8_t terms) {
  vst1q_s32(columns, vaddw_s16(vld1q_s32(columns), vget_low_s16(terms)));
  vst1q_s32(columns + 4, vaddw_high_s16(vld1q_s32(columns + 4), terms));
}

}  // namespace

void u8_patch_motion_x8(const PatchMotionArgs& args) {
  assert(PatchMotionArgsValid(args));
  const int pw = args.patch_width;
  const int ph = args.patch_height;
  const int width = args.grid_width * pw;
  // Workspace: column sums of the current band of patches, then the border mask.
  auto* motion_columns = static_cast<uint32_t*>(args.workspace);
  uint32_t* texture_columns = motion_columns + width;
  auto* level_columns = reinterpret_cast<int32_t*>(texture_columns + width);
  // 0xFFFF where the pixel's right neighbour is in the same patch, 0 on patch borders.
  auto* same_patch = reinterpret_cast<uint16_t*>(level_columns + width);
  for (int x = 0; x < width; ++x) same_patch[x] = (x + 1) % pw == 0 ? 0 : 0xFFFF;

  const int16x8_t mean_q4 = vdupq_n_s16(args.mean_q4);
  const int16x4_t gain = vdup_n_s16(args.gain);
  for (int gy = 0; gy < args.grid_height; ++gy) {
    for (int x = 0; x < width; ++x) motion_columns[x] = texture_columns[x] = 0;
    for (int x = 0; x < width; ++x) level_columns[x] = 0;
    for (int r = 0; r < ph; ++r) {
      const int y = gy * ph + r;
      const uint8_t* grey = Row(args.grey, args.grey_stride, y);
      const int16_t* prev = Row(args.prev, args.prev_stride, y);
      int16_t* norm = Row(args.norm, args.norm_stride, y);
      const int16_t* above = r > 0 ? Row<const int16_t>(args.norm, args.norm_stride, y - 1) : nullptr;
      int16x8_t n = Normalize(vld1_u8(grey), mean_q4, gain);
      for (int x = 0; x < width; x += kPatchMotionTileWidth) {
        vst1q_s16(norm + x, n);
        AddToColumns(motion_columns + x, AbsDiff(n, vld1q_s16(prev + x)));
        AddToColumns(level_columns + x, n);
        // Right neighbours: n[1..7] and the next tile's first pixel (none after the
        // last tile, whose last column is a patch border anyway).
        const bool last = x + kPatchMotionTileWidth == width;
        const int16x8_t next = last ? n : Normalize(vld1_u8(grey + x + kPatchMotionTileWidth), mean_q4, gain);
        uint16x8_t texture = vandq_u16(AbsDiff(n, vextq_s16(n, next, 1)), vld1q_u16(same_patch + x));
        if (above != nullptr) texture = vaddq_u16(texture, AbsDiff(n, vld1q_s16(above + x)));
        AddToColumns(texture_columns + x, texture);
        n = next;
      }
    }
    for (int gx = 0; gx < args.grid_width; ++gx) {
      uint32_t motion = 0, texture = 0;
      int32_t level = 0;
      for (int x = gx * pw; x < (gx + 1) * pw; ++x) {
        motion += motion_columns[x];
        texture += texture_columns[x];
        level += level_columns[x];
      }
      args.sums[gy * args.grid_width + gx] = PatchSums{motion, texture, level};
    }
  }
}

}  // namespace edgefuse::core::neon
