#include "core/attention/calibration.h"

#include <algorithm>

#include "core/attention/calibration_reference.h"

namespace edgefuse::core {
namespace {

bool Fail(const std::string& what, std::string* error) {
  *error = what;
  return false;
}

}  // namespace

bool CalibrateAttention(const AttentionConfig& config_in, const AttentionWeights& weights,
                        std::span<const CalibrationSample> samples, AttentionRanges* ranges, std::string* error) {
  if (samples.empty()) return Fail("calibration set is empty", error);
  AttentionConfig config = config_in;
  config.precision = AttentionPrecision::kF32;
  if (config.kdim == 0) config.kdim = config.embed_dim;
  if (config.embed_dim < 1 || config.kdim < 1) return Fail("embed dim and kdim must be at least 1", error);
  const auto e = static_cast<size_t>(config.embed_dim), kdim = static_cast<size_t>(config.kdim);
  config.max_query_tokens = 1;
  config.max_context_tokens = 1;
  for (const auto& sample : samples) {
    config.max_query_tokens = std::max(config.max_query_tokens, static_cast<int>(sample.query.size() / e));
    config.max_context_tokens = std::max(config.max_context_tokens, static_cast<int>(sample.context.size() / kdim));
  }
  if (!ValidateAttentionConfig(&config, error) || !ValidateAttentionWeights(config, weights, error)) return false;
  RangeObserver observer;
  for (size_t i = 0; i < samples.size(); ++i) {
    const auto& sample = samples[i];
    const AttentionInputs inputs{sample.query, sample.context, sample.key_padding_mask};
    if (!ValidateAttentionInputs(config, inputs, error) || !CheckAttentionInputsFinite(config, inputs, error)) {
      *error = "calibration sample " + std::to_string(i) + ": " + *error;
      return false;
    }
    // A sample whose keys are all masked runs no attention (CrossAttention::Run): it
    // adds no range.
    const auto& mask = sample.key_padding_mask;
    if (!mask.empty() && std::all_of(mask.begin(), mask.end(), [](uint8_t m) { return m != 0; })) continue;
    ObserveReferenceAttention(weights, config.embed_dim, config.kdim, config.num_heads, sample, &observer);
  }
  AttentionRanges observed = observer.ranges();
  TensorRange& scores = observed[AttentionTensor::kScores];
  if (!scores.empty()) scores.max += kScoresHeadroom * (scores.max - scores.min);
  for (size_t t = 0; t < kAttentionTensorCount; ++t) ranges->ranges[t].Update(observed.ranges[t]);
  return true;
}

AttentionQuantParams ChooseAttentionQuantParams(const AttentionRanges& ranges, AttentionPrecision precision) {
  AttentionQuantParams params;
  for (size_t t = 0; t < kAttentionTensorCount; ++t) {
    const TensorRange& range = ranges.ranges[t];
    const float lo = range.empty() ? 0.0f : range.min, hi = range.empty() ? 0.0f : range.max;
    params.params[t] = precision == AttentionPrecision::kInt16 ? ChooseInt16Params(lo, hi) : ChooseInt8Params(lo, hi);
  }
  return params;
}

std::vector<CalibrationSample> CalibrationSet::Samples() const {
  std::vector<CalibrationSample> samples;
  for (size_t i = 0; i < ids.size(); ++i) samples.push_back({queries[i], contexts[i], masks[i]});
  return samples;
}

}  // namespace edgefuse::core
