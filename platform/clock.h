// The one clock of edgefuse: CLOCK_MONOTONIC in nanoseconds. Every audio sample and
// video frame is stamped on it at capture (DESIGN.md §2), so stages can align streams
// without trusting device clocks.
//
//   const int64_t t0 = edgefuse::platform::MonotonicNowNs();
//   ...
//   double ms = edgefuse::platform::NsToMs(edgefuse::platform::MonotonicNowNs() - t0);
#pragma once

#include <cstdint>

namespace edgefuse::platform {

int64_t MonotonicNowNs();

inline double NsToMs(int64_t ns) { return static_cast<double>(ns) * 1e-6; }
inline double NsToSeconds(int64_t ns) { return static_cast<double>(ns) * 1e-9; }

}  // namespace edgefuse::platform
