// A bounded FIFO between two pipeline stages: a ring preallocated at construction
// (pushing and popping never allocate), one mutex, and three ways to push:
//   Push          waits for room (lossless stages, offline runs);
//   PushDropOldest makes room by evicting the oldest item, handed back to the caller
//                 (newest-frame-wins flow control; the caller counts the drop);
//   TryPush       fails at once when full (the caller counts an overrun).
// Close() wakes every waiter: pushes then fail and Pop drains what is left, then
// returns false.
//
//   edgefuse::core::BoundedQueue<int> queue(2);
//   int evicted;
//   if (queue.PushDropOldest(slot, &evicted) == PushResult::kDropped) Release(evicted);
//   int item;
//   while (queue.Pop(&item, 10'000'000)) use(item);   // false: closed and empty, or timeout
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace edgefuse::core {

enum class PushResult { kOk, kDropped, kFull, kClosed };

template <class T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : ring_(capacity > 0 ? capacity : 1) {}
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // Waits while the queue is full. kClosed when closed before room was found.
  PushResult Push(const T& item) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [&] { return closed_ || size_ < ring_.size(); });
    if (closed_) return PushResult::kClosed;
    Append(item);
    lock.unlock();
    not_empty_.notify_one();
    return PushResult::kOk;
  }

  // Never waits: when full, the oldest item is removed into *evicted (kDropped).
  PushResult PushDropOldest(const T& item, T* evicted) {
    PushResult result = PushResult::kOk;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) return PushResult::kClosed;
      if (size_ == ring_.size()) {
        *evicted = ring_[head_];
        head_ = (head_ + 1) % ring_.size();
        --size_;
        result = PushResult::kDropped;
      }
      Append(item);
    }
    not_empty_.notify_one();
    return result;
  }

  // Never waits: kFull when there is no room (the item is not queued).
  PushResult TryPush(const T& item) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) return PushResult::kClosed;
      if (size_ == ring_.size()) return PushResult::kFull;
      Append(item);
    }
    not_empty_.notify_one();
    return PushResult::kOk;
  }

  // Waits up to timeout_ns for an item (0: only what is there). False on timeout, or
  // when the queue is closed and empty.
  bool Pop(T* item, int64_t timeout_ns) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (size_ == 0 && !closed_ && timeout_ns > 0) {
      not_empty_.wait_for(lock, std::chrono::nanoseconds(timeout_ns), [&] { return closed_ || size_ > 0; });
    }
    if (size_ == 0) return false;
    *item = ring_[head_];
    head_ = (head_ + 1) % ring_.size();
    --size_;
    lock.unlock();
    not_full_.notify_one();
    return true;
  }

  void Close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  bool closed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return size_;
  }
  // The most items ever waiting at once (queue growth shows here).
  size_t high_water() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return high_water_;
  }
  size_t capacity() const { return ring_.size(); }

 private:
  void Append(const T& item) {
    ring_[(head_ + size_) % ring_.size()] = item;
    ++size_;
    if (size_ > high_water_) high_water_ = size_;
  }

  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::vector<T> ring_;
  size_t head_ = 0;
  size_t size_ = 0;
  size_t high_water_ = 0;
  bool closed_ = false;
};

}  // namespace edgefuse::core
