// The offline localizer: video frames and 16 kHz mono audio in, one result per video
// frame out, through the same stages as the live pipeline (vision patch front-end,
// fixed-point log-mel front-end, audio activity track, synchrony fusion), as fast as
// the CPU allows. Used by `edgefuse localize`, `edgefuse bench pipeline` and the tests.
//
//   edgefuse::offline::LocalizeConfig config;             // fusion settings, A/V offset
//   std::string error;
//   auto localizer = edgefuse::offline::Localizer::Create(config, samples, &error);
//   edgefuse::offline::LocalizeResult result;
//   for (int64_t n = 0; next frame; ++n) {
//     if (!localizer->PushFrame(bgr, &result, &error)) { ... }   // frame n at t = n / fps
//     // or, with the container's presentation time (variable frame rate):
//     if (!localizer->PushFrame(bgr, frame.media_time_ns, &result, &error)) { ... }
//     result.t, result.source, result.x, result.y, result.confidence
//   }
//
// Frame n stands for the audio of [t_n, t_n + d): d is the interval since the previous
// frame (1 / fps for the first), so at a constant rate both forms give the same results.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <span>
#include <string>

#include "firmware/fusion/synchrony_fusion.h"
#include "modalities/audio/log_mel_stream.h"
#include "modalities/vision/patch_frontend.h"

namespace edgefuse::offline {

struct LocalizeConfig {
  fusion::SynchronyConfig fusion;  // fps, window, lags, gate, precision
  double audio_offset_s = 0.0;     // the audio is late (+) by this much: its times are moved back
};

struct LocalizeResult {
  int64_t frame = 0;
  double t = 0.0;  // the frame's media time (or frame / fps), seconds
  bool source = false;
  float x = 0.5f;
  float y = 0.5f;
  float confidence = 0.0f;
  const fusion::SynchronyOutput* detail = nullptr;  // the fusion's full output (valid until the next push)
};

class Localizer {
 public:
  // `audio` (16 kHz mono) must outlive the localizer; nullptr with a one-line *error on
  // an invalid fusion configuration.
  static std::unique_ptr<Localizer> Create(const LocalizeConfig& config, std::span<const int16_t> audio,
                                           std::string* error);
  // The next video frame (8-bit BGR, any size), at frame / fps. False with a one-line
  // *error.
  bool PushFrame(const cv::Mat& bgr, LocalizeResult* result, std::string* error);
  // The same at the frame's media time (its presentation time in the file, ns from the
  // first frame); the audio sample at the same time goes with it. Times should
  // increase; a repeated or earlier one is given the nominal interval.
  bool PushFrame(const cv::Mat& bgr, int64_t media_time_ns, LocalizeResult* result, std::string* error);
  int64_t frames() const { return frame_; }
  // The media time the frames so far cover: from 0 to the end of the last one, seconds.
  double media_seconds() const { return static_cast<double>(std::max<int64_t>(0, last_end_ns_)) * 1e-9; }
  const vision::PatchTokens& tokens() const { return tokens_; }  // of the last frame

 private:
  Localizer(const LocalizeConfig& config, std::span<const int16_t> audio);
  void FeedAudioUntil(int64_t end_ns);
  bool Push(const cv::Mat& bgr, int64_t begin_ns, int64_t end_ns, LocalizeResult* result, std::string* error);

  LocalizeConfig config_;
  std::span<const int16_t> audio_;
  size_t audio_fed_ = 0;
  audio::LogMelStream log_mel_;
  fusion::AudioActivityTrack track_;
  vision::PatchFrontEnd frontend_;
  vision::PatchTokens tokens_;
  std::unique_ptr<fusion::SynchronyFusion> fusion_;
  fusion::SynchronyOutput output_;
  int64_t frame_ = 0;
  int64_t offset_ns_ = 0;
  int64_t last_begin_ns_ = -1;  // media time of the last frame pushed
  int64_t last_end_ns_ = 0;
};

}  // namespace edgefuse::offline
