// Runs the image front-end on N 640x480 frames, for instruction counts under QEMU:
//
//   tests/bench/insn-count.sh --cpu cortex-a72 --per-iter 10,40 --
//       build/rpi4/tests/bench/image_frontend_frames @ITERS@   (one command line)
//
// prints the retired instructions of one frame of the whole front-end (resize, grey,
// normalization, patch_motion kernel, colours, tokens): the two frames the front-end
// alternates between are rendered once, before the counted loop, so the difference of
// two runs cancels start-up and rendering. Optional second argument: the tier cap
// (reference, neon, neondot) for comparing kernels. OpenCV runs on this thread alone
// (cv::setNumThreads(1)): the counting plugin is exact only for one guest thread, and a
// front-end in the pipeline has its own core anyway.
#include <cstdio>
#include <cstdlib>
#include <opencv2/core/utility.hpp>
#include <string>

#include "core/dispatch/dispatch.h"
#include "modalities/vision/patch_frontend.h"
#include "modalities/vision/synthetic_scene.h"

int main(int argc, char** argv) {
  using namespace edgefuse;
  const long frames = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 10;
  core::Tier cap = core::DefaultTierCap();
  if (argc > 2 && !core::ParseTier(argv[2], &cap)) {
    std::fprintf(stderr, "usage: image_frontend_frames FRAMES [reference|neon|neondot]\n");
    return 2;
  }
  cv::setNumThreads(1);
  vision::SyntheticScene scene({.width = 640, .height = 480, .seed = 3});
  cv::Mat bgr[2];
  vision::SceneTruth truth;
  scene.Render(10, &bgr[0], &truth);
  scene.Render(11, &bgr[1], &truth);
  vision::PatchFrontEnd frontend({}, cap);
  vision::PatchTokens tokens;
  std::string error;
  long checksum = 0;
  for (long i = 0; i < frames; ++i) {
    if (!frontend.Process(bgr[i & 1], &tokens, &error)) {
      std::fprintf(stderr, "image_frontend_frames: %s\n", error.c_str());
      return 1;
    }
    checksum += tokens.values[0];
  }
  std::printf("%ld frames, kernel %s, checksum %ld\n", frames, frontend.kernel_name(), checksum);
  return 0;
}
