// PortAudio capture for real, without a sound card: the test writes an ALSA
// configuration (ALSA_CONFIG_PATH) that keeps the system one and adds a PCM of ALSA's
// `file` plugin whose capture side reads a raw file (a 1 kHz tone at 48 kHz) over the
// `null` plugin. PortAudio enumerates it like any ALSA device, opens it through its
// ALSA host API and runs its callback thread; the samples that come out of
// CaptureSource must equal the file resampled offline. The null PCM is not paced by a
// clock (it delivers as fast as it is read), so this also drives the ring into real
// overruns, and the rate estimator must flag the device's clock as implausible.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "modalities/audio/capture_source.h"
#include "modalities/audio/portaudio_device.h"
#include "modalities/audio/resampler.h"
#include "tests/support/test_support.h"

namespace edgefuse::audio {
namespace {

constexpr int kRate = 48000;

std::vector<int16_t> ToneAt48k() {
  std::vector<int16_t> tone(kRate * 2);
  for (size_t i = 0; i < tone.size(); ++i)
    tone[i] = static_cast<int16_t>(std::lround(12000 * std::sin(2 * M_PI * 1000.0 * i / kRate)));
  return tone;
}

class PortAudioCapture : public ::testing::Test {
 protected:
  void SetUp() override {
    // A private directory: ctest runs this binary's tests as parallel processes, and a
    // configuration rewritten while another process enumerates aborts PortAudio.
    const std::string raw = dir_.File("tone48k.raw");
    const std::vector<int16_t> tone = ToneAt48k();
    std::ofstream(raw, std::ios::binary).write(reinterpret_cast<const char*>(tone.data()), tone.size() * 2);
    const std::string config = dir_.File("asound.conf");
    std::ofstream(config) << "</usr/share/alsa/alsa.conf>\n"
                          << "pcm.edgefuse_file {\n  type file\n  slave.pcm \"null\"\n  file \"/dev/null\"\n"
                          << "  infile \"" << raw << "\"\n  format \"raw\"\n}\n";
    setenv("ALSA_CONFIG_PATH", config.c_str(), 1);
    setenv("JACK_NO_START_SERVER", "1", 1);
  }
  testing::ScratchDir dir_;
};

TEST_F(PortAudioCapture, ListsTheAlsaPcmWithItsRates) {
  std::vector<AudioInputInfo> inputs;
  std::string error;
  ASSERT_TRUE(ListAudioInputs(&inputs, &error)) << error;
  const AudioInputInfo* found = nullptr;
  for (const auto& input : inputs) {
    std::printf("[edgefuse] input %d '%s' (%s): %d ch, %zu rates\n", input.index, input.name.c_str(),
                input.host_api.c_str(), input.max_channels, input.rates_hz.size());
    if (input.name == "edgefuse_file") found = &input;
  }
  ASSERT_NE(found, nullptr) << "PortAudio did not list the PCM from ALSA_CONFIG_PATH";
  EXPECT_EQ(found->host_api, "ALSA");
  for (int rate : {16000, 44100, 48000}) {
    EXPECT_NE(std::find(found->rates_hz.begin(), found->rates_hz.end(), rate), found->rates_hz.end()) << rate;
  }
}

TEST_F(PortAudioCapture, DeliversTheFileResampledThroughTheRing) {
  CaptureSource source(std::make_unique<PortAudioDevice>(PortAudioSpec{.device = "edgefuse_file", .rate_hz = kRate}));
  std::string error;
  ASSERT_TRUE(source.Start(&error)) << error;
  EXPECT_NE(source.Describe().find("edgefuse_file' at 48000 Hz"), std::string::npos) << source.Describe();
  std::vector<int16_t> captured(6000);
  size_t got = 0;
  bool discontinuity = false;
  for (int i = 0; i < 50 && got < captured.size(); ++i) {
    const AudioRead r = source.Read(std::span<int16_t>(captured).subspan(got), 100'000'000);
    if (got == 0) {
      EXPECT_EQ(r.first_sample_index, 0);
    }
    discontinuity |= r.discontinuity && got > 0;
    if (discontinuity) break;
    got += r.samples;
  }
  ASSERT_EQ(got, captured.size()) << "the first ring-full of blocks is contiguous";

  Resampler offline(kRate);
  const std::vector<int16_t> tone = ToneAt48k();
  std::vector<int16_t> expected(offline.MaxOutputFor(tone.size()));
  expected.resize(offline.Process(tone, expected));
  for (size_t i = 0; i < captured.size(); ++i) ASSERT_EQ(captured[i], expected[i]) << "sample " << i;

  // Let the unpaced device overrun the ring, then look at what is reported.
  for (int i = 0; i < 20; ++i) source.Read(captured, 10'000'000);
  const AudioSourceStats stats = source.Stats();
  std::printf(
      "[edgefuse] PortAudio/ALSA file PCM: %llu samples delivered, %llu overrun samples in %llu events, "
      "%llu timeline jumps, measured rate %.0f Hz (plausible: %s)\n",
      static_cast<unsigned long long>(stats.samples_delivered), static_cast<unsigned long long>(stats.overrun_samples),
      static_cast<unsigned long long>(stats.overrun_events), static_cast<unsigned long long>(stats.timeline_jumps),
      stats.estimated_rate_hz, stats.rate_plausible ? "yes" : "no");
  EXPECT_TRUE(stats.connected);
  EXPECT_GT(stats.overrun_samples, 0u) << "an unpaced device outruns any reader";
  EXPECT_GT(stats.overrun_events, 0u);
  EXPECT_TRUE(stats.timeline_jumps > 0 || !stats.rate_plausible) << "the free-running clock must not pass silently";
  source.Stop();
  EXPECT_FALSE(source.Stats().connected);
}

TEST_F(PortAudioCapture, MissingDeviceIsAOneLineError) {
  CaptureSource source(std::make_unique<PortAudioDevice>(PortAudioSpec{.device = "no_such_microphone"}));
  std::string error;
  EXPECT_FALSE(source.Start(&error));
  EXPECT_EQ(error, "no audio input matches 'no_such_microphone' (see edgefuse devices)");
  CaptureSource by_index(std::make_unique<PortAudioDevice>(PortAudioSpec{.device = "999"}));
  EXPECT_FALSE(by_index.Start(&error));
  EXPECT_EQ(error, "audio device 999 is not an input (see edgefuse devices)");
}

}  // namespace
}  // namespace edgefuse::audio
