// The generated audio-visual scene (issue: the demo without camera and microphone):
// the vision synthetic scene with 3 to 6 objects, one of them sounding (clicks, tones
// or speech-like bursts) in sync with its own motion, the others moving silently,
// camera noise, silent stretches, and an A/V offset. Deterministic from the seed;
// per-frame ground truth.
//
//   edgefuse::scene::AvSceneConfig config{.seed = 7};
//   edgefuse::scene::AvScene scene(config);
//   cv::Mat bgr; edgefuse::scene::AvFrameTruth truth;
//   scene.RenderFrame(n, &bgr, &truth);                 // frame n at t = n / fps
//   scene.RenderAudio(first_sample, samples);           // 16 kHz mono int16
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <span>
#include <string>

#include "modalities/vision/synthetic_scene.h"

namespace edgefuse::scene {

enum class SoundKind { kClicks, kTones, kSpeechLike, kAny /* chosen from the seed */ };

struct AvSceneConfig {
  uint64_t seed = 1;
  int width = 640;
  int height = 480;
  double fps = 30.0;
  int objects = 0;  // 3..6; 0: chosen from the seed
  SoundKind sound = SoundKind::kAny;
  double av_offset_s = 0.0;  // audio delayed (+) or early (-) relative to the picture, |.| <= 0.1 in tests
  double noise_sigma = 2.0;  // camera noise, grey levels
  double duration_s = 20.0;  // negative: endless
};

struct AvFrameTruth {
  int64_t frame = 0;
  bool audible = false;      // the source is sounding during this frame
  int source_object = -1;    // index into scene.objects
  cv::Rect source_box;       // the sounding object's box in this frame
  vision::SceneTruth scene;  // every object's box and activity
};

class AvScene {
 public:
  explicit AvScene(const AvSceneConfig& config);
  ~AvScene();
  AvScene(const AvScene&) = delete;
  AvScene& operator=(const AvScene&) = delete;
  const AvSceneConfig& config() const;
  int64_t frame_count() const;  // -1 when endless
  static constexpr int kSampleRateHz = 16000;
  // Frame n (t = n / fps) and its truth. Frames may be rendered in any order.
  void RenderFrame(int64_t n, cv::Mat* bgr, AvFrameTruth* truth);
  // Audio samples [first_sample, first_sample + out.size()) of the stream, with the
  // A/V offset applied. Any order, any chunk size; identical for the same range.
  void RenderAudio(int64_t first_sample, std::span<int16_t> out) const;
  // One line describing the scene ("seed 7: 4 objects, source 2 (clicks), offset +40 ms").
  std::string Describe() const;

  int object_count() const;
  int source_object() const;
  SoundKind sound() const;  // the kind actually used (never kAny)
  // Whether the source sounds at audio stream time t_s (the offset included).
  bool AudibleAt(double t_s) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

const char* SoundKindName(SoundKind kind);  // "clicks", "tones", "speech", "any"

}  // namespace edgefuse::scene
