#include "core/attention/calibration.h"

#include <algorithm>
#include <map>

#include "core/attention/calibration_reference.h"
#include "core/attention/npy_inputs.h"
#include "platform/file.h"

namespace edgefuse::core {
namespace {

bool Fail(const std::string& what, std::string* error) {
  *error = what;
  return false;
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
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

bool ReadCalibrationDirectory(const std::string& directory, int64_t embed_dim, int64_t kdim, CalibrationSet* set,
                              std::string* error) {
  std::vector<std::string> names;
  if (!platform::ListDirectory(directory, &names, error)) return false;
  struct Files {
    std::string query, context, mask;
  };
  std::map<std::string, Files> by_id;
  const std::string prefix = directory.empty() || directory.back() == '/' ? directory : directory + "/";
  for (const std::string& name : names) {
    for (auto [suffix, member] : {std::pair{"_query.npy", &Files::query}, std::pair{"_context.npy", &Files::context},
                                  std::pair{"_mask.npy", &Files::mask}}) {
      if (EndsWith(name, suffix)) by_id[name.substr(0, name.size() - std::string(suffix).size())].*member = name;
    }
  }
  CalibrationSet loaded;
  for (const auto& [id, files] : by_id) {
    if (files.query.empty() || files.context.empty()) {
      // Name a file of the pair that is there (the mask when it is alone).
      const std::string& present = !files.query.empty()     ? files.query
                                   : !files.context.empty() ? files.context
                                                            : files.mask;
      std::string message = prefix;
      message += present;
      message += ": calibration pair '" + id + "' lacks its ";
      message += files.query.empty() ? "_query.npy" : "_context.npy";
      return Fail(message, error);
    }
    NpyArray array;
    std::vector<float> query, context;
    std::vector<uint8_t> mask;
    int64_t nq = 0, nk = 0;
    const std::string query_path = prefix + files.query, context_path = prefix + files.context;
    if (!ReadNpyFile(query_path, &array, error) ||
        !TokensFromNpy(array, query_path, "query", embed_dim, "E", &query, &nq, error) ||
        !ReadNpyFile(context_path, &array, error) ||
        !TokensFromNpy(array, context_path, "context", kdim, "kdim", &context, &nk, error)) {
      return false;
    }
    if (!files.mask.empty()) {
      const std::string mask_path = prefix + files.mask;
      if (!ReadNpyFile(mask_path, &array, error) || !MaskFromNpy(array, mask_path, nk, &mask, error)) return false;
    }
    loaded.ids.push_back(id);
    loaded.queries.push_back(std::move(query));
    loaded.contexts.push_back(std::move(context));
    loaded.masks.push_back(std::move(mask));
  }
  if (loaded.ids.empty()) {
    return Fail(directory + ": no calibration pairs (<id>_query.npy with <id>_context.npy) in this directory", error);
  }
  *set = std::move(loaded);
  return true;
}

}  // namespace edgefuse::core
