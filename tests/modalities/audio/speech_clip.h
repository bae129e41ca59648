// The checked-in speech clip (testdata/speech.wav, made by testdata/make_speech_clip.sh
// with espeak-ng at 22050 Hz), read with the WAV parser and resampled to 16 kHz.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "modalities/audio/resampler.h"
#include "modalities/audio/wav.h"
#include "tests/support/test_support.h"

namespace edgefuse::audio::testing {

inline std::vector<int16_t> LoadSpeechClip() {
  WavAudio wav;
  std::string error;
  const std::string path = ::edgefuse::testing::ProjectTestData("modalities/audio/testdata/speech.wav");
  EXPECT_TRUE(ReadWavFile(path, &wav, &error)) << error;
  if (wav.samples.empty()) return {};
  Resampler resampler(wav.sample_rate_hz);
  std::vector<int16_t> out(resampler.MaxOutputFor(wav.samples.size()));
  out.resize(resampler.Process(wav.samples, out));
  return out;
}

}  // namespace edgefuse::audio::testing
