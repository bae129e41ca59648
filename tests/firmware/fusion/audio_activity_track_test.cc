#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "firmware/fusion/synchrony_fusion.h"
#include "modalities/audio/log_mel_stream.h"
#include "modalities/audio/synthetic.h"

namespace edgefuse::fusion {
namespace {

constexpr int64_t kMs = 1'000'000;

// Renders a stream, runs the fixed log-mel front-end and fills a track.
AudioActivityTrack TrackOf(const audio::SyntheticScene& scene, int samples) {
  std::vector<int16_t> pcm(static_cast<size_t>(samples));
  audio::RenderSynthetic(scene, 0, pcm);
  const audio::LogMelResult mel = audio::ComputeLogMel(pcm, audio::Precision::kFixed);
  AudioActivityTrack track(4096);
  for (size_t i = 0; i < mel.frames; ++i)
    track.Push(static_cast<int64_t>(i) * 10 * kMs, mel.energy_q10[i], mel.onset_q10[i]);
  return track;
}

TEST(AudioActivityTrackTest, FullScaleSineIsZeroDbfs) {
  audio::SyntheticScene scene;
  scene.events.push_back(
      {.kind = audio::SyntheticKind::kTone, .duration_s = 1.0, .frequency_hz = 1000, .amplitude = 1.0});
  AudioActivityTrack track = TrackOf(scene, 16000);
  AudioActivity a;
  ASSERT_TRUE(track.ActivityOver(400 * kMs, 433 * kMs, &a));
  EXPECT_TRUE(a.valid);
  EXPECT_NEAR(a.level_dbfs, 0.0f, 1.0f) << "energy " << a.energy;
  scene.events[0].amplitude = 0.01;  // -40 dB
  track = TrackOf(scene, 16000);
  ASSERT_TRUE(track.ActivityOver(400 * kMs, 433 * kMs, &a));
  EXPECT_NEAR(a.level_dbfs, -40.0f, 1.0f);
}

TEST(AudioActivityTrackTest, HopBelongsToTheIntervalHoldingItsCentre) {
  AudioActivityTrack track(16);
  // Hops start every 10 ms; their centres are at 12.5, 22.5, 32.5, ... ms.
  for (int i = 0; i < 10; ++i) track.Push(i * 10 * kMs, static_cast<int16_t>(1024 * (i + 1)), 0);
  AudioActivity a;
  ASSERT_TRUE(track.ActivityOver(10 * kMs, 30 * kMs, &a));  // centres 12.5 and 22.5: hops 0 and 1
  EXPECT_TRUE(a.valid);
  EXPECT_FLOAT_EQ(a.energy, 1.5f);
  ASSERT_TRUE(track.ActivityOver(30 * kMs, 33 * kMs, &a));  // centre 32.5: hop 2
  EXPECT_FLOAT_EQ(a.energy, 3.0f);
  ASSERT_TRUE(track.ActivityOver(33 * kMs, 40 * kMs, &a));  // no centre inside: a gap
  EXPECT_FALSE(a.valid);
  EXPECT_FALSE(track.ActivityOver(100 * kMs, 110 * kMs, &a));  // newest centre is 102.5 ms: wait
  EXPECT_EQ(track.latest_ns(), 100 * kMs);
}

TEST(AudioActivityTrackTest, RingKeepsTheNewestHops) {
  AudioActivityTrack track(4);
  for (int i = 0; i < 10; ++i) track.Push(i * 10 * kMs, 0, 1024);
  AudioActivity a;
  ASSERT_TRUE(track.ActivityOver(0, 100 * kMs, &a));
  EXPECT_FLOAT_EQ(a.onset, 3.0f);  // only hops 6..9 are kept; hop 9 (centre 102.5 ms) is outside
  track.Reset();
  EXPECT_EQ(track.latest_ns(), INT64_MIN);
  EXPECT_FALSE(track.ActivityOver(0, 10 * kMs, &a));
}

}  // namespace
}  // namespace edgefuse::fusion
