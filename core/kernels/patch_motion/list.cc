// The patch_motion kernel list, best first: the one place to add an entry.
#include "core/kernels/patch_motion/patch_motion.h"

namespace edgefuse::core {

std::span<const KernelEntry<PatchMotionFn>> PatchMotionKernels() {
  static constexpr KernelEntry<PatchMotionFn> kList[] = {
#if EDGEFUSE_HAVE_NEON
    {"u8_patch_motion_x8_neon", Tier::kNeon, &neon::u8_patch_motion_x8},
#endif
    {"u8_patch_motion_reference", Tier::kReference, &reference::u8_patch_motion},
  };
  return kList;
}

}  // namespace edgefuse::core
