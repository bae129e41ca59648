#include "core/runtime/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace edgefuse::core {

LatencyStats::LatencyStats(int recent)
    : recent_(static_cast<size_t>(recent > 0 ? recent : 1)), scratch_(recent_.size()), bins_(kBins, 0) {}

void LatencyStats::Add(double ms) {
  if (!std::isfinite(ms) || ms < 0.0) ms = 0.0;
  recent_[next_] = ms;
  next_ = (next_ + 1) % recent_.size();
  filled_ = std::min(filled_ + 1, recent_.size());
  const int bin = static_cast<int>(std::min(static_cast<double>(kBins - 1), ms / kBinMs));
  ++bins_[static_cast<size_t>(bin)];
  ++count_;
  max_ms_ = std::max(max_ms_, ms);
}

double LatencyStats::RecentPercentile(double q) const {
  if (filled_ == 0) return 0.0;
  std::copy_n(recent_.begin(), filled_, scratch_.begin());
  const size_t rank =
      std::min(filled_ - 1, static_cast<size_t>(std::ceil(q * static_cast<double>(filled_))) - (q > 0.0 ? 1 : 0));
  std::nth_element(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(rank),
                   scratch_.begin() + static_cast<std::ptrdiff_t>(filled_));
  return scratch_[rank];
}

double LatencyStats::RunPercentile(double q) const {
  if (count_ == 0) return 0.0;
  // The smallest value with at least ceil(q * count) values at or below it.
  const uint64_t target = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (int i = 0; i < kBins; ++i) {
    seen += bins_[static_cast<size_t>(i)];
    if (seen >= target) return std::min(max_ms_, (i + 0.5) * kBinMs);
  }
  return max_ms_;
}

void LatencyStats::Reset() {
  next_ = filled_ = 0;
  std::fill(bins_.begin(), bins_.end(), 0u);
  count_ = 0;
  max_ms_ = 0.0;
}

void RateMeter::Tick(int64_t now_ns) {
  times_[next_] = now_ns;
  next_ = (next_ + 1) % times_.size();
  filled_ = std::min(filled_ + 1, times_.size());
}

double RateMeter::per_second() const {
  if (filled_ < 2) return 0.0;
  const size_t newest = (next_ + times_.size() - 1) % times_.size();
  const size_t oldest = filled_ == times_.size() ? next_ : 0;
  const int64_t span = times_[newest] - times_[oldest];
  if (span <= 0) return 0.0;
  return static_cast<double>(filled_ - 1) * 1e9 / static_cast<double>(span);
}

}  // namespace edgefuse::core
