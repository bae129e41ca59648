#include "firmware/offline/localize.h"

#include <algorithm>
#include <cmath>

#include "modalities/audio/frontend_settings.h"

namespace edgefuse::offline {
namespace {

constexpr int64_t kNsPerS = 1'000'000'000;
constexpr int64_t kHopNs = kNsPerS * audio::kHopSamples / audio::kSampleRateHz;
// Audio is fed in chunks of this many samples (10 ms).
constexpr size_t kChunk = audio::kHopSamples;

}  // namespace

Localizer::Localizer(const LocalizeConfig& config, std::span<const int16_t> audio)
    : config_(config),
      audio_(audio),
      log_mel_(audio::Precision::kFixed),
      track_(1024),
      frontend_(vision::FrontEndConfig{.grid_width = config.fusion.grid_w, .grid_height = config.fusion.grid_h}),
      offset_ns_(static_cast<int64_t>(std::llround(config.audio_offset_s * 1e9))) {}

std::unique_ptr<Localizer> Localizer::Create(const LocalizeConfig& config, std::span<const int16_t> audio,
                                             std::string* error) {
  const std::string bad = vision::PatchFrontEnd::Validate(
      vision::FrontEndConfig{.grid_width = config.fusion.grid_w, .grid_height = config.fusion.grid_h});
  if (!bad.empty()) {
    *error = "localize: " + bad;
    return nullptr;
  }
  std::unique_ptr<Localizer> localizer(new Localizer(config, audio));
  localizer->fusion_ = fusion::SynchronyFusion::Create(config.fusion, error);
  if (!localizer->fusion_) return nullptr;
  return localizer;
}

void Localizer::FeedAudioUntil(int64_t end_ns) {
  // Hop i starts at i * 10 ms on the audio's clock, minus the offset on the picture's.
  while (audio_fed_ < audio_.size() && track_.latest_ns() < end_ns + kHopNs * 3) {
    const size_t take = std::min(kChunk, audio_.size() - audio_fed_);
    log_mel_.Push(audio_.subspan(audio_fed_, take), [&](const audio::LogMelFrameView& frame) {
      track_.Push(frame.index * kHopNs - offset_ns_, frame.energy_q10, frame.onset_q10);
    });
    audio_fed_ += take;
  }
}

bool Localizer::PushFrame(const cv::Mat& bgr, LocalizeResult* result, std::string* error) {
  const double fps = config_.fusion.fps;
  const int64_t begin_ns = static_cast<int64_t>(std::llround(static_cast<double>(frame_) * 1e9 / fps));
  const int64_t end_ns = static_cast<int64_t>(std::llround(static_cast<double>(frame_ + 1) * 1e9 / fps));
  return Push(bgr, begin_ns, end_ns, result, error);
}

bool Localizer::PushFrame(const cv::Mat& bgr, int64_t media_time_ns, LocalizeResult* result, std::string* error) {
  // The frame lasts as long as the interval before it; the first, and one whose time
  // does not advance, for the nominal period.
  const auto nominal = static_cast<int64_t>(std::llround(1e9 / config_.fusion.fps));
  const int64_t interval =
      last_begin_ns_ >= 0 && media_time_ns > last_begin_ns_ ? media_time_ns - last_begin_ns_ : nominal;
  return Push(bgr, media_time_ns, media_time_ns + interval, result, error);
}

bool Localizer::Push(const cv::Mat& bgr, int64_t begin_ns, int64_t end_ns, LocalizeResult* result, std::string* error) {
  if (!frontend_.Process(bgr, &tokens_, error)) return false;
  FeedAudioUntil(end_ns);
  fusion::AudioActivity activity;
  if (!track_.ActivityOver(begin_ns, end_ns, &activity)) activity = fusion::AudioActivity{};  // past the audio's end
  if (!fusion_->Push(tokens_, activity, &output_, error)) return false;
  result->frame = frame_;
  result->t = static_cast<double>(begin_ns) * 1e-9;
  result->source = output_.present;
  result->x = output_.x;
  result->y = output_.y;
  result->confidence = output_.confidence;
  result->detail = &output_;
  last_begin_ns_ = begin_ns;
  last_end_ns_ = std::max(last_end_ns_, end_ns);
  ++frame_;
  return true;
}

}  // namespace edgefuse::offline
