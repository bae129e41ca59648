// The generated audio-visual scene (modalities/scene) as the pipeline's two sources: a
// vision::FrameSource and an audio::AudioSource sharing one stream clock, either paced
// in real time (a live-looking demo) or at full speed (offline: as fast as the
// pipeline reads). The audio can simulate a microphone whose sample clock drifts
// from the monotonic clock: with drift = +0.001 it delivers 16016 samples per stream
// second (sample j is captured at anchor + j / 16016 s and holds the scene's sound at
// that time, taken from the 16 kHz rendering by nearest earlier sample: no filter, no
// resampler), while its own timestamps assume the nominal 16000 Hz, as a device that
// trusts its nominal rate would. The pipeline estimates the true rate and corrects.
//
//   auto scene = std::make_shared<edgefuse::scene::AvScene>(config);
//   edgefuse::scene::SceneSourceOptions options{.realtime = false, .anchor_ns = now, .audio_drift = 0.001};
//   auto video = std::make_unique<edgefuse::scene::SceneFrameSource>(scene, options);
//   auto audio = std::make_unique<edgefuse::scene::SceneAudioSource>(scene, options);
//   pipeline_options.audio_clock = audio->SimulatedClock();   // full speed only
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "modalities/audio/source.h"
#include "modalities/scene/av_scene.h"
#include "modalities/vision/frame_source.h"

namespace edgefuse::scene {

struct SceneSourceOptions {
  bool realtime = false;     // pace frames and samples at their stream times
  int64_t anchor_ns = 0;     // stream time 0 on the monotonic clock (0: when constructed)
  double audio_drift = 0.0;  // the microphone's rate error: +0.001 = 16016 samples per second (|.| <= 0.5)
  uint64_t jitter_seed = 1;  // full speed: the simulated delay (0..2 ms) of each audio read
};

class SceneFrameSource final : public vision::FrameSource {
 public:
  SceneFrameSource(std::shared_ptr<scene::AvScene> scene, const SceneSourceOptions& options);
  vision::ReadStatus Read(vision::Frame* frame) override;
  // The ground truth of frame n, when it is among the last kTruthFrames read.
  bool Truth(int64_t n, scene::AvFrameTruth* truth) const;
  int64_t anchor_ns() const { return anchor_ns_; }

  static constexpr int kTruthFrames = 256;

 private:
  std::shared_ptr<scene::AvScene> scene_;
  bool realtime_;
  int64_t anchor_ns_;
  double fps_;
  int64_t frames_;  // -1: endless
  int64_t next_ = 0;
  scene::AvFrameTruth truth_;
  mutable std::mutex truth_mutex_;
  std::vector<scene::AvFrameTruth> truths_;
};

class SceneAudioSource final : public audio::AudioSource {
 public:
  SceneAudioSource(std::shared_ptr<scene::AvScene> scene, const SceneSourceOptions& options);
  bool Start(std::string* error) override;
  void Stop() override {}
  audio::AudioRead Read(std::span<int16_t> out, int64_t timeout_ns) override;
  audio::AudioSourceStats Stats() const override;
  std::string Describe() const override;

  // The simulated capture clock at full speed: the time the last read's final sample
  // was captured plus a small random delivery delay.
  std::function<int64_t()> SimulatedClock() const;
  // The true capture time of sample j of this source (what the pipeline must recover).
  int64_t TrueTimeOfSample(int64_t j) const;
  // The rate samples are produced at, per stream second (16000 (1 + drift)).
  double true_rate_hz() const { return rate_hz_; }

  static constexpr size_t kMaxRead = 2048;

 private:
  std::shared_ptr<scene::AvScene> scene_;
  bool realtime_;
  int64_t anchor_ns_;
  double rate_hz_;
  int64_t length_;  // samples, -1: endless
  int64_t next_ = 0;
  uint64_t jitter_state_;
  std::atomic<int64_t> simulated_now_ns_{0};
  std::atomic<uint64_t> delivered_{0};
  std::array<int16_t, 2 * kMaxRead + 8> scratch_{};  // |drift| <= 0.5
};

}  // namespace edgefuse::scene
