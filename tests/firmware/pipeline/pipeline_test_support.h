// Shared set-up for the pipeline tests: the generated scene as sources and small,
// fast options (f32 fusion, 16 x 12 patches of 10 pixels).
#pragma once

#include <memory>

#include "firmware/pipeline/pipeline.h"
#include "modalities/scene/av_scene.h"
#include "modalities/scene/scene_sources.h"
#include "platform/clock.h"

namespace edgefuse::pipeline {

using scene::SceneAudioSource;
using scene::SceneFrameSource;
using scene::SceneSourceOptions;

struct SceneRig {
  std::shared_ptr<scene::AvScene> scene;
  std::unique_ptr<SceneFrameSource> video;
  std::unique_ptr<SceneAudioSource> audio;
  SceneFrameSource* video_raw = nullptr;
  SceneAudioSource* audio_raw = nullptr;
};

inline SceneRig MakeSceneRig(uint64_t seed, int width, int height, double duration_s, bool realtime,
                             double drift = 0.0) {
  SceneRig rig;
  rig.scene = std::make_shared<scene::AvScene>(scene::AvSceneConfig{
      .seed = seed, .width = width, .height = height, .sound = scene::SoundKind::kTones, .duration_s = duration_s});
  const SceneSourceOptions options{
      .realtime = realtime, .anchor_ns = platform::MonotonicNowNs(), .audio_drift = drift, .jitter_seed = seed};
  rig.video = std::make_unique<SceneFrameSource>(rig.scene, options);
  rig.audio = std::make_unique<SceneAudioSource>(rig.scene, options);
  rig.video_raw = rig.video.get();
  rig.audio_raw = rig.audio.get();
  return rig;
}

inline PipelineOptions FastOptions(bool full_speed) {
  PipelineOptions options;
  options.full_speed = full_speed;
  options.fusion.precision = core::AttentionPrecision::kInt8;  // the product's default
  return options;
}

}  // namespace edgefuse::pipeline
