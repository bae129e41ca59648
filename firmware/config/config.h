// The configuration of `edgefuse run` and `edgefuse demo`: sources, front-ends,
// fusion, sinks and runtime, with every default built in. A JSON file overrides the
// defaults and command-line flags override the file; unknown keys and bad values
// are errors naming the key path. The schema is in firmware/config/README.md and
// the shipped example is firmware/config/edgefuse.json.
//
//   edgefuse::config::Config config;                        // the defaults
//   std::string error;
//   if (!edgefuse::config::LoadConfigFile("/etc/edgefuse/edgefuse.json", &config, &error)) {
//     // "/etc/edgefuse/edgefuse.json: sinks.mjpeg.port: expected an integer in 1..65535, got \"http\""
//   }
//   edgefuse::config::ApplySetting("sinks.mjpeg.port=8081", "--set", &config, &error);
//   edgefuse::config::ValidateConfig(config, &error);      // the rules that span several keys
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json/json.h"
#include "platform/log.h"

namespace edgefuse::config {

// Where video comes from. kAuto: camera and microphone when both can be opened,
// otherwise the synthetic scene (for both).
enum class VideoSourceKind { kAuto, kCamera, kGstreamer, kLibcamera, kJetsonCsi, kFile, kSynthetic };
enum class AudioSourceKind { kAuto, kDevice, kFile, kSynthetic };
// The window sink: kAuto opens it when a display is available (else MJPEG).
enum class WindowMode { kAuto, kOn, kOff };
enum class Precision { kInt8, kInt16, kFloat32 };
enum class Colormap { kJet, kTurbo, kInferno, kViridis, kHot };

struct VideoSourceConfig {
  VideoSourceKind kind = VideoSourceKind::kAuto;
  int index = 0;         // camera: /dev/video<index>
  std::string pipeline;  // gstreamer: a pipeline ending in appsink
  std::string file;      // file: a video file
  int width = 640;       // capture size asked of the camera or preset
  int height = 480;
  double fps = 30.0;
};

struct AudioSourceConfig {
  AudioSourceKind kind = AudioSourceKind::kAuto;
  std::string device;      // device: "" the default input, digits an index, else a name substring
  std::string file;        // file: a WAV file
  double offset_ms = 0.0;  // audio delay relative to video (positive: audio later)
};

struct SyntheticConfig {
  int64_t seed = 1;
  int objects = 4;  // moving objects; one of them sounds
  double duration_s = 20.0;
};

struct SourcesConfig {
  VideoSourceConfig video;
  AudioSourceConfig audio;
  SyntheticConfig synthetic;
};

struct VisionFrontendConfig {
  int width = 320;  // working resolution the frames are resized to
  int height = 240;
  int grid_w = 16;  // patch grid: width / grid_w by height / grid_h pixels per patch
  int grid_h = 12;
};

struct AudioFrontendConfig {
  double window_ms = 25.0;  // analysis window
  double hop_ms = 10.0;     // analysis hop
  int mel_bands = 40;
  double gain_db = 0.0;  // applied before the front-end
};

struct FrontendsConfig {
  VisionFrontendConfig vision;
  AudioFrontendConfig audio;
};

struct GateConfig {
  double noise_margin_db = 6.0;  // audio must exceed its noise floor by this much
  double min_correlation = 0.3;  // the best patch's sound-motion correlation must reach this
};

struct FusionConfig {
  int window_frames = 60;                                       // sliding window W, in video frames
  std::vector<int> lags_ms = {-100, -67, -33, 0, 33, 67, 100};  // one query head per A/V lag
  GateConfig gate;
  std::string model;  // "" : synchrony attention; else a .safetensors file of learned weights
  Precision precision = Precision::kInt8;
};

struct WindowSinkConfig {
  WindowMode mode = WindowMode::kAuto;
  bool fullscreen = false;
  std::string title = "edgefuse";
};

struct MjpegSinkConfig {
  bool enabled = false;  // also turned on when the window falls back
  std::string bind = "0.0.0.0";
  int port = 8080;
  int quality = 80;
  int max_clients = 8;
};

struct VideoFileSinkConfig {
  std::string path;    // "" : off
  std::string fourcc;  // "" : by extension (.avi MJPG, .mp4 mp4v)
  bool overlay = true;
};

struct JsonlSinkConfig {
  std::string path;  // "" : off; "-" : stdout
  double metrics_interval_s = 0.0;
};

struct OverlayConfig {
  double alpha = 0.5;
  Colormap colormap = Colormap::kJet;
};

struct SinksConfig {
  WindowSinkConfig window;
  MjpegSinkConfig mjpeg;
  VideoFileSinkConfig video;
  JsonlSinkConfig jsonl;
  OverlayConfig overlay;
};

struct RuntimeConfig {
  int threads = 0;  // worker threads for the kernels; 0: one per core
  int video_queue = 2;
  int audio_queue_ms = 1000;
  int sink_queue = 4;
  double duration_s = 0.0;  // stop after this much stream time; 0: run until stopped
  platform::LogLevel log_level = platform::LogLevel::kInfo;
};

struct Config {
  SourcesConfig sources;
  FrontendsConfig frontends;
  FusionConfig fusion;
  SinksConfig sinks;
  RuntimeConfig runtime;
};

// Applies a parsed JSON document on top of *config. origin names the document in
// errors ("config.json"). Unknown keys, wrong types, values out of range and unknown
// enum names fail with "<origin>: <key.path>: <what>"; *config may then be partly
// updated.
bool ApplyConfigJson(const core::Json& doc, std::string_view origin, Config* config, std::string* error);

// Reads, parses and applies a config file; errors start with the path.
bool LoadConfigFile(const std::string& path, Config* config, std::string* error);

// Applies one "key.path=value" setting (the --set flag). The value is JSON when it
// parses as JSON and the key is not a string; otherwise, and for string keys, it is
// the text itself ("--set sinks.mjpeg.bind=127.0.0.1"). A section takes a JSON
// object ("--set sinks.mjpeg={\"port\": 8081}"). Errors read
// "<origin>: <key.path>: <what>".
bool ApplySetting(std::string_view setting, std::string_view origin, Config* config, std::string* error);

// The rules that span several keys (a "file" source needs a file, the working
// resolution divides into the patch grid, ...). Errors name the key at fault.
bool ValidateConfig(const Config& config, std::string* error);

// The whole configuration as JSON, in the file's layout (what --print-config shows).
core::Json ConfigToJson(const Config& config);

// Every key path of the schema, in order ("sources.video.kind", ...), and its
// one-line description; for documentation and tests.
struct ConfigKey {
  std::string path;
  std::string type;  // "an integer in 1..65535", "one of \"auto\", \"on\", \"off\"", ...
  std::string help;
  std::string default_value;  // as JSON: 8080, "0.0.0.0", [-100, 0, 100]
};
std::vector<ConfigKey> ConfigKeys();

// Enum names as they appear in the file.
const char* VideoSourceKindName(VideoSourceKind kind);
const char* AudioSourceKindName(AudioSourceKind kind);

}  // namespace edgefuse::config
