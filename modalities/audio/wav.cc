#include "modalities/audio/wav.h"

#include <cmath>
#include <cstring>

#include "platform/file.h"

namespace edgefuse::audio {
namespace {

uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint32_t U32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

bool Fail(const std::string& message, std::string* error) {
  *error = message;
  return false;
}

// A chunk id for messages: printable ASCII as is, anything else as \xHH, so an error
// stays one line whatever the file holds.
std::string ChunkName(const uint8_t* id) {
  std::string name;
  for (int i = 0; i < 4; ++i) {
    if (id[i] >= 0x20 && id[i] < 0x7f && id[i] != '\\') {
      name.push_back(static_cast<char>(id[i]));
    } else {
      static const char kHex[] = "0123456789abcdef";
      name += "\\x";
      name.push_back(kHex[id[i] >> 4]);
      name.push_back(kHex[id[i] & 15]);
    }
  }
  return name;
}

// The GUID tail every KSDATAFORMAT_SUBTYPE_* of WAVE_FORMAT_EXTENSIBLE shares.
constexpr uint8_t kSubFormatTail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                        0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71};

struct Format {
  uint16_t tag = 0;
  int channels = 0;
  uint32_t rate = 0;
  uint32_t byte_rate = 0;
  int block_align = 0;
  int bits = 0;
  bool extensible = false;
};

bool ParseFormat(const uint8_t* p, uint32_t size, Format* f, std::string* error) {
  if (size < 16) return Fail("fmt chunk is " + std::to_string(size) + " bytes, needs at least 16", error);
  f->tag = U16(p);
  f->channels = U16(p + 2);
  f->rate = U32(p + 4);
  f->byte_rate = U32(p + 8);
  f->block_align = U16(p + 12);
  f->bits = U16(p + 14);
  if (f->tag == 0xfffe) {
    if (size < 40 || U16(p + 16) < 22) return Fail("WAVE_FORMAT_EXTENSIBLE fmt chunk is too short", error);
    const int valid_bits = U16(p + 18);
    if (valid_bits != 0 && valid_bits != f->bits) {
      return Fail("WAVE_FORMAT_EXTENSIBLE with " + std::to_string(valid_bits) + " valid bits in " +
                      std::to_string(f->bits) + "-bit containers is not supported",
                  error);
    }
    if (std::memcmp(p + 26, kSubFormatTail, sizeof(kSubFormatTail)) != 0) {
      return Fail("WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID", error);
    }
    f->tag = U16(p + 24);
    f->extensible = true;
  }
  if (f->tag != 1 && f->tag != 3) {
    return Fail("unsupported WAV format tag " + std::to_string(f->tag) + " (PCM and IEEE float only)", error);
  }
  if (f->channels == 0) return Fail("zero channels", error);
  if (f->channels > kWavMaxChannels) return Fail(std::to_string(f->channels) + " channels is absurd", error);
  if (f->rate < kWavMinRateHz || f->rate > kWavMaxRateHz) {
    return Fail("absurd sample rate " + std::to_string(f->rate) + " Hz (expected " + std::to_string(kWavMinRateHz) +
                    " .. " + std::to_string(kWavMaxRateHz) + ")",
                error);
  }
  const bool pcm_ok = f->tag == 1 && (f->bits == 8 || f->bits == 16 || f->bits == 24 || f->bits == 32);
  const bool float_ok = f->tag == 3 && (f->bits == 32 || f->bits == 64);
  if (!pcm_ok && !float_ok) {
    return Fail(std::to_string(f->bits) + "-bit " + (f->tag == 1 ? "PCM" : "float") + " is not supported", error);
  }
  if (f->block_align != f->channels * f->bits / 8) {
    return Fail("block align " + std::to_string(f->block_align) + " does not match " + std::to_string(f->channels) +
                    " channels of " + std::to_string(f->bits) + " bits",
                error);
  }
  if (f->byte_rate != f->rate * static_cast<uint32_t>(f->block_align)) {
    return Fail("byte rate " + std::to_string(f->byte_rate) + " does not match the sample rate and block align", error);
  }
  return true;
}

// One sample as a fraction of full scale, in [-1, 1) for PCM.
double SampleValue(const uint8_t* p, const Format& f) {
  if (f.tag == 3) {
    if (f.bits == 32) {
      float v;
      std::memcpy(&v, p, 4);
      return v;
    }
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  switch (f.bits) {
    case 8: return (static_cast<int>(p[0]) - 128) / 128.0;
    case 16: return static_cast<int16_t>(U16(p)) / 32768.0;
    case 24: {
      const int32_t v = static_cast<int32_t>(uint32_t{p[0]} << 8 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 24) >> 8;
      return v / 8388608.0;
    }
    default: return static_cast<int32_t>(U32(p)) / 2147483648.0;
  }
}

}  // namespace

bool ParseWav(std::span<const uint8_t> bytes, WavAudio* wav, std::string* error) {
  *wav = WavAudio();
  if (bytes.size() < 12) return Fail("truncated: " + std::to_string(bytes.size()) + " bytes is no WAV header", error);
  if (std::memcmp(bytes.data(), "RIFF", 4) != 0 || std::memcmp(bytes.data() + 8, "WAVE", 4) != 0) {
    return Fail("not a WAV file (no RIFF/WAVE header)", error);
  }
  const uint64_t riff_end = uint64_t{U32(bytes.data() + 4)} + 8;
  if (riff_end > bytes.size()) {
    return Fail(
        "truncated: RIFF header says " + std::to_string(riff_end) + " bytes, file has " + std::to_string(bytes.size()),
        error);
  }
  Format format;
  bool have_format = false;
  const uint8_t* data = nullptr;
  uint32_t data_size = 0;
  for (uint64_t pos = 12; pos + 8 <= riff_end;) {
    const uint8_t* chunk = bytes.data() + pos;
    const uint32_t size = U32(chunk + 4);
    const std::string id = ChunkName(chunk);
    if (pos + 8 + size > riff_end) {
      return Fail("truncated: '" + id + "' chunk of " + std::to_string(size) + " bytes at offset " +
                      std::to_string(pos) + " runs past the end (" + std::to_string(riff_end) + ")",
                  error);
    }
    if (id == "fmt ") {
      if (have_format) return Fail("two fmt chunks", error);
      if (!ParseFormat(chunk + 8, size, &format, error)) return false;
      have_format = true;
    } else if (id == "data") {
      if (!have_format) return Fail("data chunk before the fmt chunk", error);
      if (data != nullptr) return Fail("two data chunks", error);
      data = chunk + 8;
      data_size = size;
    }
    pos += 8 + uint64_t{size} + (size & 1);  // chunks are padded to even sizes
  }
  if (!have_format) return Fail("no fmt chunk", error);
  if (data == nullptr) return Fail("no data chunk", error);
  if (data_size % format.block_align != 0) {
    return Fail("data chunk of " + std::to_string(data_size) + " bytes is not a whole number of " +
                    std::to_string(format.block_align) + "-byte frames",
                error);
  }

  wav->sample_rate_hz = static_cast<int>(format.rate);
  wav->channels = format.channels;
  wav->bits_per_sample = format.bits;
  wav->encoding = format.tag == 3 ? WavEncoding::kFloat : WavEncoding::kPcm;
  wav->extensible = format.extensible;
  const size_t frames = data_size / format.block_align;
  const int bytes_per_sample = format.bits / 8;
  wav->samples.resize(frames);
  for (size_t i = 0; i < frames; ++i) {
    double sum = 0.0;
    for (int c = 0; c < format.channels; ++c) {
      const double v = SampleValue(data + i * format.block_align + c * bytes_per_sample, format);
      if (!std::isfinite(v)) {
        return Fail("sample " + std::to_string(i) + " of channel " + std::to_string(c) + " is " +
                        (std::isnan(v) ? "NaN" : "infinite"),
                    error);
      }
      sum += v;
    }
    const double scaled = std::nearbyint(sum / format.channels * 32768.0);
    if (scaled > 32767.0 || scaled < -32768.0) ++wav->clipped_samples;
    wav->samples[i] = static_cast<int16_t>(std::fmax(-32768.0, std::fmin(32767.0, scaled)));
  }
  return true;
}

bool ReadWavFile(const std::string& path, WavAudio* wav, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!platform::ReadFileBytes(path, &bytes, error)) return false;
  if (!ParseWav(bytes, wav, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

std::vector<uint8_t> SerializeWavPcm16(std::span<const int16_t> samples, int sample_rate_hz, int channels) {
  const uint32_t data_size = static_cast<uint32_t>(samples.size() * 2);
  std::vector<uint8_t> out(44 + data_size);
  uint8_t* p = out.data();
  auto tag = [&](const char* text) {
    std::memcpy(p, text, 4);
    p += 4;
  };
  auto put32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) *p++ = static_cast<uint8_t>(v >> (8 * i));
  };
  auto put16 = [&](uint16_t v) {
    *p++ = static_cast<uint8_t>(v);
    *p++ = static_cast<uint8_t>(v >> 8);
  };
  tag("RIFF");
  put32(36 + data_size);
  tag("WAVE");
  tag("fmt ");
  put32(16);
  put16(1);
  put16(static_cast<uint16_t>(channels));
  put32(static_cast<uint32_t>(sample_rate_hz));
  put32(static_cast<uint32_t>(sample_rate_hz * channels * 2));
  put16(static_cast<uint16_t>(channels * 2));
  put16(16);
  tag("data");
  put32(data_size);
  for (int16_t s : samples) put16(static_cast<uint16_t>(s));
  return out;
}

}  // namespace edgefuse::audio
