// `edgefuse features audio` and the audio part of `edgefuse devices`, run in-process
// from the command's own sources (no OpenCV in this binary): outputs match the library,
// bad WAV files give one line on stderr and exit status 2.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "core/format/npy.h"
#include "firmware/app/cli.h"
#include "firmware/app/devices.h"
#include "firmware/app/features.h"
#include "firmware/files/tensor_files.h"
#include "modalities/audio/log_mel_stream.h"
#include "modalities/audio/paced_source.h"
#include "modalities/audio/wav.h"
#include "platform/file.h"
#include "tests/support/test_support.h"

namespace edgefuse::app {
namespace {

struct Result {
  int status;
  std::string err;
};

Result Features(std::vector<std::string> args) {
  args.insert(args.begin(), "audio");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  ::testing::internal::CaptureStderr();
  const int status = RunFeaturesAudio(static_cast<int>(argv.size()), argv.data());
  return {status, ::testing::internal::GetCapturedStderr()};
}

std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
  static const testing::ScratchDir dir;  // private to this process, removed at exit
  const std::string path = dir.File(name);
  std::string error;
  EXPECT_TRUE(platform::WriteFileBytes(path, bytes, &error)) << error;
  return path;
}

std::vector<uint8_t> StereoTone44k() {
  std::vector<int16_t> interleaved;
  for (int i = 0; i < 44100 / 2; ++i) {
    interleaved.push_back(static_cast<int16_t>(8000 * std::sin(2 * M_PI * 700 * i / 44100.0)));
    interleaved.push_back(static_cast<int16_t>(3000 * std::sin(2 * M_PI * 2500 * i / 44100.0)));
  }
  return audio::SerializeWavPcm16(interleaved, 44100, 2);
}

TEST(FeaturesAudio, WritesTheLogMelOfBothPrecisions) {
  const std::string wav = Write("stereo44k.wav", StereoTone44k());
  std::string error;
  auto source = audio::WavSource::Open(wav, {}, &error);
  ASSERT_NE(source, nullptr) << error;
  source->Start(&error);
  std::vector<int16_t> samples(20000);
  samples.resize(source->Read(samples, 0).samples);
  for (const char* precision : {"f32", "fixed"}) {
    const testing::ScratchDir dir;
    const std::string out = dir.File(std::string("mel_") + precision + ".npy");
    const std::string act = dir.File(std::string("act_") + precision + ".npy");
    const Result r = Features({"--wav", wav, "--out", out, "--precision", precision, "--activity", act});
    ASSERT_EQ(r.status, kExitOk) << r.err;
    core::NpyArray mel, activity;
    ASSERT_TRUE(files::ReadNpyFile(out, &mel, &error)) << error;
    ASSERT_TRUE(files::ReadNpyFile(act, &activity, &error)) << error;
    audio::Precision p;
    ASSERT_TRUE(audio::ParsePrecision(precision, &p));
    const audio::LogMelResult expected = audio::ComputeLogMel(samples, p);
    EXPECT_EQ(mel.shape, (std::vector<int64_t>{static_cast<int64_t>(expected.frames), 40}));
    EXPECT_EQ(mel.f32, expected.log_mel);
    EXPECT_EQ(activity.shape, (std::vector<int64_t>{static_cast<int64_t>(expected.frames), 2}));
    EXPECT_EQ(activity.f32[2 * 10], audio::DequantizeQ10(expected.energy_q10[10]));
  }
}

void ExpectBadInput(const std::vector<uint8_t>& bytes, const std::string& name, const std::string& reason) {
  const std::string wav = Write(name, bytes);
  const testing::ScratchDir dir;
  const Result r = Features({"--wav", wav, "--out", dir.File("never.npy")});
  EXPECT_EQ(r.status, kExitUsage) << name;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(wav + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
}

TEST(FeaturesAudio, BadWavFilesExitTwoWithOneLine) {
  const std::vector<uint8_t> good = StereoTone44k();
  ExpectBadInput(std::vector<uint8_t>(good.begin(), good.begin() + 1000), "truncated.wav", "truncated");
  std::vector<uint8_t> bad = good;
  std::memcpy(bad.data() + 8, "WAVX", 4);
  ExpectBadInput(bad, "header.wav", "not a WAV file");
  bad = good;
  bad[22] = bad[23] = 0;  // channels
  ExpectBadInput(bad, "zero_channels.wav", "zero channels");
  bad = good;
  bad[24] = bad[25] = bad[26] = 0;
  bad[27] = 0x7f;  // 2.1 GHz
  ExpectBadInput(bad, "absurd_rate.wav", "absurd sample rate");
  ExpectBadInput(audio::SerializeWavPcm16(std::vector<int16_t>(100, 0), 4000), "slow.wav", "outside the supported");
  EXPECT_EQ(Features({"--wav", "x.wav"}).status, kExitUsage);
  EXPECT_EQ(Features({"--wav", "x.wav", "--out", "y.npy", "--precision", "int8"}).status, kExitUsage);
}

TEST(FeaturesAudio, UnwritableOutputIsAFailureNotAUsageError) {
  const std::string wav = Write("ok.wav", StereoTone44k());
  const Result r = Features({"--wav", wav, "--out", "/nonexistent-dir/mel.npy"});
  EXPECT_EQ(r.status, kExitFailure) << r.err;
}

TEST(DevicesAudio, ListsInputsAsJson) {
  // A PCM only this test defines, through ALSA_CONFIG_PATH (see portaudio_capture_test.cc).
  const testing::ScratchDir dir;
  const std::string config = dir.File("asound.conf");
  std::ofstream(config) << "</usr/share/alsa/alsa.conf>\npcm.edgefuse_null_input {\n  type null\n}\n";
  setenv("ALSA_CONFIG_PATH", config.c_str(), 1);
  core::Json inputs = core::Json::Array();
  std::string error;
  ASSERT_TRUE(ListAudioInputsJson(&inputs, &error)) << error;
  bool found = false;
  for (const auto& input : inputs.Items()) {
    if (input.Find("name")->AsString() != "edgefuse_null_input") continue;
    found = true;
    EXPECT_EQ(input.Find("host_api")->AsString(), "ALSA");
    EXPECT_FALSE(input.Find("rates_hz")->Items().empty());
  }
  EXPECT_TRUE(found) << inputs.Dump();
  ::testing::internal::CaptureStdout();
  PrintAudioInputs(inputs);
  EXPECT_NE(::testing::internal::GetCapturedStdout().find("edgefuse_null_input [ALSA]"), std::string::npos);
}

}  // namespace
}  // namespace edgefuse::app
