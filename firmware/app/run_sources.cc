#include "firmware/app/run_sources.h"

#include "modalities/audio/capture_source.h"
#include "modalities/audio/media_audio.h"
#include "modalities/audio/paced_source.h"
#include "modalities/audio/portaudio_device.h"
#include "modalities/vision/open_source.h"
#include "platform/clock.h"
#include "platform/video_devices.h"

namespace edgefuse::app {
namespace {

bool HaveCaptureCamera() {
  for (const auto& device : platform::ListVideoDevices()) {
    if (device.capture) return true;
  }
  return false;
}

bool HaveAudioInput() {
  std::vector<audio::AudioInputInfo> inputs;
  std::string error;
  return audio::ListAudioInputs(&inputs, &error) && !inputs.empty();
}

bool OpenVideo(const config::VideoSourceConfig& c, bool realtime, std::unique_ptr<vision::FrameSource>* video,
               std::string* error) {
  vision::SourceOptions options;
  options.camera = {.width = c.width, .height = c.height, .fps = static_cast<int>(c.fps + 0.5)};
  options.fps = c.fps;
  options.realtime = realtime;
  switch (c.kind) {
    case config::VideoSourceKind::kAuto:
    case config::VideoSourceKind::kCamera:
      options.kind = vision::SourceKind::kCamera;
      options.target = std::to_string(c.index);
      break;
    case config::VideoSourceKind::kGstreamer:
      options.kind = vision::SourceKind::kCamera;
      options.target = "gst:" + c.pipeline;
      break;
    case config::VideoSourceKind::kLibcamera:
      options.kind = vision::SourceKind::kCamera;
      options.target = "libcamera";
      break;
    case config::VideoSourceKind::kJetsonCsi:
      options.kind = vision::SourceKind::kCamera;
      options.target = "jetson-csi";
      break;
    case config::VideoSourceKind::kFile:
      options.kind = vision::SourceKind::kVideo;
      options.target = c.file;
      break;
    case config::VideoSourceKind::kSynthetic:
      *error = "sources.video.kind: synthetic is handled with the generated scene";
      return false;
  }
  if (!vision::OpenFrameSource(options, video, error)) {
    *error = "video source: " + *error;
    return false;
  }
  return true;
}

// A sound file: WAV through the strict parser, anything else through GStreamer.
bool OpenSoundFile(const std::string& path, bool realtime, std::unique_ptr<audio::AudioSource>* source,
                   std::string* error) {
  auto file = audio::OpenSoundFile(path, {.realtime = realtime}, error);
  if (file == nullptr) return false;
  *source = std::move(file);
  return true;
}

bool OpenAudio(const config::SourcesConfig& c, bool realtime, std::unique_ptr<audio::AudioSource>* source,
               std::string* error) {
  const config::AudioSourceConfig& a = c.audio;
  if (a.kind == config::AudioSourceKind::kFile) {
    if (!OpenSoundFile(a.file, realtime, source, error)) {
      *error = "audio source: " + *error;
      return false;
    }
    return true;
  }
  if (a.kind == config::AudioSourceKind::kSynthetic) {
    *error = "sources.audio.kind: synthetic audio needs the synthetic video (the generated scene)";
    return false;
  }
  if (a.kind == config::AudioSourceKind::kAuto && c.video.kind == config::VideoSourceKind::kFile) {
    // A video file brings its own sound, as a player would play it.
    if (!OpenSoundFile(c.video.file, realtime, source, error)) {
      *error = "audio source: " + *error +
               " (sources.audio.kind auto takes the video file's own sound; name another "
               "with --audio FILE or --audio DEVICE)";
      return false;
    }
    return true;
  }
  *source = std::make_unique<audio::CaptureSource>(
      std::make_unique<audio::PortAudioDevice>(audio::PortAudioSpec{.device = a.device}));
  return true;
}

}  // namespace

bool WantsGeneratedScene(const config::Config& config) {
  const auto video = config.sources.video.kind;
  const auto audio = config.sources.audio.kind;
  if (video == config::VideoSourceKind::kSynthetic || audio == config::AudioSourceKind::kSynthetic) return true;
  // A video file with audio "auto": the file's own sound, no microphone needed.
  if (video == config::VideoSourceKind::kFile && audio == config::AudioSourceKind::kAuto) return false;
  if (video == config::VideoSourceKind::kAuto && audio == config::AudioSourceKind::kAuto) {
    return !(HaveCaptureCamera() && HaveAudioInput());
  }
  if (video == config::VideoSourceKind::kAuto) return !HaveCaptureCamera();
  if (audio == config::AudioSourceKind::kAuto) return !HaveAudioInput();
  return false;
}

bool OpenRunSources(const config::Config& config, bool generated, bool realtime, RunSources* sources,
                    std::string* error) {
  if (generated) {
    const auto& v = config.sources.video;
    const auto& s = config.sources.synthetic;
    scene::AvSceneConfig scene_config{.seed = static_cast<uint64_t>(s.seed),
                                      .width = v.width,
                                      .height = v.height,
                                      .fps = v.fps,
                                      .objects = s.objects,
                                      .duration_s = s.duration_s};
    sources->scene = std::make_shared<scene::AvScene>(scene_config);
    const scene::SceneSourceOptions options{.realtime = realtime, .anchor_ns = platform::MonotonicNowNs()};
    auto video = std::make_unique<scene::SceneFrameSource>(sources->scene, options);
    auto audio = std::make_unique<scene::SceneAudioSource>(sources->scene, options);
    sources->scene_video = video.get();
    sources->scene_audio = audio.get();
    sources->video = std::move(video);
    sources->audio = std::move(audio);
    sources->generated = true;
    sources->description = "generated scene (" + sources->scene->Describe() + ")";
    return true;
  }
  config::VideoSourceConfig video = config.sources.video;
  if (video.kind == config::VideoSourceKind::kAuto) video.kind = config::VideoSourceKind::kCamera;
  if (!OpenVideo(video, realtime, &sources->video, error)) return false;
  if (!OpenAudio(config.sources, realtime, &sources->audio, error)) return false;
  sources->description = sources->video->info().description + " + " + sources->audio->Describe();
  return true;
}

}  // namespace edgefuse::app
