// Host timings of the image front-end (Google Benchmark): every patch_motion list
// entry on the default working image (160x120, 16x12 patches of 10x10), the whole
// front-end per frame (resize included) at camera sizes, and its OpenCV steps. Under
// QEMU count instructions instead (image_frontend_frames.cc).
#include <benchmark/benchmark.h>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "core/kernels/patch_motion/patch_motion.h"
#include "modalities/vision/patch_frontend.h"
#include "modalities/vision/synthetic_scene.h"

namespace edgefuse {
namespace {

void PatchMotion(benchmark::State& state, core::KernelEntry<core::PatchMotionFn> entry) {
  if (!core::TierSupported(entry.tier, platform::DetectCpuFeatures())) {
    state.SkipWithError("this CPU lacks the entry's tier");
    return;
  }
  const int gw = vision::frontend::kGridWidth, gh = vision::frontend::kGridHeight, p = vision::frontend::kPatchSize;
  const int width = gw * p, height = gh * p;
  cv::Mat grey(height, width, CV_8UC1);
  cv::randu(grey, 0, 256);
  std::vector<int16_t> prev(static_cast<size_t>(width) * height, 100), norm(prev.size());
  std::vector<uint8_t> workspace(core::PatchMotionWorkspaceBytes(width));
  std::vector<core::PatchSums> sums(static_cast<size_t>(gw) * gh);
  const core::PatchMotionArgs args{.grey = grey.data,
                                   .grey_stride = width,
                                   .prev = prev.data(),
                                   .prev_stride = 2 * width,
                                   .norm = norm.data(),
                                   .norm_stride = 2 * width,
                                   .grid_width = gw,
                                   .grid_height = gh,
                                   .patch_width = p,
                                   .patch_height = p,
                                   .mean_q4 = 2000,
                                   .gain = 3000,
                                   .workspace = workspace.data(),
                                   .sums = sums.data()};
  for (auto _ : state) {
    entry.fn(args);
    benchmark::DoNotOptimize(sums.data());
  }
  state.SetItemsProcessed(state.iterations() * width * height);  // pixels per second
}

// range(0) x range(1): the camera frame; range(2): OpenCV threads (0: OpenCV's default).
void FrontEnd(benchmark::State& state) {
  const int previous_threads = cv::getNumThreads();
  if (state.range(2) > 0) cv::setNumThreads(static_cast<int>(state.range(2)));
  vision::SyntheticScene scene({.width = static_cast<int>(state.range(0)), .height = static_cast<int>(state.range(1))});
  cv::Mat frames[2];
  vision::SceneTruth truth;
  scene.Render(10, &frames[0], &truth);
  scene.Render(11, &frames[1], &truth);
  vision::PatchFrontEnd frontend;
  vision::PatchTokens tokens;
  std::string error;
  int64_t i = 0;
  for (auto _ : state) {
    frontend.Process(frames[i++ & 1], &tokens, &error);
    benchmark::DoNotOptimize(tokens.values.data());
  }
  state.SetItemsProcessed(state.iterations());  // frames per second
  state.SetLabel(frontend.kernel_name());
  cv::setNumThreads(previous_threads);
}

void Resize640To160(benchmark::State& state) {
  vision::SyntheticScene scene({});
  cv::Mat frame, work;
  vision::SceneTruth truth;
  scene.Render(0, &frame, &truth);
  for (auto _ : state) cv::resize(frame, work, cv::Size(160, 120), 0, 0, cv::INTER_LINEAR);
  state.SetItemsProcessed(state.iterations());
}

const bool kRegistered = [] {
  for (const auto& entry : core::PatchMotionKernels()) {
    benchmark::RegisterBenchmark((std::string("PatchMotion/") + entry.name + "/160x120").c_str(), PatchMotion, entry);
  }
  benchmark::RegisterBenchmark("ImageFrontEnd", FrontEnd)
      ->ArgNames({"width", "height", "opencv_threads"})
      ->Args({640, 480, 0})
      ->Args({640, 480, 1})
      ->Args({1280, 720, 0})
      ->Args({320, 240, 0});
  benchmark::RegisterBenchmark("ImageFrontEndStep/resize_640x480_to_160x120", Resize640To160);
  return true;
}();

}  // namespace
}  // namespace edgefuse
