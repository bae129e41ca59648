// Streaming log-mel with per-hop activity features, and the one-shot computation it
// must equal bit for bit: samples arrive in chunks of any size, and every complete
// 400-sample frame (every 160 samples) comes out as soon as its last sample is in.
//
// Activity features, per hop, for the audio-visual fusion (DESIGN.md §6), both Q10
// natural-log units computed in integers from the Q10 log-mel:
//   energy_q10: ln(max(sum_m E_m, 1e-10)), the log of the frame's mel-band energy;
//   onset_q10:  mean over bands of max(0, L[i, m] - L[i-1, m]) (positive log-mel
//               flux; 0 for the first frame), rounded half up.
//
//   edgefuse::audio::LogMelStream stream(edgefuse::audio::Precision::kFixed);
//   stream.Push(chunk, [&](const edgefuse::audio::LogMelFrameView& frame) {
//     use(frame.index, frame.log_mel, frame.onset_q10);
//   });
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "modalities/audio/frontend_settings.h"
#include "modalities/audio/log_mel.h"

namespace edgefuse::audio {

enum class Precision { kFloat, kFixed };

// "f32" or "fixed" (the command line's --precision values).
bool ParsePrecision(std::string_view text, Precision* precision);
const char* PrecisionName(Precision precision);

struct LogMelFrameView {
  int64_t index = 0;                     // covers samples [160 index, 160 index + 400)
  std::span<const float> log_mel;        // kNumMelBands values (fixed: dequantized Q10)
  std::span<const int16_t> log_mel_q10;  // kNumMelBands Q10 values (float: rounded)
  int16_t energy_q10 = kLogFloorQ10;
  int32_t onset_q10 = 0;
};

// Computes one frame and its activity features; keeps the previous frame for the
// onset. Shared by the stream and the one-shot path so that only framing differs.
class LogMelFrameProcessor {
 public:
  LogMelFrameProcessor(Precision precision, core::Tier cap);
  LogMelFrameView Process(const int16_t* frame, int64_t index);
  void Reset() { have_previous_ = false; }
  const char* fft_kernel_name() const { return fixed_.fft_kernel_name(); }

 private:
  Precision precision_;
  LogMelFixed fixed_;
  std::array<float, kNumMelBands> log_mel_{};
  std::array<int16_t, kNumMelBands> log_mel_q10_{};
  std::array<int16_t, kNumMelBands> previous_q10_{};
  bool have_previous_ = false;
};

class LogMelStream {
 public:
  explicit LogMelStream(Precision precision, core::Tier cap = core::DefaultTierCap()) : processor_(precision, cap) {}

  // Appends samples; calls on_frame(const LogMelFrameView&) for each frame completed.
  // The view is valid during the call only. Does not allocate.
  template <class OnFrame>
  void Push(std::span<const int16_t> samples, OnFrame&& on_frame) {
    size_t used = 0;
    while (used < samples.size()) {
      const size_t take = std::min(samples.size() - used, static_cast<size_t>(kWindowSamples - filled_));
      std::copy_n(samples.data() + used, take, pending_.data() + filled_);
      filled_ += static_cast<int>(take);
      used += take;
      if (filled_ == kWindowSamples) {
        on_frame(processor_.Process(pending_.data(), next_index_++));
        std::copy(pending_.begin() + kHopSamples, pending_.end(), pending_.begin());
        filled_ -= kHopSamples;
      }
    }
  }

  // Forgets buffered samples and the previous frame (after a gap in the input).
  void Reset();
  int64_t frames_emitted() const { return next_index_; }
  const char* fft_kernel_name() const { return processor_.fft_kernel_name(); }

 private:
  LogMelFrameProcessor processor_;
  std::array<int16_t, kWindowSamples> pending_{};
  int filled_ = 0;
  int64_t next_index_ = 0;
};

struct LogMelResult {
  size_t frames = 0;
  std::vector<float> log_mel;        // [frames, kNumMelBands]
  std::vector<int16_t> log_mel_q10;  // [frames, kNumMelBands]
  std::vector<int16_t> energy_q10;   // [frames]
  std::vector<int32_t> onset_q10;    // [frames]
};

// The whole signal at once: frame i read in place at samples + 160 i.
LogMelResult ComputeLogMel(std::span<const int16_t> samples, Precision precision,
                           core::Tier cap = core::DefaultTierCap());

}  // namespace edgefuse::audio
