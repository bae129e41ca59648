// `edgefuse bench pipeline --frames N [--iters N] [--precision f32|int8]`: the per-frame
// work of the default pipeline on pre-rendered 640x480 frames of the generated scene
// and its audio: vision front-end, audio front-end, activity track and synchrony fusion
// (offline/localize.h). Frames are rendered before timing; each iteration pushes the
// next one (cycling through the N rendered). Prints the time per frame; instruction
// counts come from tests/bench/insn-count.sh --per-iter. OpenCV runs on one thread:
// the per-frame work of one core, and exact instruction counts (the counting plugin
// is exact only for one guest thread; idle pool threads spinning made counts vary by
// 25% between runs).
#include <chrono>
#include <cstdio>
#include <opencv2/core.hpp>
#include <vector>

#include "firmware/app/bench.h"
#include "firmware/app/cli.h"
#include "firmware/offline/localize.h"
#include "modalities/scene/av_scene.h"

namespace edgefuse::app {

int RunBenchPipeline(int argc, char** argv) {
  static constexpr OptionSpec kOptions[] = {
      {"frames", "N", "distinct frames rendered before timing (default 60)"},
      {"iters", "N", "frames pushed through the pipeline (default: --frames)"},
      {"precision", "f32|int8", "the attention block's arithmetic (default int8)"},
  };
  ParsedArgs args;
  if (int status = ParseArgs("bench pipeline", kOptions, argc, argv, &args); status >= 0) return status;
  long frames = 60;
  if (args.Has("frames") && !ParseInt(args.Get("frames"), 1, 100000, &frames)) {
    return UsageError("bench pipeline: --frames must be 1..100000");
  }
  long iters = frames;
  if (args.Has("iters") && !ParseInt(args.Get("iters"), 1, 10000000, &iters)) {
    return UsageError("bench pipeline: --iters must be 1..10000000");
  }
  offline::LocalizeConfig config;
  config.fusion.precision = core::AttentionPrecision::kInt8;
  if (args.Has("precision") && !core::ParseAttentionPrecision(args.Get("precision"), &config.fusion.precision)) {
    return UsageError("bench pipeline: --precision must be f32 or int8");
  }

  cv::setNumThreads(1);
  scene::AvScene av({.seed = 1, .duration_s = -1.0});
  std::vector<cv::Mat> rendered(static_cast<size_t>(frames));
  scene::AvFrameTruth truth;
  for (long n = 0; n < frames; ++n) av.RenderFrame(n, &rendered[static_cast<size_t>(n)], &truth);
  // Audio: the rendered frames' sound, repeated as the frames are (a copy per
  // iteration, not a render, so that the per-iteration cost is the pipeline's).
  std::vector<int16_t> block(static_cast<size_t>(frames * scene::AvScene::kSampleRateHz / 30));
  av.RenderAudio(0, block);
  std::vector<int16_t> samples;
  samples.reserve(static_cast<size_t>((iters + 30) * scene::AvScene::kSampleRateHz / 30) + block.size());
  while (samples.size() < static_cast<size_t>((iters + 30) * scene::AvScene::kSampleRateHz / 30)) {
    samples.insert(samples.end(), block.begin(), block.end());
  }

  std::string error;
  auto localizer = offline::Localizer::Create(config, samples, &error);
  if (localizer == nullptr) return UsageError(error);
  offline::LocalizeResult result;
  int present = 0;
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < iters; ++i) {
    if (!localizer->PushFrame(rendered[static_cast<size_t>(i % frames)], &result, &error)) return UsageError(error);
    present += result.source ? 1 : 0;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("pipeline: %ld frames 640x480 (%s): %.3f ms per frame, %d with a source\n", iters,
              core::AttentionPrecisionName(config.fusion.precision), 1000.0 * seconds / static_cast<double>(iters),
              present);
  return kExitOk;
}

}  // namespace edgefuse::app
