// The sources of `edgefuse run` and `edgefuse demo`, built from the configuration:
// a camera (or GStreamer pipeline, or video file) with a microphone (or a sound file:
// WAV, or any media file GStreamer decodes), or the generated audio-visual scene for
// both. "auto" asks for a camera and a microphone and falls back to the generated
// scene; the check is quick and never opens a stream (sysfs for cameras, PortAudio's
// device list only when a camera exists). A video file with audio "auto" plays with
// its own sound track, paced like a WAV file.
#pragma once

#include <memory>
#include <string>

#include "firmware/config/config.h"
#include "modalities/audio/source.h"
#include "modalities/scene/scene_sources.h"
#include "modalities/vision/frame_source.h"

namespace edgefuse::app {

struct RunSources {
  std::unique_ptr<vision::FrameSource> video;
  std::unique_ptr<audio::AudioSource> audio;
  bool generated = false;                          // the generated scene (both sources)
  std::shared_ptr<scene::AvScene> scene;           // when generated
  scene::SceneFrameSource* scene_video = nullptr;  // owned by video, for the ground truth
  scene::SceneAudioSource* scene_audio = nullptr;  // owned by audio
  std::string description;                         // one line: what was opened
};

// Whether the configuration asks for the generated scene once "auto" is resolved
// (auto: no capture camera or no audio input).
bool WantsGeneratedScene(const config::Config& config);

// Opens the sources (generated: the scene, from WantsGeneratedScene). realtime: pace
// the generated scene and files at their rate. False with a one-line *error naming
// the source.
bool OpenRunSources(const config::Config& config, bool generated, bool realtime, RunSources* sources,
                    std::string* error);

}  // namespace edgefuse::app
