// Calibration for the integer attention blocks: compute the block over a calibration
// set and record the min/max of every tensor an integer block quantizes (ranges.h),
// then turn the ranges into TFLite-style quantization parameters (core/quant).
//
// A calibration set on disk (a directory of .npy pairs) is read by firmware/files
// (ReadCalibrationDirectory). Without a calibration set, the ranges come from the
// inputs being processed: calibrate on them as a set of one.
//
//   edgefuse::core::CalibrationSet set;   // e.g. from edgefuse::files::ReadCalibrationDirectory
//   edgefuse::core::AttentionRanges ranges;
//   if (!edgefuse::core::CalibrateAttention(config, weights, set.Samples(), &ranges, &error)) { ... }
//   edgefuse::core::AttentionQuantParams params =
//       edgefuse::core::ChooseAttentionQuantParams(ranges, edgefuse::core::AttentionPrecision::kInt8);
//   auto block = edgefuse::core::CrossAttention::Create(int8_config, weights, &ranges, &error);
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/attention/attention.h"
#include "core/attention/attention_f32.h"
#include "core/attention/ranges.h"
#include "core/quant/quantize.h"

namespace edgefuse::core {

struct CalibrationSample {
  std::span<const float> query;               // [Nq, E]
  std::span<const float> context;             // [Nk, kdim]
  std::span<const uint8_t> key_padding_mask;  // empty or [Nk]
};

// An observer that widens one range per tensor.
class RangeObserver final : public AttentionObserver {
 public:
  void Observe(AttentionTensor tensor, std::span<const float> values) override { ranges_[tensor].Update(values); }
  const AttentionRanges& ranges() const { return ranges_; }

 private:
  AttentionRanges ranges_;
};

// Computes the block (config's E, H, kdim; capacity from the samples) in float64 on
// every sample (calibration_reference.h: the same ranges on every CPU) and widens
// *ranges (start from AttentionRanges{} for fresh ranges). Fails on an empty set or a
// sample the block would reject ("calibration sample 3: ...").
//
// Every range is the observed min/max, except that the scores' upper end gets
// kScoresHeadroom of the observed scores range on top: a later input whose largest
// score lies beyond the calibrated maximum would have it clipped, and the largest
// attention weights of its row with it (seen in 2 of 30 seeded accuracy runs: per-head
// weight error 0.0127 and 0.0114 instead of about 0.001). The lower end needs none: a
// clipped low score only loses a weight that is already near 0.
inline constexpr float kScoresHeadroom = 0.125f;

bool CalibrateAttention(const AttentionConfig& config, const AttentionWeights& weights,
                        std::span<const CalibrationSample> samples, AttentionRanges* ranges, std::string* error);

// Quantization parameters per tensor: int8 asymmetric, or int16 symmetric, from each
// range (an empty range, e.g. scores when every key was masked, gives [0, 0]).
struct AttentionQuantParams {
  std::array<QuantParams, kAttentionTensorCount> params;

  QuantParams& operator[](AttentionTensor t) { return params[static_cast<size_t>(t)]; }
  const QuantParams& operator[](AttentionTensor t) const { return params[static_cast<size_t>(t)]; }
};
AttentionQuantParams ChooseAttentionQuantParams(const AttentionRanges& ranges, AttentionPrecision precision);

// A calibration set, owning its tensors (firmware/files reads one from a directory).
struct CalibrationSet {
  std::vector<std::string> ids;
  std::vector<std::vector<float>> queries, contexts;
  std::vector<std::vector<uint8_t>> masks;  // empty vector = no mask

  std::vector<CalibrationSample> Samples() const;
};

}  // namespace edgefuse::core
