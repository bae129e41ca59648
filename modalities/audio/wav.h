// WAV (RIFF/WAVE) parsing: PCM 8/16/24/32-bit, IEEE float 32/64-bit and
// WAVE_FORMAT_EXTENSIBLE, any channel count (down-mixed to mono by averaging), any
// rate. Strict: a truncated chunk, a wrong header, zero channels, an absurd rate, an
// inconsistent block size or a NaN sample is a one-line error, never a guess. Parsing
// works on bytes (the fuzz target calls it directly); ReadWavFile reads through
// platform/file.h.
//
//   edgefuse::audio::WavAudio wav;
//   std::string error;
//   if (!edgefuse::audio::ReadWavFile("in.wav", &wav, &error)) { ... "in.wav: truncated: ..." }
//   // wav.samples: mono int16 at wav.sample_rate_hz
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace edgefuse::audio {

enum class WavEncoding { kPcm, kFloat };

struct WavAudio {
  int sample_rate_hz = 0;
  int channels = 0;  // in the file; samples are the down-mix
  int bits_per_sample = 0;
  WavEncoding encoding = WavEncoding::kPcm;
  bool extensible = false;
  std::vector<int16_t> samples;  // mono, rounded to int16 and saturated
  uint64_t clipped_samples = 0;  // float samples outside [-1, 1) that were saturated
};

// Rates outside this range are refused as absurd.
inline constexpr int kWavMinRateHz = 1000;
inline constexpr int kWavMaxRateHz = 768000;
inline constexpr int kWavMaxChannels = 64;

bool ParseWav(std::span<const uint8_t> bytes, WavAudio* wav, std::string* error);

// ParseWav on a file; errors are prefixed with the path.
bool ReadWavFile(const std::string& path, WavAudio* wav, std::string* error);

// A 16-bit PCM mono file image (for tests, tools and the synthetic scene writer).
std::vector<uint8_t> SerializeWavPcm16(std::span<const int16_t> samples, int sample_rate_hz, int channels = 1);

}  // namespace edgefuse::audio
