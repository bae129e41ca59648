// The WAV parser: every supported encoding reads back the same mono samples, and bad
// files give one-line errors (truncated, wrong header, zero channels, absurd rates, NaN).
#include "modalities/audio/wav.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace edgefuse::audio {
namespace {

struct Builder {
  std::vector<uint8_t> bytes;
  void Tag(const char* t) { bytes.insert(bytes.end(), t, t + 4); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void U16(uint16_t v) {
    bytes.push_back(static_cast<uint8_t>(v));
    bytes.push_back(static_cast<uint8_t>(v >> 8));
  }
};

// A WAV image: fmt (optionally extensible) + a LIST chunk to skip + data.
std::vector<uint8_t> MakeWav(uint16_t tag, int channels, uint32_t rate, int bits, const std::vector<uint8_t>& data,
                             bool extensible = false) {
  Builder b;
  b.Tag("RIFF");
  b.U32(0);
  b.Tag("WAVE");
  b.Tag("fmt ");
  b.U32(extensible ? 40 : 16);
  b.U16(extensible ? 0xfffe : tag);
  b.U16(static_cast<uint16_t>(channels));
  b.U32(rate);
  b.U32(rate * channels * bits / 8);
  b.U16(static_cast<uint16_t>(channels * bits / 8));
  b.U16(static_cast<uint16_t>(bits));
  if (extensible) {
    b.U16(22);
    b.U16(static_cast<uint16_t>(bits));
    b.U32(channels == 1 ? 4 : 3);
    b.U16(tag);
    const uint8_t tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71};
    b.bytes.insert(b.bytes.end(), tail, tail + 14);
  }
  b.Tag("LIST");
  b.U32(3);
  b.bytes.insert(b.bytes.end(), {'a', 'b', 'c', 0});  // odd size + pad byte
  b.Tag("data");
  b.U32(static_cast<uint32_t>(data.size()));
  b.bytes.insert(b.bytes.end(), data.begin(), data.end());
  const uint32_t riff = static_cast<uint32_t>(b.bytes.size() - 8);
  std::memcpy(b.bytes.data() + 4, &riff, 4);
  return b.bytes;
}

template <class T>
std::vector<uint8_t> Raw(const std::vector<T>& values, int bytes_per_value = sizeof(T)) {
  std::vector<uint8_t> out;
  for (const T& v : values) {
    const uint8_t* p = reinterpret_cast<const uint8_t*>(&v);
    out.insert(out.end(), p + sizeof(T) - bytes_per_value, p + sizeof(T));
  }
  return out;
}

const std::vector<int16_t> kExpected = {0, 16384, -16384, 32767, -32768, 1, -1};

void ExpectParses(const std::vector<uint8_t>& bytes, const std::vector<int16_t>& expected, int channels) {
  WavAudio wav;
  std::string error;
  ASSERT_TRUE(ParseWav(bytes, &wav, &error)) << error;
  EXPECT_EQ(wav.channels, channels);
  EXPECT_EQ(wav.sample_rate_hz, 44100);
  EXPECT_EQ(wav.samples, expected);
}

TEST(Wav, ReadsEveryEncodingToTheSameSamples) {
  ExpectParses(MakeWav(1, 1, 44100, 16, Raw(kExpected)), kExpected, 1);
  std::vector<int32_t> s24, s32;
  std::vector<float> f32;
  std::vector<double> f64;
  for (int16_t v : kExpected) {
    s24.push_back(int32_t{v} * 65536);  // top three bytes written below
    s32.push_back(int32_t{v} * 65536);
    f32.push_back(v / 32768.0f);
    f64.push_back(v / 32768.0);
  }
  ExpectParses(MakeWav(1, 1, 44100, 24, Raw(s24, 3)), kExpected, 1);
  ExpectParses(MakeWav(1, 1, 44100, 32, Raw(s32)), kExpected, 1);
  ExpectParses(MakeWav(3, 1, 44100, 32, Raw(f32)), kExpected, 1);
  ExpectParses(MakeWav(3, 1, 44100, 64, Raw(f64)), kExpected, 1);
  ExpectParses(MakeWav(1, 1, 44100, 16, Raw(kExpected), /*extensible=*/true), kExpected, 1);
  ExpectParses(MakeWav(3, 1, 44100, 32, Raw(f32), /*extensible=*/true), kExpected, 1);
  const std::vector<uint8_t> u8 = {128, 192, 64, 255, 0};
  ExpectParses(MakeWav(1, 1, 44100, 8, u8), {0, 16384, -16384, 32512, -32768}, 1);
}

TEST(Wav, DownMixesChannelsByAveraging) {
  const std::vector<int16_t> stereo = {1000, 3000, -32768, -32768, 32767, -32767, 1, 2};
  ExpectParses(MakeWav(1, 2, 44100, 16, Raw(stereo)), {2000, -32768, 0, 2}, 2);  // 1.5 rounds to even
  const std::vector<int16_t> six(6 * 3, 600);
  ExpectParses(MakeWav(1, 6, 44100, 16, Raw(six)), {600, 600, 600}, 6);
}

TEST(Wav, CountsClippedFloatSamples) {
  WavAudio wav;
  std::string error;
  ASSERT_TRUE(ParseWav(MakeWav(3, 1, 44100, 32, Raw(std::vector<float>{1.5f, -2.0f, 0.5f})), &wav, &error));
  EXPECT_EQ(wav.samples, (std::vector<int16_t>{32767, -32768, 16384}));
  EXPECT_EQ(wav.clipped_samples, 2u);
}

std::string ErrorOf(const std::vector<uint8_t>& bytes) {
  WavAudio wav;
  std::string error;
  EXPECT_FALSE(ParseWav(bytes, &wav, &error));
  EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
  return error;
}

TEST(Wav, RejectsBadFilesWithOneLine) {
  const std::vector<uint8_t> good = MakeWav(1, 1, 16000, 16, Raw(kExpected));
  for (size_t cut : {size_t{0}, size_t{5}, size_t{11}, size_t{30}, good.size() - 1}) {
    EXPECT_NE(ErrorOf(std::vector<uint8_t>(good.begin(), good.begin() + cut)).find("truncated"), std::string::npos)
        << cut;
  }
  std::vector<uint8_t> bad = good;
  std::memcpy(bad.data(), "RIFX", 4);
  EXPECT_NE(ErrorOf(bad).find("not a WAV"), std::string::npos);
  bad = good;
  std::memcpy(bad.data() + 8, "AVI ", 4);
  EXPECT_NE(ErrorOf(bad).find("not a WAV"), std::string::npos);
  EXPECT_EQ(ErrorOf(MakeWav(1, 0, 16000, 16, {})), "zero channels");
  EXPECT_NE(ErrorOf(MakeWav(1, 1, 0, 16, Raw(kExpected))).find("absurd sample rate 0"), std::string::npos);
  EXPECT_NE(ErrorOf(MakeWav(1, 1, 4000000000u, 16, Raw(kExpected))).find("absurd sample rate"), std::string::npos);
  EXPECT_NE(ErrorOf(MakeWav(1, 1, 16000, 12, Raw(kExpected))).find("12-bit PCM"), std::string::npos);
  EXPECT_NE(ErrorOf(MakeWav(2, 1, 16000, 16, Raw(kExpected))).find("format tag 2"), std::string::npos);
  EXPECT_NE(ErrorOf(MakeWav(1, 1, 16000, 16, {1, 2, 3})).find("whole number"), std::string::npos);
  EXPECT_NE(ErrorOf(MakeWav(3, 1, 16000, 32, Raw(std::vector<float>{0.f, NAN}))).find("NaN"), std::string::npos);
  EXPECT_NE(ErrorOf(MakeWav(3, 1, 16000, 32, Raw(std::vector<float>{INFINITY}))).find("infinite"), std::string::npos);
  bad = good;
  bad.resize(bad.size() + 8);
  std::memcpy(bad.data() + bad.size() - 8, "\n\x01ok\xff\0\0\0", 8);  // a chunk with a newline in its id
  const uint32_t riff = static_cast<uint32_t>(bad.size() - 8 + 100);  // ... claiming 100 bytes too many
  std::memcpy(bad.data() + 4, &riff, 4);
  EXPECT_NE(ErrorOf(bad).find("truncated"), std::string::npos);
  bad = good;
  bad.resize(bad.size() + 12);
  std::memcpy(bad.data() + bad.size() - 12, "\n\x01ok\xff\0\0\0", 8);
  const uint32_t riff2 = static_cast<uint32_t>(bad.size() - 8);
  std::memcpy(bad.data() + 4, &riff2, 4);
  EXPECT_NE(ErrorOf(bad).find("'\\x0a\\x01ok' chunk of 255 bytes"), std::string::npos) << ErrorOf(bad);
  bad = good;
  bad[28] ^= 1;  // byte rate
  EXPECT_NE(ErrorOf(bad).find("byte rate"), std::string::npos);
}

TEST(Wav, SerializeRoundTrips) {
  WavAudio wav;
  std::string error;
  ASSERT_TRUE(ParseWav(SerializeWavPcm16(kExpected, 22050), &wav, &error)) << error;
  EXPECT_EQ(wav.sample_rate_hz, 22050);
  EXPECT_EQ(wav.samples, kExpected);
}

}  // namespace
}  // namespace edgefuse::audio
