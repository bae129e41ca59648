// The default fusion (DESIGN.md §6): audio-visual synchrony attention on core's
// cross-attention block. Per video frame the caller pushes the frame's patch tokens
// (vision front-end) and the audio activity over that frame's interval; the fusion
// keeps the last W frames and answers where the sound comes from.
//
//   edgefuse::fusion::SynchronyConfig config;        // 16 x 12 grid, W = window_frames
//   std::string error;
//   auto fusion = edgefuse::fusion::SynchronyFusion::Create(config, &error);
//   if (!fusion) { ... one-line error ... }
//   edgefuse::fusion::SynchronyOutput out;           // reuse: Push allocates nothing once warm
//   for each video frame:
//     edgefuse::fusion::AudioActivity audio;
//     track.ActivityOver(frame_begin_ns, frame_end_ns, &audio);
//     if (!fusion->Push(tokens, audio, &out, &error)) { ... }
//     out.attention (grid_h * grid_w weights summing to 1), out.present, out.x, out.y, ...
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/attention/attention.h"
#include "firmware/fusion/fusion_model.h"
#include "modalities/vision/patch_frontend.h"

namespace edgefuse::fusion {

struct SynchronyConfig {
  int grid_w = 16;
  int grid_h = 12;
  int window_frames = 60;  // W: frames of history correlated (documented choice)
  double fps = 30.0;       // nominal video rate (lags in frames are derived from it)
  std::vector<int> lags_ms = {-100, -67, -33, 0, 33, 67, 100};  // one query per A/V lag
  double noise_margin_db = 6.0;                                 // gate: audio must exceed its noise floor by this much
  double min_correlation = 0.3;  // gate: the best patch's sound-motion correlation must reach this
  core::AttentionPrecision precision = core::AttentionPrecision::kInt8;  // or kF32 (same formula)
  int threads = 1;
  // Learned weights (fusion_model.h) in place of the built-in ones; null: built in.
  std::shared_ptr<const FusionModel> model;
};

// Audio activity over one video frame's interval, from the audio front-end's
// per-hop features (modalities/audio LogMelFrameView: energy_q10, onset_q10).
struct AudioActivity {
  float onset = 0.0f;          // positive log-mel flux over the interval (dequantized)
  float energy = 0.0f;         // mean log energy over the interval (dequantized)
  float level_dbfs = -120.0f;  // short-term level for meters
  bool valid = false;          // false: no audio covered this interval (gap)
};

// Per-hop audio features with their stream times, kept for a bounded history;
// answers the activity over any recent interval. The alignment rule (documented in
// the implementation): a hop belongs to the interval that holds its centre time.
class AudioActivityTrack {
 public:
  explicit AudioActivityTrack(int capacity_hops = 1024);
  // One 10 ms hop, in order: its start time on the monotonic (or stream) clock, in ns.
  void Push(int64_t hop_start_ns, int16_t energy_q10, int32_t onset_q10);
  // False while the track does not yet reach end_ns (wait for more audio).
  bool ActivityOver(int64_t begin_ns, int64_t end_ns, AudioActivity* out) const;
  int64_t latest_ns() const;  // end of the newest hop, or INT64_MIN when empty
  void Reset();

 private:
  struct Hop {
    int64_t start_ns;
    int16_t energy_q10;
    int32_t onset_q10;
  };
  std::vector<Hop> ring_;
  size_t head_ = 0;
  size_t size_ = 0;
};

struct SynchronyOutput {
  std::vector<float> attention;  // [grid_h * grid_w], row-major, sums to 1
  bool present = false;          // a visible sound source this frame (the gate)
  float x = 0.5f;                // soft-argmax position, normalized image coordinates
  float y = 0.5f;
  float confidence = 0.0f;  // 0..1
  float level_dbfs = -120.0f;
  float noise_floor_dbfs = -120.0f;
};

class SynchronyFusion {
 public:
  static std::unique_ptr<SynchronyFusion> Create(const SynchronyConfig& config, std::string* error);
  virtual ~SynchronyFusion() = default;
  // Appends one frame and computes the fusion over the last W frames (fewer during
  // warm-up). False with a one-line *error on a wrong token shape.
  virtual bool Push(const vision::PatchTokens& tokens, const AudioActivity& audio, SynchronyOutput* out,
                    std::string* error) = 0;
  virtual void Reset() = 0;
  virtual const SynchronyConfig& config() const = 0;
};

}  // namespace edgefuse::fusion
