#include "modalities/audio/rate_estimator.h"

#include <cmath>

namespace edgefuse::audio {

RateEstimator::RateEstimator(double nominal_rate_hz, Options options)
    : nominal_rate_hz_(nominal_rate_hz), options_(options), ns_per_frame_(1e9 / nominal_rate_hz) {}

void RateEstimator::Reset() {
  first_ = count_ = 0;
  measured_rate_hz_ = 0.0;
  ns_per_frame_ = 1e9 / nominal_rate_hz_;
  have_anchor_ = false;
}

bool RateEstimator::plausible() const {
  return measured_rate_hz_ == 0.0 ||
         std::abs(measured_rate_hz_ - nominal_rate_hz_) <= options_.max_deviation * nominal_rate_hz_;
}

double RateEstimator::rate_hz() const {
  return measured_rate_hz_ != 0.0 && plausible() ? measured_rate_hz_ : nominal_rate_hz_;
}

int64_t RateEstimator::TimeOfFrame(double frame) const {
  if (!have_anchor_) return static_cast<int64_t>(std::llround(frame * 1e9 / nominal_rate_hz_));
  return static_cast<int64_t>(std::llround(anchor_ns_ + (frame - static_cast<double>(anchor_frames_)) * ns_per_frame_));
}

bool RateEstimator::Observe(int64_t frames_end, int64_t now_ns) {
  bool consistent = true;
  if (have_anchor_) {
    const double predicted = static_cast<double>(TimeOfFrame(static_cast<double>(frames_end)));
    // Late callbacks are normal (scheduling); a late or early jump beyond the
    // threshold means the frame count and the clock disagree.
    if (std::abs(static_cast<double>(now_ns) - predicted) > static_cast<double>(options_.jump_threshold_ns)) {
      Reset();
      consistent = false;
    }
  }
  if (count_ > 0) {
    const Point& last = points_[(first_ + count_ - 1) % kMaxPoints];
    if (now_ns - last.ns < kMinPointSpacingNs && frames_end > last.frames) {
      // Too close to the last kept point for the slope; it can still lower the line.
      const double t = anchor_ns_ + (static_cast<double>(frames_end - anchor_frames_)) * ns_per_frame_;
      if (static_cast<double>(now_ns) < t) {
        anchor_frames_ = frames_end;
        anchor_ns_ = static_cast<double>(now_ns);
      }
      return consistent;
    }
  }
  if (count_ == kMaxPoints) {
    first_ = (first_ + 1) % kMaxPoints;
    --count_;
  }
  points_[(first_ + count_) % kMaxPoints] = {frames_end, now_ns};
  ++count_;
  // Drop points older than the window.
  while (count_ > 2 && now_ns - points_[first_].ns > static_cast<int64_t>(options_.window_s * 1e9)) {
    first_ = (first_ + 1) % kMaxPoints;
    --count_;
  }
  Refit();
  return consistent;
}

void RateEstimator::Refit() {
  const Point& oldest = points_[first_];
  const Point& newest = points_[(first_ + count_ - 1) % kMaxPoints];
  double slope = 1e9 / nominal_rate_hz_;
  if (count_ >= 3 && static_cast<double>(newest.ns - oldest.ns) >= options_.min_span_s * 1e9 &&
      newest.frames > oldest.frames) {
    // Least squares of t against frames, relative to the oldest point for precision.
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < count_; ++i) {
      const Point& p = points_[(first_ + i) % kMaxPoints];
      const double x = static_cast<double>(p.frames - oldest.frames), y = static_cast<double>(p.ns - oldest.ns);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const double n = count_, denominator = n * sxx - sx * sx;
    if (denominator > 0.0 && (n * sxy - sx * sy) > 0.0) {
      const double fitted = (n * sxy - sx * sy) / denominator;
      measured_rate_hz_ = 1e9 / fitted;
      if (plausible()) slope = fitted;
    }
  }
  ns_per_frame_ = slope;
  // Lower envelope: the line through the point with the smallest residual.
  anchor_frames_ = oldest.frames;
  anchor_ns_ = static_cast<double>(oldest.ns);
  for (int i = 1; i < count_; ++i) {
    const Point& p = points_[(first_ + i) % kMaxPoints];
    const double on_line = anchor_ns_ + static_cast<double>(p.frames - anchor_frames_) * slope;
    if (static_cast<double>(p.ns) < on_line) {
      anchor_frames_ = p.frames;
      anchor_ns_ = static_cast<double>(p.ns);
    }
  }
  have_anchor_ = true;
}

}  // namespace edgefuse::audio
