// Latency percentiles without allocation after construction: the recent values in a
// ring (what the overlay shows, p50/p99 of the last `recent` samples) and every value
// of the run in a histogram of 0.05 ms bins up to 2 s (the run's summary; exact to
// the bin, larger values count in the last bin).
//
//   edgefuse::core::LatencyStats stats;
//   stats.Add(ms);
//   double p99 = stats.RecentPercentile(0.99), run_p50 = stats.RunPercentile(0.5);
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace edgefuse::core {

class LatencyStats {
 public:
  static constexpr double kBinMs = 0.05;
  static constexpr int kBins = 40000;  // 2 s

  explicit LatencyStats(int recent = 256);

  void Add(double ms);
  // q in [0, 1]; 0 when nothing was added.
  double RecentPercentile(double q) const;
  double RunPercentile(double q) const;
  uint64_t count() const { return count_; }
  double max_ms() const { return max_ms_; }
  void Reset();

 private:
  std::vector<double> recent_;
  mutable std::vector<double> scratch_;
  size_t next_ = 0;
  size_t filled_ = 0;
  std::vector<uint32_t> bins_;
  uint64_t count_ = 0;
  double max_ms_ = 0.0;
};

// Frames per second over the last `window` events of a clock (ns).
class RateMeter {
 public:
  explicit RateMeter(int window = 30) : times_(window > 1 ? window : 2) {}
  void Tick(int64_t now_ns);
  double per_second() const;

 private:
  std::vector<int64_t> times_;
  size_t next_ = 0;
  size_t filled_ = 0;
};

}  // namespace edgefuse::core
