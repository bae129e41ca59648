// The audio activity track. Alignment rule: a hop (a 25 ms analysis window starting
// every 10 ms) belongs to the interval [begin, end) that holds its centre time,
// hop_start + 12.5 ms; so every hop counts in exactly one of a run of adjacent
// intervals.
#include <algorithm>
#include <cmath>
#include <limits>

#include "firmware/fusion/synchrony_fusion.h"
#include "modalities/audio/frontend_settings.h"

namespace edgefuse::fusion {
namespace {

constexpr int64_t kHopNs = int64_t{1'000'000'000} * audio::kHopSamples / audio::kSampleRateHz;
constexpr int64_t kWindowNs = int64_t{1'000'000'000} * audio::kWindowSamples / audio::kSampleRateHz;
constexpr int64_t kCentreNs = kWindowNs / 2;
constexpr float kQ10 = 1.0f / (1 << audio::kLogFracBits);
// 10 log10(e^x) for a natural-log energy x.
constexpr float kDbPerNat = 4.3429448f;
// Log energy (nat) of a full-scale sine in the mel bank: 0 dBFS (measured with
// RenderSynthetic and ComputeLogMel, see README.md).
constexpr float kFullScaleNat = 9.86f;

}  // namespace

AudioActivityTrack::AudioActivityTrack(int capacity_hops) : ring_(static_cast<size_t>(std::max(capacity_hops, 1))) {}

void AudioActivityTrack::Push(int64_t hop_start_ns, int16_t energy_q10, int32_t onset_q10) {
  const size_t tail = (head_ + size_) % ring_.size();
  ring_[tail] = {hop_start_ns, energy_q10, onset_q10};
  if (size_ < ring_.size()) {
    ++size_;
  } else {
    head_ = (head_ + 1) % ring_.size();
  }
}

int64_t AudioActivityTrack::latest_ns() const {
  if (size_ == 0) return std::numeric_limits<int64_t>::min();
  return ring_[(head_ + size_ - 1) % ring_.size()].start_ns + kHopNs;
}

bool AudioActivityTrack::ActivityOver(int64_t begin_ns, int64_t end_ns, AudioActivity* out) const {
  *out = AudioActivity{};
  if (size_ == 0) return false;
  // The interval is complete once a hop centred at or after end_ns exists.
  const Hop& newest = ring_[(head_ + size_ - 1) % ring_.size()];
  if (newest.start_ns + kCentreNs < end_ns) return false;
  float energy = 0.0f;
  float onset = 0.0f;
  float peak = -std::numeric_limits<float>::infinity();
  int count = 0;
  size_t first = size_;  // the interval's hops are ring positions [first, last]
  for (size_t i = size_; i-- > 0;) {
    const Hop& hop = ring_[(head_ + i) % ring_.size()];
    const int64_t centre = hop.start_ns + kCentreNs;
    if (centre >= end_ns) continue;
    if (centre < begin_ns) break;
    const float e = kQ10 * static_cast<float>(hop.energy_q10);
    energy += e;
    onset += kQ10 * static_cast<float>(hop.onset_q10);
    peak = std::max(peak, e);
    first = i;
    ++count;
  }
  if (count == 0) return true;  // no hop centred in the interval: valid = false (a gap)
  // The level is the mean power over the interval's hops (a click anywhere in the
  // interval counts the same), in dB relative to a full-scale sine.
  double power = 0.0;
  for (size_t i = first; i < first + static_cast<size_t>(count); ++i) {
    power += std::exp(static_cast<double>(kQ10 * ring_[(head_ + i) % ring_.size()].energy_q10 - peak));
  }
  const float mean_nat = peak + static_cast<float>(std::log(power / count));
  out->energy = energy / static_cast<float>(count);
  out->onset = onset;
  out->level_dbfs = std::max(-120.0f, kDbPerNat * (mean_nat - kFullScaleNat));
  out->valid = true;
  return true;
}

void AudioActivityTrack::Reset() {
  head_ = 0;
  size_ = 0;
}

}  // namespace edgefuse::fusion
