#include "firmware/config/config_cli.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace edgefuse::config {
namespace {

constexpr app::OptionSpec kOptions[] = {
    {"config", "FILE", "configuration file (JSON; see firmware/config/README.md)"},
    {"set", "KEY=VALUE...", "set one configuration key, e.g. sinks.mjpeg.port=8081 (repeatable)"},
    {"print-config", nullptr, "print the resulting configuration as JSON"},
    {"camera", "SOURCE", "camera index, libcamera, jetson-csi, or a GStreamer pipeline"},
    {"video", "FILE", "play a video file instead of a camera"},
    {"audio", "SOURCE",
     "audio device index or name substring, or a sound file (.wav, or a media file such as .mp4, .m4a, .mp3); "
     "default with --video: the video's own sound"},
    {"audio-offset", "MS", "audio delay relative to video in ms"},
    {"synthetic", nullptr, "use the generated audio-visual scene"},
    {"seed", "N", "seed of the generated scene"},
    {"window", nullptr, "show the window (fails without a display)"},
    {"no-window", nullptr, "no window"},
    {"mjpeg", "PORT", "serve MJPEG over HTTP on PORT"},
    {"bind", "ADDRESS", "address the MJPEG server listens on"},
    {"record", "FILE", "record the overlay to a video file (.avi or .mp4)"},
    {"jsonl", "PATH", "write JSON lines to PATH (- for stdout)"},
    {"duration", "SECONDS", "stop after this much stream time"},
    {"threads", "N", "kernel worker threads (0: one per core)"},
    {"log-level", "LEVEL", "debug, info, warn, error or off"},
};

// --audio names a file (not a device) when it ends in one of these (lower case).
constexpr const char* kSoundFileExtensions[] = {
    ".wav", ".mp4", ".m4a", ".m4v",  ".mov", ".mkv", ".mka",  ".webm", ".ogg", ".oga", ".ogv", ".opus",
    ".mp3", ".mp2", ".aac", ".flac", ".avi", ".mpg", ".mpeg", ".ts",   ".mts", ".3gp", ".flv",
};

bool AllDigits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool EndsWithIgnoringCase(const std::string& text, const std::string& suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), text.rbegin(),
                    [](char lower, char c) { return std::tolower(static_cast<unsigned char>(c)) == lower; });
}

// The settings a common flag stands for, in "key=value" form.
std::vector<std::string> SettingsForFlag(const std::string& flag, const std::string& value) {
  if (flag == "camera") {
    if (AllDigits(value)) return {"sources.video.kind=camera", "sources.video.index=" + value};
    if (value == "libcamera" || value == "jetson-csi") return {"sources.video.kind=" + value};
    return {"sources.video.kind=gstreamer", "sources.video.pipeline=" + value};
  }
  if (flag == "video") return {"sources.video.kind=file", "sources.video.file=" + value};
  if (flag == "audio") {
    for (const char* extension : kSoundFileExtensions) {
      if (EndsWithIgnoringCase(value, extension)) return {"sources.audio.kind=file", "sources.audio.file=" + value};
    }
    return {"sources.audio.kind=device", "sources.audio.device=" + value};
  }
  if (flag == "audio-offset") return {"sources.audio.offset_ms=" + value};
  if (flag == "synthetic") return {"sources.video.kind=synthetic", "sources.audio.kind=synthetic"};
  if (flag == "seed") return {"sources.synthetic.seed=" + value};
  if (flag == "window") return {"sinks.window.mode=on"};
  if (flag == "no-window") return {"sinks.window.mode=off"};
  if (flag == "mjpeg") return {"sinks.mjpeg.enabled=true", "sinks.mjpeg.port=" + value};
  if (flag == "bind") return {"sinks.mjpeg.bind=" + value};
  if (flag == "record") return {"sinks.video.path=" + value};
  if (flag == "jsonl") return {"sinks.jsonl.path=" + value};
  if (flag == "duration") return {"runtime.duration_s=" + value};
  if (flag == "threads") return {"runtime.threads=" + value};
  if (flag == "log-level") return {"runtime.log_level=" + value};
  return {};
}

}  // namespace

std::span<const app::OptionSpec> ConfigOptions() { return kOptions; }

bool ConfigFromArgs(const app::ParsedArgs& args, Config* config, std::string* error) {
  *config = Config();
  if (args.Has("config") && !LoadConfigFile(args.Get("config"), config, error)) return false;
  if (args.Has("window") && args.Has("no-window")) {
    *error = "--window and --no-window contradict each other";
    return false;
  }
  for (const app::OptionSpec& option : kOptions) {
    if (!args.Has(option.name)) continue;
    const std::string origin = std::string("--") + option.name;
    for (const std::string& setting : SettingsForFlag(option.name, args.Get(option.name))) {
      if (!ApplySetting(setting, origin, config, error)) return false;
    }
  }
  for (const std::string& setting : args.GetAll("set")) {
    if (!ApplySetting(setting, "--set", config, error)) return false;
  }
  return ValidateConfig(*config, error);
}

}  // namespace edgefuse::config
