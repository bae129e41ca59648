// Streaming equals one-shot, bit for bit, for random chunk sizes (both precisions), and
// the activity features react as documented.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "modalities/audio/log_mel_stream.h"
#include "tests/modalities/audio/test_signals.h"
#include "tests/support/test_support.h"

namespace edgefuse::audio {
namespace {

void ExpectStreamEqualsOneShot(Precision precision) {
  EF_SEEDED_RNG(rng);
  const std::vector<int16_t> samples = testing::SpeechLike(0.6);
  const LogMelResult one_shot = ComputeLogMel(samples, precision);
  for (int trial = 0; trial < 4; ++trial) {
    LogMelStream stream(precision);
    LogMelResult streamed;
    std::uniform_int_distribution<size_t> chunk_size(0, trial < 2 ? 17 : 900);
    size_t pos = 0;
    while (pos < samples.size()) {
      const size_t n = std::min(chunk_size(rng), samples.size() - pos);
      stream.Push(std::span<const int16_t>(samples).subspan(pos, n), [&](const LogMelFrameView& frame) {
        EXPECT_EQ(frame.index, static_cast<int64_t>(streamed.frames));
        ++streamed.frames;
        streamed.log_mel.insert(streamed.log_mel.end(), frame.log_mel.begin(), frame.log_mel.end());
        streamed.log_mel_q10.insert(streamed.log_mel_q10.end(), frame.log_mel_q10.begin(), frame.log_mel_q10.end());
        streamed.energy_q10.push_back(frame.energy_q10);
        streamed.onset_q10.push_back(frame.onset_q10);
      });
      pos += n;
    }
    ASSERT_EQ(streamed.frames, one_shot.frames);
    // Bitwise float comparison: memcmp, so -0.0 vs 0.0 or NaN would not slip through.
    ASSERT_EQ(0, std::memcmp(streamed.log_mel.data(), one_shot.log_mel.data(), one_shot.log_mel.size() * 4));
    EXPECT_EQ(streamed.log_mel_q10, one_shot.log_mel_q10);
    EXPECT_EQ(streamed.energy_q10, one_shot.energy_q10);
    EXPECT_EQ(streamed.onset_q10, one_shot.onset_q10);
  }
}

TEST(LogMelStream, EqualsOneShotFloat) { ExpectStreamEqualsOneShot(Precision::kFloat); }
TEST(LogMelStream, EqualsOneShotFixed) { ExpectStreamEqualsOneShot(Precision::kFixed); }

TEST(LogMelStream, ResetStartsOver) {
  const std::vector<int16_t> samples = testing::Tones(0.1);
  LogMelStream stream(Precision::kFixed);
  int frames = 0;
  stream.Push(std::span<const int16_t>(samples).first(500), [&](const LogMelFrameView&) { ++frames; });
  EXPECT_EQ(frames, 1);
  stream.Reset();
  stream.Push(std::span<const int16_t>(samples).first(399), [&](const LogMelFrameView&) { ++frames; });
  EXPECT_EQ(frames, 1);  // the 100 buffered samples were dropped
}

TEST(Activity, OnsetPeaksAtClicksAndEnergyFollowsLevel) {
  SyntheticScene scene;
  scene.seed = 3;
  scene.events = {
      {.kind = SyntheticKind::kNoise, .duration_s = -1, .amplitude = 0.001},
      {.kind = SyntheticKind::kClick, .start_s = 0.5, .amplitude = 0.9},
      {.kind = SyntheticKind::kTone, .start_s = 1.0, .duration_s = 0.5, .frequency_hz = 700, .amplitude = 0.1},
      {.kind = SyntheticKind::kTone, .start_s = 1.5, .duration_s = 0.5, .frequency_hz = 700, .amplitude = 0.2}};
  const std::vector<int16_t> samples = testing::Render(scene, 2.0);
  const LogMelResult r = ComputeLogMel(samples, Precision::kFixed);
  // Frame i starts at 10 ms * i; the click at 0.5 s first appears in frame 48 (0.48 .. 0.505 s).
  int peak = 0;
  for (int i = 1; i < 95; ++i) {
    if (r.onset_q10[i] > r.onset_q10[peak]) peak = i;
  }
  EXPECT_GE(peak, 48);
  EXPECT_LE(peak, 50);
  EXPECT_GT(r.onset_q10[peak], 2 * 1024) << "a click raises the bands by several nat";
  EXPECT_EQ(r.onset_q10[0], 0);
  // Tone at 0.1 then 0.2 of full scale: energy rises by ln(4) = 1.386 nat.
  const double rise = (r.energy_q10[170] - r.energy_q10[130]) / 1024.0;
  EXPECT_NEAR(rise, std::log(4.0), 0.01);
  // 0.1 full-scale tone (power 5e-3) over noise of RMS 1e-3: about ln(5000) = 8.5 nat.
  EXPECT_GT(r.energy_q10[130] - r.energy_q10[80], 8 * 1024) << "tone vs -60 dB noise";
}

}  // namespace
}  // namespace edgefuse::audio
