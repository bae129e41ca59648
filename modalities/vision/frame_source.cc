#include "modalities/vision/frame_source.h"

#include <chrono>
#include <thread>
#include <utility>

#include "platform/clock.h"

namespace edgefuse::vision {

ReadStatus FrameSource::Fail(std::string message) {
  error_ = std::move(message);
  ++stats_.errors;
  return ReadStatus::kError;
}

int64_t Pacer::Stamp(int64_t media_time_ns) {
  if (!anchored_) {
    anchor_ns_ = platform::MonotonicNowNs() - media_time_ns;
    anchored_ = true;
  }
  return anchor_ns_ + media_time_ns;
}

void Pacer::WaitUntilDue(int64_t media_time_ns) {
  if (!realtime_) return;
  const int64_t due = Stamp(media_time_ns);
  const int64_t wait = due - platform::MonotonicNowNs();
  if (wait > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
}

int64_t Pacer::MediaTimeNow() const { return anchored_ ? platform::MonotonicNowNs() - anchor_ns_ : 0; }

}  // namespace edgefuse::vision
