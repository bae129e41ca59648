// A lock-free single-producer single-consumer ring of fixed-size items: the hand-off
// from an audio callback (real-time thread: no locks, no allocation) to the reader.
// Capacity is a power of two fixed at construction; Push fails when full (the caller
// counts the overrun), Pop fails when empty.
//
//   edgefuse::audio::SpscRing<Block> ring(64);
//   // producer thread:                       // consumer thread:
//   if (Block* slot = ring.BeginPush()) {      if (const Block* b = ring.Front()) {
//     fill(*slot);                               use(*b);
//     ring.CommitPush();                         ring.Pop();
//   } else { ++overruns; }                     }
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace edgefuse::audio {

template <class T>
class SpscRing {
 public:
  explicit SpscRing(size_t capacity) : capacity_(capacity), slots_(new T[capacity]) {
    assert(capacity >= 2 && (capacity & (capacity - 1)) == 0);
  }

  size_t capacity() const { return capacity_; }

  // Producer: the slot to fill, or nullptr when the ring is full.
  T* BeginPush() {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (head - tail_.load(std::memory_order_acquire) == capacity_) return nullptr;
    return &slots_[head & (capacity_ - 1)];
  }
  // Producer: publishes the slot BeginPush returned.
  void CommitPush() { head_.store(head_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }

  // Consumer: the oldest item, or nullptr when empty.
  const T* Front() const {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (head_.load(std::memory_order_acquire) == tail) return nullptr;
    return &slots_[tail & (capacity_ - 1)];
  }
  // Consumer: releases the item Front returned.
  void Pop() { tail_.store(tail_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }

  // Either side: items waiting (a snapshot).
  size_t Size() const {
    return static_cast<size_t>(head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire));
  }

 private:
  const size_t capacity_;
  std::unique_ptr<T[]> slots_;
  // On separate cache lines so the two threads do not false-share.
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
};

}  // namespace edgefuse::audio
