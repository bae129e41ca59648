#include "core/runtime/latency_stats.h"

#include <gtest/gtest.h>

#include <random>

namespace edgefuse::core {
namespace {

TEST(LatencyStatsTest, PercentilesOfAKnownSet) {
  LatencyStats stats(100);
  std::mt19937 rng(3);
  std::vector<int> values(100);
  for (int i = 0; i < 100; ++i) values[static_cast<size_t>(i)] = i + 1;
  std::shuffle(values.begin(), values.end(), rng);
  for (int v : values) stats.Add(v);
  EXPECT_DOUBLE_EQ(stats.RecentPercentile(0.5), 50.0);
  EXPECT_DOUBLE_EQ(stats.RecentPercentile(0.99), 99.0);
  EXPECT_DOUBLE_EQ(stats.RecentPercentile(1.0), 100.0);
  EXPECT_NEAR(stats.RunPercentile(0.5), 50.0, LatencyStats::kBinMs);
  EXPECT_NEAR(stats.RunPercentile(0.99), 99.0, LatencyStats::kBinMs);
  EXPECT_EQ(stats.count(), 100u);
  EXPECT_DOUBLE_EQ(stats.max_ms(), 100.0);
}

TEST(LatencyStatsTest, RecentForgetsAndRunRemembers) {
  LatencyStats stats(10);
  for (int i = 0; i < 90; ++i) stats.Add(1.0);
  for (int i = 0; i < 10; ++i) stats.Add(20.0);
  EXPECT_DOUBLE_EQ(stats.RecentPercentile(0.5), 20.0);  // only the last 10
  EXPECT_NEAR(stats.RunPercentile(0.5), 1.0, LatencyStats::kBinMs);
  EXPECT_NEAR(stats.RunPercentile(0.95), 20.0, LatencyStats::kBinMs);
}

TEST(LatencyStatsTest, EmptyBadAndHugeValues) {
  LatencyStats stats;
  EXPECT_EQ(stats.RecentPercentile(0.5), 0.0);
  EXPECT_EQ(stats.RunPercentile(0.5), 0.0);
  stats.Add(std::numeric_limits<double>::quiet_NaN());
  stats.Add(-3.0);
  stats.Add(1e9);  // beyond the histogram: the last bin, capped at the maximum
  EXPECT_EQ(stats.RunPercentile(0.5), 0.025);
  EXPECT_LE(stats.RunPercentile(1.0), 1e9);
  EXPECT_GE(stats.RunPercentile(1.0), 1999.0);
}

TEST(RateMeterTest, FramesPerSecond) {
  RateMeter meter(30);
  EXPECT_EQ(meter.per_second(), 0.0);
  for (int i = 0; i < 100; ++i) meter.Tick(int64_t{i} * 33'333'333);
  EXPECT_NEAR(meter.per_second(), 30.0, 0.01);
  for (int i = 0; i < 30; ++i) meter.Tick(int64_t{100} * 33'333'333 + int64_t{i + 1} * 100'000'000);
  EXPECT_NEAR(meter.per_second(), 10.0, 0.01);
}

}  // namespace
}  // namespace edgefuse::core
