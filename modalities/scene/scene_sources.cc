#include "modalities/scene/scene_sources.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "platform/clock.h"

namespace edgefuse::scene {
namespace {

constexpr double kRate = scene::AvScene::kSampleRateHz;
constexpr int64_t kMaxJitterNs = 2'000'000;

int64_t AnchorOrNow(int64_t anchor_ns) { return anchor_ns != 0 ? anchor_ns : platform::MonotonicNowNs(); }

void SleepUntil(int64_t t_ns) {
  const int64_t now = platform::MonotonicNowNs();
  if (t_ns > now) std::this_thread::sleep_for(std::chrono::nanoseconds(t_ns - now));
}

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

SceneFrameSource::SceneFrameSource(std::shared_ptr<scene::AvScene> scene, const SceneSourceOptions& options)
    : scene_(std::move(scene)),
      realtime_(options.realtime),
      anchor_ns_(AnchorOrNow(options.anchor_ns)),
      fps_(scene_->config().fps),
      frames_(scene_->frame_count()),
      truths_(kTruthFrames) {
  info_.kind = "synthetic";
  info_.description = "generated scene, " + scene_->Describe();
  info_.width = scene_->config().width;
  info_.height = scene_->config().height;
  info_.fps = fps_;
  info_.frame_count = frames_;
  info_.live = false;
  for (auto& truth : truths_) truth.frame = -1;
}

vision::ReadStatus SceneFrameSource::Read(vision::Frame* frame) {
  if (frames_ >= 0 && next_ >= frames_) return vision::ReadStatus::kEnd;
  const auto due = [&](int64_t n) { return anchor_ns_ + static_cast<int64_t>(std::llround(n * 1e9 / fps_)); };
  if (realtime_) {
    // Overdue frames are skipped and counted, the way a camera drops them.
    const int64_t now = platform::MonotonicNowNs();
    int64_t newest_due = static_cast<int64_t>(std::floor(static_cast<double>(now - anchor_ns_) * 1e-9 * fps_));
    if (frames_ >= 0) newest_due = std::min(newest_due, frames_ - 1);
    if (newest_due > next_) {
      stats_.drops += newest_due - next_;
      next_ = newest_due;
    }
    SleepUntil(due(next_));
  }
  scene_->RenderFrame(next_, &frame->bgr, &truth_);
  frame->index = next_;
  frame->timestamp_ns = due(next_);
  frame->media_time_ns = frame->timestamp_ns - anchor_ns_;
  {
    std::lock_guard<std::mutex> lock(truth_mutex_);
    truths_[static_cast<size_t>(next_ % kTruthFrames)] = truth_;
  }
  ++next_;
  ++stats_.frames;
  return vision::ReadStatus::kOk;
}

bool SceneFrameSource::Truth(int64_t n, scene::AvFrameTruth* truth) const {
  std::lock_guard<std::mutex> lock(truth_mutex_);
  const scene::AvFrameTruth& kept = truths_[static_cast<size_t>(n % kTruthFrames)];
  if (kept.frame != n) return false;
  *truth = kept;
  return true;
}

SceneAudioSource::SceneAudioSource(std::shared_ptr<scene::AvScene> scene, const SceneSourceOptions& options)
    : scene_(std::move(scene)),
      realtime_(options.realtime),
      anchor_ns_(AnchorOrNow(options.anchor_ns)),
      rate_hz_(kRate * (1.0 + std::clamp(options.audio_drift, -0.5, 0.5))),
      jitter_state_(options.jitter_seed) {
  const double duration = scene_->config().duration_s;
  length_ = duration < 0.0 ? -1 : static_cast<int64_t>(std::floor(duration * rate_hz_));
  simulated_now_ns_.store(anchor_ns_);
}

bool SceneAudioSource::Start(std::string* /*error*/) {
  next_ = 0;
  simulated_now_ns_.store(anchor_ns_);
  return true;
}

int64_t SceneAudioSource::TrueTimeOfSample(int64_t j) const {
  return anchor_ns_ + static_cast<int64_t>(std::llround(static_cast<double>(j) * 1e9 / rate_hz_));
}

audio::AudioRead SceneAudioSource::Read(std::span<int16_t> out, int64_t timeout_ns) {
  audio::AudioRead read;
  read.first_sample_index = next_;
  read.first_sample_ns = anchor_ns_ + static_cast<int64_t>(std::llround(static_cast<double>(next_) * 1e9 / kRate));
  int64_t n = static_cast<int64_t>(std::min(out.size(), kMaxRead));
  if (length_ >= 0) n = std::min(n, length_ - next_);
  if (n <= 0) {
    read.end_of_stream = true;
    return read;
  }
  if (realtime_) {
    const int64_t due = TrueTimeOfSample(next_ + n);
    const int64_t now = platform::MonotonicNowNs();
    if (due > now) SleepUntil(std::min(due, now + timeout_ns));
    const int64_t captured = static_cast<int64_t>(
        std::floor(static_cast<double>(platform::MonotonicNowNs() - anchor_ns_) * 1e-9 * rate_hz_));
    n = std::min(n, captured - next_);
    if (n <= 0) return read;
  }
  // Sample j holds the scene's sound at its true time: scene sample floor(j * 16000 / rate).
  const double step = kRate / rate_hz_;
  const int64_t first = static_cast<int64_t>(std::floor(static_cast<double>(next_) * step));
  const int64_t last = static_cast<int64_t>(std::floor(static_cast<double>(next_ + n - 1) * step));
  scene_->RenderAudio(first, std::span<int16_t>(scratch_.data(), static_cast<size_t>(last - first + 1)));
  for (int64_t k = 0; k < n; ++k) {
    const int64_t p = static_cast<int64_t>(std::floor(static_cast<double>(next_ + k) * step));
    out[static_cast<size_t>(k)] = scratch_[static_cast<size_t>(p - first)];
  }
  next_ += n;
  read.samples = static_cast<size_t>(n);
  if (length_ >= 0 && next_ >= length_) read.end_of_stream = true;
  const int64_t jitter = static_cast<int64_t>(SplitMix64(&jitter_state_) % kMaxJitterNs);
  simulated_now_ns_.store(TrueTimeOfSample(next_) + jitter);
  delivered_.fetch_add(static_cast<uint64_t>(n));
  return read;
}

audio::AudioSourceStats SceneAudioSource::Stats() const {
  audio::AudioSourceStats stats;
  stats.samples_delivered = delivered_.load();
  stats.device_rate_hz = static_cast<int>(kRate);
  stats.connected = true;
  return stats;
}

std::string SceneAudioSource::Describe() const {
  char line[96];
  std::snprintf(line, sizeof(line), "generated scene audio (16 kHz, clock drift %+.3f%%)",
                (rate_hz_ / kRate - 1.0) * 100.0);
  return line;
}

std::function<int64_t()> SceneAudioSource::SimulatedClock() const {
  return [this] { return simulated_now_ns_.load(); };
}

}  // namespace edgefuse::scene
