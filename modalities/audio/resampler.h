// Sample-rate conversion of mono int16 audio from any device rate in 8-96 kHz to the
// pipeline's 16 kHz (or any other rate), with anti-aliasing: a polyphase FIR designed
// once per rate pair (Kaiser-windowed sinc, 80 dB stop band from the lower Nyquist
// frequency down, pass band to 7/8 of it), streaming, no allocation after construction.
//
// Rational ratios L/M are exact (44.1 kHz -> 16 kHz is 160/441); when L would need
// more than kMaxResamplerPhases phases (rates like 44101 Hz) the phase is rounded to
// 1/1024 of an input sample (timing error below 0.5/1024 sample, images below -80 dB
// for a 1 kHz tone). Output sample j is the signal at input position j * M / L: the
// filter is zero-phase, so timestamps carry over by sample count.
//
//   edgefuse::audio::Resampler resampler(48000);        // -> 16000
//   std::vector<int16_t> out(resampler.MaxOutputFor(chunk.size()));
//   out.resize(resampler.Process(chunk, out));
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "modalities/audio/frontend_settings.h"

namespace edgefuse::audio {

inline constexpr int kResamplerMinRateHz = 8000;
inline constexpr int kResamplerMaxRateHz = 96000;
inline constexpr int kMaxResamplerPhases = 1024;

// Whether a rate can be converted; otherwise a one-line reason.
bool CheckResamplerRate(int rate_hz, std::string* error);

class Resampler {
 public:
  // Both rates in [kResamplerMinRateHz, kResamplerMaxRateHz] (asserted).
  explicit Resampler(int input_rate_hz, int output_rate_hz = kSampleRateHz);

  // Consumes all of `input`, writes the outputs that became computable to `output`
  // (which must hold MaxOutputFor(input.size())) and returns their number.
  size_t Process(std::span<const int16_t> input, std::span<int16_t> output);

  size_t MaxOutputFor(size_t input_samples) const;

  // End of input (a file): writes the outputs still held back by the filter's
  // look-ahead, as if zeros followed, so that ceil(inputs * output / input rate) samples
  // came out in all. `output` must hold MaxFlushOutput(). Reset() before reusing.
  size_t Flush(std::span<int16_t> output);
  size_t MaxFlushOutput() const;

  // Back to the initial state (after a gap in the input).
  void Reset();

  int input_rate_hz() const { return input_rate_; }
  int output_rate_hz() const { return output_rate_; }
  int taps() const { return taps_; }
  int phases() const { return phases_; }
  // Output samples produced so far; output j is at input position j * input / output.
  int64_t outputs_produced() const { return produced_; }

 private:
  int input_rate_, output_rate_;
  bool passthrough_;
  int64_t up_ = 1, down_ = 1;        // output / input = up_ / down_, reduced
  int phases_ = 1;                   // up_, or kMaxResamplerPhases when up_ is larger
  int taps_ = 0;                     // per phase, even
  std::vector<float> coefficients_;  // [phases_ + 1][taps_]; the extra row is phase 0 shifted by one
  std::vector<int16_t> history_;     // input samples from absolute index base_
  size_t filled_ = 0;
  int64_t base_ = 0;
  int64_t produced_ = 0;
  int64_t consumed_ = 0;  // input samples taken
  int64_t position_ = 0;  // integer input position of the next output
  int64_t fraction_ = 0;  // its fraction, in 1 / up_ units
};

}  // namespace edgefuse::audio
