#include "firmware/config/config_schema.h"

namespace edgefuse::config::schema {

// The member a key sets, as a function pointer (the variant picks the type).
// clang-format off
#define EF_MEMBER(member) (+[](Config& c) -> auto& { return c.member; })
// clang-format on

namespace {

constexpr double kNoRange = 0.0;
constexpr double kMaxSeed = 9007199254740991.0;  // 2^53 - 1: exact in every JSON reader

const Field kFields[] = {
    // sources.video
    {"sources.video.kind", EF_MEMBER(sources.video.kind), kNoRange, kNoRange, false,
     "where video comes from; auto: camera and microphone when both open, else synthetic"},
    {"sources.video.index", EF_MEMBER(sources.video.index), 0, 63, false, "camera: /dev/video<index>"},
    {"sources.video.pipeline", EF_MEMBER(sources.video.pipeline), kNoRange, kNoRange, false,
     "gstreamer: a GStreamer pipeline ending in appsink"},
    {"sources.video.file", EF_MEMBER(sources.video.file), kNoRange, kNoRange, false, "file: the video file to play"},
    {"sources.video.width", EF_MEMBER(sources.video.width), 16, 4096, false, "capture width asked of the camera"},
    {"sources.video.height", EF_MEMBER(sources.video.height), 16, 4096, false, "capture height asked of the camera"},
    {"sources.video.fps", EF_MEMBER(sources.video.fps), 1, 240, false, "capture frame rate asked of the camera"},
    // sources.audio
    {"sources.audio.kind", EF_MEMBER(sources.audio.kind), kNoRange, kNoRange, false,
     "where audio comes from; auto: the video file's own sound track when video is a file, else the microphone"},
    {"sources.audio.device", EF_MEMBER(sources.audio.device), kNoRange, kNoRange, true,
     "device: \"\" the default input, an index (0, \"2\"), or a substring of the device name"},
    {"sources.audio.file", EF_MEMBER(sources.audio.file), kNoRange, kNoRange, false,
     "file: a WAV file, or any media file with a sound track (decoded by GStreamer)"},
    {"sources.audio.offset_ms", EF_MEMBER(sources.audio.offset_ms), -5000, 5000, false,
     "audio delay relative to video in ms (positive: audio later)"},
    // sources.synthetic
    {"sources.synthetic.seed", EF_MEMBER(sources.synthetic.seed), 0, kMaxSeed, false,
     "seed of the generated audio-visual scene"},
    {"sources.synthetic.objects", EF_MEMBER(sources.synthetic.objects), 1, 16, false,
     "moving objects in the scene; one of them sounds"},
    {"sources.synthetic.duration_s", EF_MEMBER(sources.synthetic.duration_s), 0.1, 86400, false,
     "length of the generated scene in seconds"},
    // frontends
    {"frontends.vision.width", EF_MEMBER(frontends.vision.width), 16, 1920, false,
     "working width frames are resized to; a multiple of grid_w"},
    {"frontends.vision.height", EF_MEMBER(frontends.vision.height), 16, 1080, false,
     "working height; a multiple of grid_h"},
    {"frontends.vision.grid_w", EF_MEMBER(frontends.vision.grid_w), 1, 64, false, "patch grid columns"},
    {"frontends.vision.grid_h", EF_MEMBER(frontends.vision.grid_h), 1, 64, false, "patch grid rows"},
    {"frontends.audio.window_ms", EF_MEMBER(frontends.audio.window_ms), 5, 200, false, "analysis window in ms"},
    {"frontends.audio.hop_ms", EF_MEMBER(frontends.audio.hop_ms), 1, 100, false, "analysis hop in ms"},
    {"frontends.audio.mel_bands", EF_MEMBER(frontends.audio.mel_bands), 8, 128, false, "mel bands"},
    {"frontends.audio.gain_db", EF_MEMBER(frontends.audio.gain_db), -40, 40, false,
     "gain applied to the microphone before the front-end"},
    // fusion
    {"fusion.window_frames", EF_MEMBER(fusion.window_frames), 4, 900, false,
     "sliding window W of the synchrony attention, in video frames"},
    {"fusion.lags_ms", EF_MEMBER(fusion.lags_ms), -500, 500, false, "audio-to-video lags in ms, one query head each"},
    {"fusion.gate.noise_margin_db", EF_MEMBER(fusion.gate.noise_margin_db), 0, 60, false,
     "\"no source\" unless the audio exceeds its noise floor by this many dB"},
    {"fusion.gate.min_correlation", EF_MEMBER(fusion.gate.min_correlation), 0, 1, false,
     "\"no source\" unless the best patch's sound-motion correlation reaches this"},
    {"fusion.model", EF_MEMBER(fusion.model), kNoRange, kNoRange, false,
     "\"\": the built-in synchrony weights; else a .safetensors file of learned ones (firmware/fusion/README.md)"},
    {"fusion.precision", EF_MEMBER(fusion.precision), kNoRange, kNoRange, false, "arithmetic of the attention block"},
    // sinks
    {"sinks.window.mode", EF_MEMBER(sinks.window.mode), kNoRange, kNoRange, false,
     "on-screen window; auto: when a display is available (else MJPEG)"},
    {"sinks.window.fullscreen", EF_MEMBER(sinks.window.fullscreen), kNoRange, kNoRange, false, "full-screen window"},
    {"sinks.window.title", EF_MEMBER(sinks.window.title), kNoRange, kNoRange, false, "window title"},
    {"sinks.mjpeg.enabled", EF_MEMBER(sinks.mjpeg.enabled), kNoRange, kNoRange, false,
     "serve the overlay as MJPEG over HTTP (also when the window falls back)"},
    {"sinks.mjpeg.bind", EF_MEMBER(sinks.mjpeg.bind), kNoRange, kNoRange, false,
     "address to listen on; 127.0.0.1 keeps the stream on the board"},
    {"sinks.mjpeg.port", EF_MEMBER(sinks.mjpeg.port), 1, 65535, false, "HTTP port"},
    {"sinks.mjpeg.quality", EF_MEMBER(sinks.mjpeg.quality), 1, 100, false, "JPEG quality"},
    {"sinks.mjpeg.max_clients", EF_MEMBER(sinks.mjpeg.max_clients), 1, 64, false,
     "concurrent connections; more get 503"},
    {"sinks.video.path", EF_MEMBER(sinks.video.path), kNoRange, kNoRange, false,
     "record to this file (.avi: Motion JPEG, .mp4: MPEG-4); \"\": off"},
    {"sinks.video.fourcc", EF_MEMBER(sinks.video.fourcc), kNoRange, kNoRange, false,
     "codec FourCC; \"\": by the extension"},
    {"sinks.video.overlay", EF_MEMBER(sinks.video.overlay), kNoRange, kNoRange, false,
     "record the overlay (true) or the plain video"},
    {"sinks.jsonl.path", EF_MEMBER(sinks.jsonl.path), kNoRange, kNoRange, false,
     "JSON lines, one object per frame; \"-\": stdout; \"\": off"},
    {"sinks.jsonl.metrics_interval_s", EF_MEMBER(sinks.jsonl.metrics_interval_s), 0, 3600, false,
     "interleave a metrics line this often; 0: never"},
    {"sinks.overlay.alpha", EF_MEMBER(sinks.overlay.alpha), 0, 1, false, "heatmap opacity where attention peaks"},
    {"sinks.overlay.colormap", EF_MEMBER(sinks.overlay.colormap), kNoRange, kNoRange, false, "heatmap colours"},
    // runtime
    {"runtime.threads", EF_MEMBER(runtime.threads), 0, 64, false, "kernel worker threads; 0: one per core"},
    {"runtime.video_queue", EF_MEMBER(runtime.video_queue), 1, 64, false,
     "video frames waiting for fusion before the oldest is dropped"},
    {"runtime.audio_queue_ms", EF_MEMBER(runtime.audio_queue_ms), 100, 10000, false,
     "audio buffered ahead of the front-end, in ms (overruns beyond)"},
    {"runtime.sink_queue", EF_MEMBER(runtime.sink_queue), 1, 64, false,
     "results waiting per sink before the oldest is dropped"},
    {"runtime.duration_s", EF_MEMBER(runtime.duration_s), 0, 31536000, false,
     "stop after this much stream time; 0: run until stopped"},
    {"runtime.log_level", EF_MEMBER(runtime.log_level), kNoRange, kNoRange, false, "log threshold on stderr"},
};

#undef EF_MEMBER

constexpr EnumName<VideoSourceKind> kVideoKinds[] = {
    {"auto", VideoSourceKind::kAuto},
    {"camera", VideoSourceKind::kCamera},
    {"gstreamer", VideoSourceKind::kGstreamer},
    {"libcamera", VideoSourceKind::kLibcamera},
    {"jetson-csi", VideoSourceKind::kJetsonCsi},
    {"file", VideoSourceKind::kFile},
    {"synthetic", VideoSourceKind::kSynthetic},
};
constexpr EnumName<AudioSourceKind> kAudioKinds[] = {
    {"auto", AudioSourceKind::kAuto},
    {"device", AudioSourceKind::kDevice},
    {"file", AudioSourceKind::kFile},
    {"synthetic", AudioSourceKind::kSynthetic},
};
constexpr EnumName<WindowMode> kWindowModes[] = {
    {"auto", WindowMode::kAuto},
    {"on", WindowMode::kOn},
    {"off", WindowMode::kOff},
};
constexpr EnumName<Precision> kPrecisions[] = {
    {"int8", Precision::kInt8},
    {"int16", Precision::kInt16},
    {"f32", Precision::kFloat32},
};
constexpr EnumName<Colormap> kColormaps[] = {
    {"jet", Colormap::kJet},         {"turbo", Colormap::kTurbo}, {"inferno", Colormap::kInferno},
    {"viridis", Colormap::kViridis}, {"hot", Colormap::kHot},
};
constexpr EnumName<platform::LogLevel> kLogLevels[] = {
    {"debug", platform::LogLevel::kDebug}, {"info", platform::LogLevel::kInfo}, {"warn", platform::LogLevel::kWarn},
    {"error", platform::LogLevel::kError}, {"off", platform::LogLevel::kOff},
};

}  // namespace

std::span<const Field> Fields() { return kFields; }

const Field* FindField(std::string_view path) {
  for (const Field& field : kFields) {
    if (path == field.path) return &field;
  }
  return nullptr;
}

template <>
std::span<const EnumName<VideoSourceKind>> EnumNames<VideoSourceKind>() {
  return kVideoKinds;
}
template <>
std::span<const EnumName<AudioSourceKind>> EnumNames<AudioSourceKind>() {
  return kAudioKinds;
}
template <>
std::span<const EnumName<WindowMode>> EnumNames<WindowMode>() {
  return kWindowModes;
}
template <>
std::span<const EnumName<Precision>> EnumNames<Precision>() {
  return kPrecisions;
}
template <>
std::span<const EnumName<Colormap>> EnumNames<Colormap>() {
  return kColormaps;
}
template <>
std::span<const EnumName<platform::LogLevel>> EnumNames<platform::LogLevel>() {
  return kLogLevels;
}

}  // namespace edgefuse::config::schema
