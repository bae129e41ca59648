// `edgefuse localize --video V [--audio A] --out R.jsonl [--audio-offset MS]
//  [--precision f32|int8] [--window-frames W] [--model M.safetensors]`: the fusion
// offline (built-in weights, or learned ones with --model), as fast as the CPU
// allows. One JSON object per decoded video frame, at the frame's presentation time in
// the file, counted from the first frame (so a variable-frame-rate phone clip keeps its
// timing, and the sound at the same time goes with it):
//   {"t": seconds, "source": bool, "x": 0..1, "y": 0..1, "confidence": 0..1}
// The sound: the video file's own audio track (decoded with GStreamer) when --audio is
// not given; else a WAV file (any rate and channels, down-mixed, resampled to 16 kHz)
// or any other media file's track. A summary line (frames, seconds, real-time factor,
// the sound used) goes to stderr, after a warning if the file held fewer (or more)
// frames than its header announced.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/fusion/fusion_model.h"
#include "firmware/offline/localize.h"
#include "modalities/audio/media_audio.h"
#include "modalities/audio/paced_source.h"
#include "modalities/vision/file_sources.h"
#include "platform/log.h"

namespace edgefuse::app {
namespace {

constexpr OptionSpec kOptions[] = {
    {"video", "FILE", "the video (any format OpenCV's FFmpeg back end reads)"},
    {"audio", "FILE",
     "its sound: a WAV file (PCM or float, any rate and channels) or any media file GStreamer decodes; "
     "default: the video file's own audio track"},
    {"out", "FILE", "where to write one JSON line per video frame"},
    {"audio-offset", "MS", "the audio is late by MS milliseconds (negative: early); default 0"},
    {"precision", "f32|int8", "the attention block's arithmetic (default int8)"},
    {"window-frames", "W", "frames correlated (default 60)"},
    {"model", "FILE", "learned fusion weights (.safetensors of nn.MultiheadAttention; default built in)"},
};

// The nominal rate the fusion's lags (in frames) are derived from; the frames' own
// timestamps place them in time.
constexpr double kMinFps = 1.0, kMaxFps = 240.0, kFallbackFps = 30.0;

// The whole sound at 16 kHz mono: a WAV file, or a media file's track (the video's own
// when path is the video).
bool ReadSound(const std::string& path, std::vector<int16_t>* samples, std::string* description, std::string* error) {
  auto source = audio::OpenSoundFile(path, {}, error);
  if (source == nullptr || !source->Start(error)) return false;
  *description = source->Describe();
  std::vector<int16_t> chunk(16000);
  for (;;) {
    const audio::AudioRead read = source->Read(chunk, 0);
    samples->insert(samples->end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(read.samples));
    if (read.end_of_stream || read.samples == 0) break;
  }
  return true;
}

}  // namespace

int RunLocalize(int argc, char** argv) {
  ParsedArgs args;
  if (int status = ParseArgs("localize", kOptions, argc, argv, &args); status >= 0) return status;
  if (!args.Has("video") || !args.Has("out")) return UsageError("localize: --video and --out are required");
  offline::LocalizeConfig config;
  config.fusion.precision = core::AttentionPrecision::kInt8;
  if (args.Has("precision")) {
    const std::string& p = args.Get("precision");
    if ((p != "f32" && p != "int8") || !core::ParseAttentionPrecision(p, &config.fusion.precision)) {
      return UsageError("localize: --precision must be f32 or int8, not '" + p + "'");
    }
  }
  long value = 0;
  if (args.Has("window-frames")) {
    if (!ParseInt(args.Get("window-frames"), 8, 1024, &value)) {
      return UsageError("localize: --window-frames must be an integer in [8, 1024]");
    }
    config.fusion.window_frames = static_cast<int>(value);
  }
  if (args.Has("audio-offset")) {
    if (!ParseInt(args.Get("audio-offset"), -10000, 10000, &value)) {
      return UsageError("localize: --audio-offset must be an integer in [-10000, 10000] (ms)");
    }
    config.audio_offset_s = static_cast<double>(value) / 1000.0;
  }

  std::string error;
  if (args.Has("model")) {
    fusion::FusionModel model;
    if (!fusion::ReadFusionModel(args.Get("model"), config.fusion.window_frames, &model, &error)) {
      return UsageError("localize: " + error);
    }
    config.fusion.model = std::make_shared<const fusion::FusionModel>(std::move(model));
  }
  const std::string& video_path = args.Get("video");
  auto video = vision::VideoFileSource::Open(video_path, {.realtime = false}, &error);
  if (video == nullptr) return UsageError(error);
  const double fps = video->info().fps;
  if (fps >= kMinFps && fps <= kMaxFps) {
    config.fusion.fps = fps;
  } else {
    config.fusion.fps = kFallbackFps;
    EF_LOG_WARN("%s: nominal frame rate %g is implausible; the fusion assumes %g fps (the frames keep their own times)",
                video_path.c_str(), fps, kFallbackFps);
  }
  std::vector<int16_t> samples;
  std::string sound;
  if (!ReadSound(args.Has("audio") ? args.Get("audio") : video_path, &samples, &sound, &error)) {
    return UsageError(error);
  }
  auto localizer = offline::Localizer::Create(config, samples, &error);
  if (localizer == nullptr) return UsageError(error);

  FILE* out = std::fopen(args.Get("out").c_str(), "w");
  if (out == nullptr) return UsageError("localize: cannot write " + args.Get("out"));
  const auto start = std::chrono::steady_clock::now();
  vision::Frame frame;
  offline::LocalizeResult result;
  int status = kExitOk;
  for (;;) {
    const vision::ReadStatus read = video->Read(&frame);
    if (read == vision::ReadStatus::kEnd) break;
    if (read == vision::ReadStatus::kError) {
      error = video->error();
      status = kExitUsage;
      break;
    }
    if (!localizer->PushFrame(frame.bgr, frame.media_time_ns, &result, &error)) {
      status = kExitUsage;
      break;
    }
    std::fprintf(out, "{\"t\": %.6f, \"source\": %s, \"x\": %.4f, \"y\": %.4f, \"confidence\": %.4f}\n", result.t,
                 result.source ? "true" : "false", result.x, result.y, result.confidence);
  }
  const bool write_failed = std::fclose(out) != 0;
  if (status != kExitOk) return UsageError(error);
  if (write_failed) return UsageError("localize: writing " + args.Get("out") + " failed");
  if (localizer->frames() == 0) return UsageError("localize: " + video_path + " has no frames");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double media = localizer->media_seconds();
  std::fprintf(stderr, "edgefuse: localize: %lld frames (%.2f s of video) in %.2f s, %.1fx real time (%s); sound: %s\n",
               static_cast<long long>(localizer->frames()), media, seconds, seconds > 0 ? media / seconds : 0.0,
               core::AttentionPrecisionName(config.fusion.precision), sound.c_str());
  return kExitOk;
}

}  // namespace edgefuse::app
