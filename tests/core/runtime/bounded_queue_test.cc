#include "core/runtime/bounded_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "platform/clock.h"

namespace edgefuse::core {
namespace {

TEST(BoundedQueueTest, KeepsOrderAndRefusesWhenFull) {
  BoundedQueue<int> queue(3);
  EXPECT_EQ(queue.TryPush(1), PushResult::kOk);
  EXPECT_EQ(queue.TryPush(2), PushResult::kOk);
  EXPECT_EQ(queue.TryPush(3), PushResult::kOk);
  EXPECT_EQ(queue.TryPush(4), PushResult::kFull);
  int item = 0;
  for (int expected = 1; expected <= 3; ++expected) {
    ASSERT_TRUE(queue.Pop(&item, 0));
    EXPECT_EQ(item, expected);
  }
  EXPECT_FALSE(queue.Pop(&item, 0));
  EXPECT_EQ(queue.high_water(), 3u);
}

TEST(BoundedQueueTest, DropOldestHandsBackTheEvictedItem) {
  BoundedQueue<int> queue(2);
  int evicted = -1;
  EXPECT_EQ(queue.PushDropOldest(1, &evicted), PushResult::kOk);
  EXPECT_EQ(queue.PushDropOldest(2, &evicted), PushResult::kOk);
  EXPECT_EQ(queue.PushDropOldest(3, &evicted), PushResult::kDropped);
  EXPECT_EQ(evicted, 1);
  EXPECT_EQ(queue.PushDropOldest(4, &evicted), PushResult::kDropped);
  EXPECT_EQ(evicted, 2);
  int item = 0;
  ASSERT_TRUE(queue.Pop(&item, 0));
  EXPECT_EQ(item, 3);
  ASSERT_TRUE(queue.Pop(&item, 0));
  EXPECT_EQ(item, 4);
  EXPECT_EQ(queue.size(), 0u);
}

TEST(BoundedQueueTest, PushWaitsForRoom) {
  BoundedQueue<int> queue(1);
  ASSERT_EQ(queue.Push(1), PushResult::kOk);
  const int64_t start = platform::MonotonicNowNs();
  std::thread consumer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    int item = 0;
    EXPECT_TRUE(queue.Pop(&item, 0));
    EXPECT_EQ(item, 1);
  });
  EXPECT_EQ(queue.Push(2), PushResult::kOk);  // blocks until the consumer took 1
  EXPECT_GE(platform::MonotonicNowNs() - start, 40'000'000);
  consumer.join();
  int item = 0;
  ASSERT_TRUE(queue.Pop(&item, 0));
  EXPECT_EQ(item, 2);
}

TEST(BoundedQueueTest, PopTimesOutAndCloseWakesWaiters) {
  BoundedQueue<int> queue(1);
  int item = 0;
  int64_t start = platform::MonotonicNowNs();
  EXPECT_FALSE(queue.Pop(&item, 30'000'000));
  EXPECT_GE(platform::MonotonicNowNs() - start, 25'000'000);

  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    queue.Close();
  });
  start = platform::MonotonicNowNs();
  EXPECT_FALSE(queue.Pop(&item, 5'000'000'000));  // woken by Close, not the timeout
  EXPECT_LT(platform::MonotonicNowNs() - start, 1'000'000'000);
  closer.join();
  EXPECT_EQ(queue.Push(1), PushResult::kClosed);
  EXPECT_EQ(queue.TryPush(1), PushResult::kClosed);
}

TEST(BoundedQueueTest, ClosedQueueStillDrains) {
  BoundedQueue<int> queue(2);
  queue.TryPush(7);
  queue.Close();
  int item = 0;
  ASSERT_TRUE(queue.Pop(&item, 0));
  EXPECT_EQ(item, 7);
  EXPECT_FALSE(queue.Pop(&item, 1'000'000));
}

}  // namespace
}  // namespace edgefuse::core
