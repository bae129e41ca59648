// `edgefuse scene --seed N --out-video V.avi --out-audio A.wav [--duration S]
//  [--objects K] [--offset-ms MS] [--truth T.jsonl]`: writes the generated audio-visual
// scene (modalities/scene/av_scene.h): MJPG video at 30 fps, 16 kHz mono WAV, and per
// frame the truth as JSON lines {"frame", "t", "audible", "source_object", "box": [x, y,
// w, h]}.
#include <cstdio>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "modalities/audio/wav.h"
#include "modalities/scene/av_scene.h"
#include "platform/text.h"

namespace edgefuse::app {
namespace {

constexpr OptionSpec kOptions[] = {
    {"seed", "N", "the scene's seed (required)"},
    {"out-video", "FILE", "the video, MJPG in AVI (required)"},
    {"out-audio", "FILE", "the sound, 16 kHz mono 16-bit WAV (required)"},
    {"duration", "S", "seconds (default 20)"},
    {"objects", "K", "objects, 3 to 6 (default: chosen from the seed)"},
    {"offset-ms", "MS", "the audio is late by MS milliseconds (negative: early), within +-500; default 0"},
    {"truth", "FILE", "per-frame truth as JSON lines"},
};

}  // namespace

int RunScene(int argc, char** argv) {
  ParsedArgs args;
  if (int status = ParseArgs("scene", kOptions, argc, argv, &args); status >= 0) return status;
  if (!args.Has("seed") || !args.Has("out-video") || !args.Has("out-audio")) {
    return UsageError("scene: --seed, --out-video and --out-audio are required");
  }
  scene::AvSceneConfig config;
  long value = 0;
  if (!ParseInt(args.Get("seed"), 0, 2147483647L, &value))
    return UsageError("scene: --seed must be a non-negative integer");
  config.seed = static_cast<uint64_t>(value);
  if (args.Has("duration")) {
    if (!ParseInt(args.Get("duration"), 1, 3600, &value))
      return UsageError("scene: --duration must be 1..3600 seconds");
    config.duration_s = static_cast<double>(value);
  }
  if (args.Has("objects")) {
    if (!ParseInt(args.Get("objects"), 3, 6, &value)) return UsageError("scene: --objects must be 3..6");
    config.objects = static_cast<int>(value);
  }
  if (args.Has("offset-ms")) {
    if (!ParseInt(args.Get("offset-ms"), -500, 500, &value)) return UsageError("scene: --offset-ms must be -500..500");
    config.av_offset_s = static_cast<double>(value) / 1000.0;
  }
  scene::AvScene av(config);

  cv::VideoWriter writer(args.Get("out-video"), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), config.fps,
                         cv::Size(config.width, config.height));
  if (!writer.isOpened()) return UsageError("scene: cannot write the video " + args.Get("out-video"));
  writer.set(cv::VIDEOWRITER_PROP_QUALITY, 100);
  FILE* truth_file = nullptr;
  if (args.Has("truth")) {
    truth_file = std::fopen(args.Get("truth").c_str(), "w");
    if (truth_file == nullptr) return UsageError("scene: cannot write " + args.Get("truth"));
  }
  cv::Mat bgr;
  scene::AvFrameTruth truth;
  const int64_t frames = av.frame_count();
  for (int64_t n = 0; n < frames; ++n) {
    av.RenderFrame(n, &bgr, &truth);
    writer.write(bgr);
    if (truth_file != nullptr) {
      const cv::Rect& b = truth.source_box;
      std::fprintf(
          truth_file,
          "{\"frame\": %lld, \"t\": %.6f, \"audible\": %s, \"source_object\": %d, \"box\": [%d, %d, %d, %d]}\n",
          static_cast<long long>(n), static_cast<double>(n) / config.fps, truth.audible ? "true" : "false",
          truth.source_object, b.x, b.y, b.width, b.height);
    }
  }
  writer.release();
  if (truth_file != nullptr && std::fclose(truth_file) != 0) return UsageError("scene: writing the truth failed");

  std::vector<int16_t> samples(static_cast<size_t>(config.duration_s * scene::AvScene::kSampleRateHz));
  av.RenderAudio(0, samples);
  const std::vector<uint8_t> wav = audio::SerializeWavPcm16(samples, scene::AvScene::kSampleRateHz);
  FILE* audio_file = std::fopen(args.Get("out-audio").c_str(), "wb");
  if (audio_file == nullptr) return UsageError("scene: cannot write " + args.Get("out-audio"));
  const bool ok = std::fwrite(wav.data(), 1, wav.size(), audio_file) == wav.size();
  if (std::fclose(audio_file) != 0 || !ok) return UsageError("scene: writing " + args.Get("out-audio") + " failed");
  std::fprintf(stderr, "edgefuse: scene: %s; %lld frames, %.1f s\n", platform::OneLine(av.Describe()).c_str(),
               static_cast<long long>(frames), config.duration_s);
  return kExitOk;
}

}  // namespace edgefuse::app
