// The specification of patch_motion: plain loops, one pixel at a time.
#include <cassert>
#include <cstdlib>
#include <type_traits>

#include "core/kernels/patch_motion/patch_motion.h"

namespace edgefuse::core::reference {
namespace {

template <class T>
T* Row(T* base, ptrdiff_t stride, int y) {
  using Byte = std::conditional_t<std::is_const_v<T>, const uint8_t, uint8_t>;
  return reinterpret_cast<T*>(reinterpret_cast<Byte*>(base) + y * stride);
}

}  // namespace

void u8_patch_motion(const PatchMotionArgs& args) {
  assert(PatchMotionArgsValid(args));
  const int pw = args.patch_width;
  const int ph = args.patch_height;
  for (int gy = 0; gy < args.grid_height; ++gy) {
    for (int gx = 0; gx < args.grid_width; ++gx) {
      uint32_t motion = 0;
      uint32_t texture = 0;
      int32_t level = 0;
      for (int y = gy * ph; y < (gy + 1) * ph; ++y) {
        const uint8_t* grey = Row(args.grey, args.grey_stride, y);
        const int16_t* prev = Row(args.prev, args.prev_stride, y);
        int16_t* norm = Row(args.norm, args.norm_stride, y);
        const int16_t* above = y > gy * ph ? Row(args.norm, args.norm_stride, y - 1) : nullptr;
        for (int x = gx * pw; x < (gx + 1) * pw; ++x) {
          const int32_t n = NormalizeGrey(grey[x], args.mean_q4, args.gain);
          norm[x] = static_cast<int16_t>(n);
          motion += static_cast<uint32_t>(std::abs(n - prev[x]));
          if (x > gx * pw) texture += static_cast<uint32_t>(std::abs(n - norm[x - 1]));
          if (above != nullptr) texture += static_cast<uint32_t>(std::abs(n - above[x]));
          level += n;
        }
      }
      args.sums[gy * args.grid_width + gx] = PatchSums{motion, texture, level};
    }
  }
}

}  // namespace edgefuse::core::reference
