#include "firmware/sinks/sink.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace edgefuse::sinks {

AsyncSink::~AsyncSink() {
  // Subclasses stop the thread in their destructors; this only catches a forgotten
  // Stop after a failed Start.
  if (thread_.joinable()) thread_.join();
}

bool AsyncSink::Start(std::string* error) {
  Stop();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    slots_.resize(static_cast<size_t>(std::max(1, queue_options_.capacity)));
    head_ = count_ = 0;
    stopping_ = false;
    opened_ = open_done_ = false;
    open_error_.clear();
    stats_ = SinkStats();
  }
  thread_ = std::thread([this] { Run(); });
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait(lock, [this] { return open_done_; });
  if (!opened_) {
    *error = open_error_;
    lock.unlock();
    thread_.join();
    return false;
  }
  running_ = true;
  return true;
}

void AsyncSink::Consume(const FusionResult& result) {
  std::unique_lock<std::mutex> lock(mutex_);
  ++stats_.received;
  if (!running_ || stopping_) {
    ++stats_.dropped;
    return;
  }
  const size_t capacity = slots_.size();
  if (count_ == capacity) {
    if (queue_options_.lossless) {
      space_.wait(lock, [&] { return count_ < capacity || stopping_; });
      if (stopping_) {
        ++stats_.dropped;
        return;
      }
    } else {
      // The newest frame wins: the oldest waiting one goes.
      head_ = (head_ + 1) % capacity;
      --count_;
      ++stats_.dropped;
    }
  }
  CopyFusionResult(result, &slots_[(head_ + count_) % capacity]);
  ++count_;
  wake_.notify_one();
}

void AsyncSink::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  space_.notify_all();
  thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  running_ = false;
}

SinkStats AsyncSink::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void AsyncSink::CountError() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.errors;
}

void AsyncSink::Run() {
  std::string error;
  const bool opened = Open(&error);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    opened_ = opened;
    open_error_ = error;
    open_done_ = true;
  }
  wake_.notify_all();
  if (!opened) return;

  const int idle_ms = idle_interval_ms();
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      const auto ready = [this] { return count_ > 0 || stopping_; };
      if (idle_ms > 0) {
        if (!wake_.wait_for(lock, std::chrono::milliseconds(idle_ms), ready)) {
          lock.unlock();
          Idle();
          continue;
        }
      } else {
        wake_.wait(lock, ready);
      }
      // Stop drains: whatever was handed over before Stop is still written.
      if (count_ == 0) break;
      std::swap(slots_[head_], current_);
      head_ = (head_ + 1) % slots_.size();
      --count_;
    }
    space_.notify_one();
    const bool ok = Process(current_);
    std::lock_guard<std::mutex> lock(mutex_);
    ++(ok ? stats_.written : stats_.errors);
  }
  Close();
}

}  // namespace edgefuse::sinks
