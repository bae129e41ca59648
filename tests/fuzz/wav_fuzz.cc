// libFuzzer target for the WAV parser: any bytes must give either a valid WavAudio or
// a one-line error, never a crash, a sanitizer report or an inconsistent result.
// Built with clang -fsanitize=fuzzer,address,undefined on the host only (see
// CMakeLists.txt); a short run is the ctest test audio.wav_fuzz.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "modalities/audio/wav.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  edgefuse::audio::WavAudio wav;
  std::string error;
  const bool ok = edgefuse::audio::ParseWav(std::span<const uint8_t>(data, size), &wav, &error);
  if (ok) {
    const bool consistent = error.empty() && wav.channels >= 1 && wav.channels <= edgefuse::audio::kWavMaxChannels &&
                            wav.sample_rate_hz >= edgefuse::audio::kWavMinRateHz &&
                            wav.sample_rate_hz <= edgefuse::audio::kWavMaxRateHz &&
                            wav.samples.size() * static_cast<size_t>(wav.channels) * (wav.bits_per_sample / 8) <= size;
    if (!consistent) std::abort();
  } else if (error.empty() || error.find('\n') != std::string::npos) {
    std::abort();
  }
  return 0;
}
