// `edgefuse features image (--video V | --camera C | --images P | --synthetic SEED)
// --out T.npy`: the image front-end on a source, written as [frames, patches, 8]
// float32 (dequantized tokens; feature order in modalities/vision/frontend_settings.h).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/format/npy.h"
#include "core/json/json.h"
#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/app/features.h"
#include "firmware/files/tensor_files.h"
#include "modalities/vision/open_source.h"
#include "modalities/vision/patch_frontend.h"
#include "modalities/vision/synthetic_scene.h"
#include "platform/file.h"
#include "platform/text.h"

namespace edgefuse::app {
namespace {

constexpr OptionSpec kOptions[] = {
    {"video", "FILE", "a video file (any format OpenCV's FFmpeg back end reads)"},
    {"camera", "NAME", "a camera: default, 0, /dev/video2, libcamera, jetson-csi, usb-mjpeg, videotest, gst:PIPELINE"},
    {"images", "DIR|PATTERN", "an image sequence: a directory, or a pattern such as frames/%04d.png"},
    {"synthetic", "SEED", "the synthetic scene with this seed"},
    {"out", "FILE", "where to write the tokens, [frames, patches, 8] float32 .npy (required)"},
    {"frames", "N", "stop after N frames (default: all of a file; 100 from a camera, 300 synthetic)"},
    {"width", "W", "camera request and synthetic frame width (default 640)"},
    {"height", "H", "camera request and synthetic frame height (default 480)"},
    {"fps", "F", "camera request, synthetic and image-sequence frame rate (default 30)"},
    {"grid", "WxH", "patch grid (default 16x12)"},
    {"patch", "N", "working-resolution pixels per patch side (default 10)"},
    {"realtime", nullptr, "pace files and the synthetic scene at their frame rate"},
    {"truth", "FILE", "synthetic only: write each frame's ground truth as JSON lines"},
};

bool ParseGrid(const std::string& text, int* width, int* height) {
  const size_t x = text.find('x');
  long w = 0, h = 0;
  if (x == std::string::npos || !ParseInt(text.substr(0, x), 1, 256, &w) || !ParseInt(text.substr(x + 1), 1, 256, &h)) {
    return false;
  }
  *width = static_cast<int>(w);
  *height = static_cast<int>(h);
  return true;
}

core::Json TruthJson(const vision::SceneTruth& truth, int64_t timestamp_ns) {
  core::Json line = core::Json::Object();
  line.Set("frame", truth.frame);
  line.Set("timestamp_ns", timestamp_ns);
  line.Set("gain", truth.gain);
  line.Set("offset", truth.offset);
  core::Json& objects = line.Set("objects", core::Json::Array());
  for (const auto& o : truth.objects) {
    core::Json object = core::Json::Object();
    object.Set("id", o.id);
    object.Set("motion", vision::ObjectMotionName(o.motion));
    object.Set("active", o.active);
    core::Json box = core::Json::Array();
    for (int v : {o.box.x, o.box.y, o.box.width, o.box.height}) box.Append(v);
    object.Set("box", std::move(box));
    objects.Append(std::move(object));
  }
  return line;
}

}  // namespace

int RunFeaturesImage(int argc, char** argv) {
  ParsedArgs args;
  if (int status = ParseArgs("features image", kOptions, argc, argv, &args); status >= 0) return status;

  int sources = 0;
  vision::SourceOptions options;
  for (const char* name : {"video", "camera", "images", "synthetic"}) sources += args.Has(name) ? 1 : 0;
  if (sources != 1) return UsageError("features image: give exactly one of --video, --camera, --images, --synthetic");
  if (!args.Has("out")) return UsageError("features image: --out FILE is required");
  if (args.Has("truth") && !args.Has("synthetic")) return UsageError("features image: --truth needs --synthetic");

  long value = 0;
  int64_t max_frames = -1;
  if (args.Has("frames")) {
    if (!ParseInt(args.Get("frames"), 1, 1'000'000, &value)) {
      return UsageError("features image: --frames wants 1 to 1000000");
    }
    max_frames = value;
  }
  for (const char* name : {"width", "height"}) {
    if (!args.Has(name)) continue;
    if (!ParseInt(args.Get(name), 16, 8192, &value)) {
      return UsageError(std::string("features image: --") + name + " wants 16 to 8192 pixels");
    }
    (std::string(name) == "width" ? options.camera.width : options.camera.height) = static_cast<int>(value);
  }
  if (args.Has("fps")) {
    if (!ParseInt(args.Get("fps"), 1, 1000, &value)) return UsageError("features image: --fps wants 1 to 1000");
    options.camera.fps = static_cast<int>(value);
    options.fps = static_cast<double>(value);
  }
  vision::FrontEndConfig config;
  if (args.Has("grid") && !ParseGrid(args.Get("grid"), &config.grid_width, &config.grid_height)) {
    return UsageError("features image: --grid wants WxH, e.g. 16x12");
  }
  if (args.Has("patch")) {
    if (!ParseInt(args.Get("patch"), 1, 1024, &value)) return UsageError("features image: --patch wants a number");
    config.patch_size = static_cast<int>(value);
  }
  if (const std::string why = vision::PatchFrontEnd::Validate(config); !why.empty()) {
    return UsageError("features image: " + why);
  }
  options.realtime = args.Has("realtime");

  bool bad_input_on_failure = true;  // files: exit 2; cameras: exit 1 (a device problem)
  if (args.Has("video")) {
    options.kind = vision::SourceKind::kVideo;
    options.target = args.Get("video");
  } else if (args.Has("images")) {
    options.kind = vision::SourceKind::kImages;
    options.target = args.Get("images");
  } else if (args.Has("camera")) {
    options.kind = vision::SourceKind::kCamera;
    options.target = args.Get("camera");
    bad_input_on_failure = false;
    if (max_frames < 0) max_frames = 100;
  } else {
    if (!ParseInt(args.Get("synthetic"), 0, INT32_MAX, &value)) {
      return UsageError("features image: --synthetic wants a seed (a non-negative integer)");
    }
    options.kind = vision::SourceKind::kSynthetic;
    options.seed = static_cast<uint64_t>(value);
    if (max_frames < 0) max_frames = 300;
    options.frames = max_frames;
  }

  std::unique_ptr<vision::FrameSource> source;
  std::string error;
  if (!vision::OpenFrameSource(options, &source, &error)) {
    std::fprintf(stderr, "edgefuse: %s\n", platform::OneLine(error).c_str());
    return bad_input_on_failure ? kExitUsage : kExitFailure;
  }
  auto* synthetic = dynamic_cast<vision::SyntheticSource*>(source.get());
  std::string truth_lines;

  vision::PatchFrontEnd frontend(config);
  vision::Frame frame;
  vision::PatchTokens tokens;
  std::vector<float> values;
  int64_t frames = 0;
  while (max_frames < 0 || frames < max_frames) {
    const vision::ReadStatus status = source->Read(&frame);
    if (status == vision::ReadStatus::kEnd) break;
    if (status == vision::ReadStatus::kError) {
      std::fprintf(stderr, "edgefuse: %s\n", platform::OneLine(source->error()).c_str());
      return bad_input_on_failure ? kExitUsage : kExitFailure;
    }
    if (!frontend.Process(frame, &tokens, &error)) {
      std::fprintf(stderr, "edgefuse: %s: frame %lld: %s\n", platform::OneLine(source->info().description).c_str(),
                   static_cast<long long>(frame.index), platform::OneLine(error).c_str());
      return kExitUsage;
    }
    const size_t offset = values.size();
    values.resize(offset + tokens.values.size());
    tokens.Dequantize(std::span<float>(values).subspan(offset));
    if (synthetic != nullptr && args.Has("truth")) {
      truth_lines += TruthJson(synthetic->truth(), frame.timestamp_ns).Dump(false) + "\n";
    }
    ++frames;
  }
  if (frames == 0) {
    std::fprintf(stderr, "edgefuse: %s: no frames\n", platform::OneLine(source->info().description).c_str());
    return kExitUsage;
  }
  const core::NpyArray array = core::NpyArray::Float32({frames, tokens.patches, tokens.dim}, values);
  if (!files::WriteNpyFile(args.Get("out"), array, &error)) {
    std::fprintf(stderr, "edgefuse: %s\n", platform::OneLine(error).c_str());
    return kExitFailure;
  }
  if (args.Has("truth")) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(truth_lines.data());
    if (!platform::WriteFileBytes(args.Get("truth"), {bytes, truth_lines.size()}, &error)) {
      std::fprintf(stderr, "edgefuse: %s\n", platform::OneLine(error).c_str());
      return kExitFailure;
    }
  }
  const vision::SourceStats& stats = source->stats();
  std::printf("wrote %s: %lld x %d x %d float32 image tokens from %s (%s kernel; %lld frames read, %lld dropped)\n",
              args.Get("out").c_str(), static_cast<long long>(frames), tokens.patches, tokens.dim,
              source->info().description.c_str(), frontend.kernel_name(), static_cast<long long>(stats.frames),
              static_cast<long long>(stats.drops));
  return kExitOk;
}

}  // namespace edgefuse::app
