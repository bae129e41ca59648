#include "modalities/audio/resampler.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace edgefuse::audio {
namespace {

constexpr double kStopBandDb = 80.0;
constexpr size_t kHistorySlack = 4096;  // input taken per refill of the history

double BesselI0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 50; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

}  // namespace

bool CheckResamplerRate(int rate_hz, std::string* error) {
  if (rate_hz >= kResamplerMinRateHz && rate_hz <= kResamplerMaxRateHz) return true;
  *error = "sample rate " + std::to_string(rate_hz) + " Hz is outside the supported " +
           std::to_string(kResamplerMinRateHz) + " .. " + std::to_string(kResamplerMaxRateHz) + " Hz";
  return false;
}

Resampler::Resampler(int input_rate_hz, int output_rate_hz)
    : input_rate_(input_rate_hz), output_rate_(output_rate_hz), passthrough_(input_rate_hz == output_rate_hz) {
  assert(input_rate_hz >= kResamplerMinRateHz && input_rate_hz <= kResamplerMaxRateHz);
  assert(output_rate_hz >= kResamplerMinRateHz && output_rate_hz <= kResamplerMaxRateHz);
  const int64_t g = std::gcd(input_rate_hz, output_rate_hz);
  up_ = output_rate_hz / g;
  down_ = input_rate_hz / g;
  if (passthrough_) return;
  phases_ = static_cast<int>(std::min<int64_t>(up_, kMaxResamplerPhases));

  // Kaiser design in input-sample units: transition from 7/8 of the lower Nyquist
  // frequency to all of it, cutoff in the middle.
  const double nyquist = 0.5 * std::min(input_rate_hz, output_rate_hz);
  const double transition = nyquist / 8.0 / input_rate_hz;           // cycles per input sample
  const double cutoff = (nyquist - nyquist / 16.0) / input_rate_hz;  // cycles per input sample
  const double beta = 0.1102 * (kStopBandDb - 8.7);
  taps_ = static_cast<int>(std::ceil((kStopBandDb - 7.95) / (2.285 * 2.0 * M_PI * transition))) + 1;
  taps_ += taps_ & 1;
  const double half = taps_ / 2.0;
  coefficients_.assign(static_cast<size_t>(phases_ + 1) * taps_, 0.0f);
  for (int phase = 0; phase <= phases_; ++phase) {
    // Output at input position i + phase / phases_ reads x[i - taps/2 + 1 + m].
    std::vector<double> row(taps_);
    double sum = 0.0;
    for (int m = 0; m < taps_; ++m) {
      const double tau = static_cast<double>(phase) / phases_ + half - 1.0 - m;
      const double x = 2.0 * cutoff * tau;
      const double sinc = std::abs(x) < 1e-12 ? 1.0 : std::sin(M_PI * x) / (M_PI * x);
      const double r = tau / half;
      const double window = std::abs(r) >= 1.0 ? 0.0 : BesselI0(beta * std::sqrt(1.0 - r * r)) / BesselI0(beta);
      row[m] = 2.0 * cutoff * sinc * window;
      sum += row[m];
    }
    for (int m = 0; m < taps_; ++m) {
      coefficients_[static_cast<size_t>(phase) * taps_ + m] = static_cast<float>(row[m] / sum);
    }
  }
  history_.assign(taps_ + kHistorySlack, 0);
  Reset();
}

void Resampler::Reset() {
  produced_ = 0;
  consumed_ = 0;
  position_ = 0;
  fraction_ = 0;
  if (passthrough_) return;
  // x[n] for n < 0 is zero: the history starts at n = 1 - taps/2.
  std::fill(history_.begin(), history_.end(), int16_t{0});
  filled_ = static_cast<size_t>(taps_ / 2 - 1);
  base_ = 1 - taps_ / 2;
}

size_t Resampler::MaxOutputFor(size_t input_samples) const {
  return static_cast<size_t>((static_cast<int64_t>(input_samples) * up_) / down_ + 2);
}

size_t Resampler::MaxFlushOutput() const {
  return static_cast<size_t>((static_cast<int64_t>(taps_) + 128) * up_ / down_ + 4);
}

size_t Resampler::Flush(std::span<int16_t> output) {
  if (passthrough_) return 0;
  const int64_t wanted = (consumed_ * up_ + down_ - 1) / down_;
  static constexpr int16_t kZeros[64] = {};
  size_t written = 0;
  while (produced_ < wanted) written += Process(kZeros, output.subspan(written));
  // The last block of zeros may have produced outputs past the end of the input.
  written -= static_cast<size_t>(produced_ - wanted);
  produced_ = wanted;
  return written;
}

size_t Resampler::Process(std::span<const int16_t> input, std::span<int16_t> output) {
  assert(output.size() >= MaxOutputFor(input.size()));
  consumed_ += static_cast<int64_t>(input.size());
  if (passthrough_) {
    std::copy(input.begin(), input.end(), output.begin());
    produced_ += static_cast<int64_t>(input.size());
    return input.size();
  }
  size_t written = 0, used = 0;
  while (used < input.size()) {
    const size_t take = std::min(input.size() - used, history_.size() - filled_);
    std::copy_n(input.data() + used, take, history_.data() + filled_);
    filled_ += take;
    used += take;
    for (;;) {
      // Phase index: exact when up_ <= kMaxResamplerPhases, else rounded (row phases_
      // is phase 0 of the next input sample, so rounding up needs no special case).
      const int64_t phase = phases_ == up_ ? fraction_ : (fraction_ * phases_ + up_ / 2) / up_;
      const int64_t first = position_ - (taps_ / 2 - 1) - base_;  // history index of x[i - taps/2 + 1]
      if (first + taps_ > static_cast<int64_t>(filled_)) break;
      const float* c = &coefficients_[static_cast<size_t>(phase) * taps_];
      const int16_t* x = &history_[static_cast<size_t>(first)];
      float acc = 0.0f;
      for (int m = 0; m < taps_; ++m) acc += c[m] * static_cast<float>(x[m]);
      const float rounded = std::nearbyint(acc);
      output[written++] = static_cast<int16_t>(std::fmax(-32768.0f, std::fmin(32767.0f, rounded)));
      ++produced_;
      fraction_ += down_;
      position_ += fraction_ / up_;
      fraction_ %= up_;
    }
    // Drop what no future output reads.
    const int64_t keep_from =
        std::clamp<int64_t>(position_ - (taps_ / 2 - 1) - base_, 0, static_cast<int64_t>(filled_));
    if (keep_from > 0) {
      std::copy(history_.begin() + keep_from, history_.begin() + static_cast<int64_t>(filled_), history_.begin());
      filled_ -= static_cast<size_t>(keep_from);
      base_ += keep_from;
    }
  }
  return written;
}

}  // namespace edgefuse::audio
