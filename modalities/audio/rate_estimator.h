// Maps a device's frame count to the monotonic clock and measures the device's true
// rate (device clocks drift from their nominal rate; PortAudio's ALSA stream time is
// unreliable). Fed one observation per callback: "frames_end frames had been captured
// when the callback ran at now_ns".
//
// The slope (1 / rate) is a least-squares fit over a sliding window of observations;
// the line is then lowered to the earliest observation (callbacks run late, never
// early, so the lower envelope is the capture time with the least scheduling delay).
// Until the window spans min_span_s the nominal rate is used. An observation more than
// jump_threshold_ns off the line (frames lost inside the driver, a suspended device)
// re-anchors the fit and is reported, so timestamps never drift silently.
//
//   edgefuse::audio::RateEstimator clock(48000.0);
//   clock.Observe(frames_so_far, edgefuse::platform::MonotonicNowNs());
//   int64_t t = clock.TimeOfFrame(frame);   // capture time of that frame
#pragma once

#include <array>
#include <cstdint>

namespace edgefuse::audio {

class RateEstimator {
 public:
  struct Options {
    double min_span_s = 1.0;      // observations must span this long before the rate is trusted
    double window_s = 20.0;       // older observations leave the fit
    double max_deviation = 0.05;  // measured rates further than this from nominal are implausible
    int64_t jump_threshold_ns = 50'000'000;
  };

  explicit RateEstimator(double nominal_rate_hz) : RateEstimator(nominal_rate_hz, Options()) {}
  RateEstimator(double nominal_rate_hz, Options options);

  // Returns false when the observation contradicted the fit and the estimator
  // re-anchored on it.
  bool Observe(int64_t frames_end, int64_t now_ns);

  // Monotonic time at which device frame `frame` was captured. Before any observation,
  // frame 0 is at time 0.
  int64_t TimeOfFrame(double frame) const;

  // The rate the timestamps use: measured when trusted and plausible, else nominal.
  double rate_hz() const;
  // The measured rate (0 until the window spans min_span_s), plausible or not.
  double measured_rate_hz() const { return measured_rate_hz_; }
  bool plausible() const;
  double nominal_rate_hz() const { return nominal_rate_hz_; }

  void Reset();

 private:
  struct Point {
    int64_t frames;
    int64_t ns;
  };
  static constexpr int kMaxPoints = 256;
  static constexpr int64_t kMinPointSpacingNs = 100'000'000;

  void Refit();

  double nominal_rate_hz_;
  Options options_;
  std::array<Point, kMaxPoints> points_{};
  int first_ = 0, count_ = 0;
  double measured_rate_hz_ = 0.0;
  // The fitted line: t(frame) = anchor_ns_ + (frame - anchor_frames_) * ns_per_frame_.
  int64_t anchor_frames_ = 0;
  double anchor_ns_ = 0.0;
  double ns_per_frame_;
  bool have_anchor_ = false;
};

}  // namespace edgefuse::audio
