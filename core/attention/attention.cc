#include "core/attention/attention.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "core/attention/attention_f32.h"
#include "core/attention/attention_int16.h"
#include "core/attention/attention_int8.h"

namespace edgefuse::core {
namespace {

bool Fail(const std::string& what, std::string* error) {
  *error = what;
  return false;
}

bool IsFinite(float v) { return (std::bit_cast<uint32_t>(v) & 0x7F800000u) != 0x7F800000u; }

// Any NaN or infinity in the inputs reaches every output it touches (x * 0 and
// inf - inf are NaN), so Run checks the few outputs, not the many inputs, and looks
// for the cause only when an output is not finite.
bool AllFinite(std::span<const float> values) {
  uint32_t bad = 0;
  for (float v : values) bad |= static_cast<uint32_t>(!IsFinite(v));
  return bad == 0;
}

bool CheckFinite(const char* what, std::span<const float> values, size_t row_length, std::string* error) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (IsFinite(values[i])) continue;
    return Fail(std::string(what) + " holds " + (std::isnan(values[i]) ? "NaN" : "an infinity") + " at [" +
                    std::to_string(i / row_length) + ", " + std::to_string(i % row_length) + "]",
                error);
  }
  return true;
}

std::string Shape(std::initializer_list<size_t> dims) {
  std::string text = "[";
  for (size_t d : dims) {
    if (text.size() > 1) text += ", ";
    text += std::to_string(d);
  }
  text += "]";
  return text;
}

bool CheckSize(const char* what, const std::vector<float>& values, size_t expected, const std::string& shape,
               std::string* error) {
  if (values.size() == expected) return true;
  return Fail(std::string("weights: ") + what + " has " + std::to_string(values.size()) + " values, expected " + shape,
              error);
}

}  // namespace

const char* AttentionPrecisionName(AttentionPrecision precision) {
  switch (precision) {
    case AttentionPrecision::kF32: return "f32";
    case AttentionPrecision::kInt8: return "int8";
    case AttentionPrecision::kInt16: return "int16";
  }
  return "?";
}

bool ParseAttentionPrecision(std::string_view text, AttentionPrecision* precision) {
  for (auto p : {AttentionPrecision::kF32, AttentionPrecision::kInt8, AttentionPrecision::kInt16}) {
    if (text == AttentionPrecisionName(p)) {
      *precision = p;
      return true;
    }
  }
  return false;
}

const char* AttentionTensorName(AttentionTensor tensor) {
  switch (tensor) {
    case AttentionTensor::kQuery: return "query";
    case AttentionTensor::kContext: return "context";
    case AttentionTensor::kQ: return "q";
    case AttentionTensor::kK: return "k";
    case AttentionTensor::kV: return "v";
    case AttentionTensor::kScores: return "scores";
    case AttentionTensor::kAttention: return "attention";
    case AttentionTensor::kOutput: return "output";
  }
  return "?";
}

void TensorRange::Update(std::span<const float> values) {
  float lo = min, hi = max;
  for (float v : values) {
    if (!(v - v == 0.0f)) continue;  // NaN or infinity
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  min = lo;
  max = hi;
}

void TensorRange::Update(const TensorRange& other) {
  if (other.empty()) return;
  min = std::min(min, other.min);
  max = std::max(max, other.max);
}

bool ValidateAttentionConfig(AttentionConfig* config, std::string* error) {
  if (config->kdim == 0) config->kdim = config->embed_dim;
  if (config->embed_dim < 1) return Fail("embed dim must be at least 1", error);
  if (config->num_heads < 1 || config->embed_dim % config->num_heads != 0) {
    return Fail("head count " + std::to_string(config->num_heads) + " does not divide embed dim " +
                    std::to_string(config->embed_dim),
                error);
  }
  if (config->kdim < 1) return Fail("kdim must be at least 1", error);
  if (config->max_query_tokens < 1 || config->max_context_tokens < 1) {
    return Fail("max_query_tokens and max_context_tokens must be at least 1", error);
  }
  if (config->threads < 1) return Fail("threads must be at least 1", error);
  return true;
}

bool ValidateAttentionWeights(const AttentionConfig& config, const AttentionWeights& w, std::string* error) {
  const auto e = static_cast<size_t>(config.embed_dim), k = static_cast<size_t>(config.kdim);
  if (w.embed_dim != config.embed_dim || w.kdim != config.kdim) {
    return Fail("weights are for E=" + std::to_string(w.embed_dim) + ", kdim=" + std::to_string(w.kdim) +
                    " but the block has E=" + std::to_string(config.embed_dim) +
                    ", kdim=" + std::to_string(config.kdim),
                error);
  }
  const std::string ee = Shape({e, e}), ek = Shape({e, k}), vec = Shape({e});
  return CheckSize("q_weight", w.q_weight, e * e, ee, error) && CheckSize("k_weight", w.k_weight, e * k, ek, error) &&
         CheckSize("v_weight", w.v_weight, e * k, ek, error) && CheckSize("q_bias", w.q_bias, e, vec, error) &&
         CheckSize("k_bias", w.k_bias, e, vec, error) && CheckSize("v_bias", w.v_bias, e, vec, error) &&
         CheckSize("out_weight", w.out_weight, e * e, ee, error) && CheckSize("out_bias", w.out_bias, e, vec, error);
}

CrossAttention::CrossAttention(const AttentionConfig& config, std::vector<float> out_bias)
    : config_(config), out_bias_(std::move(out_bias)) {}

std::unique_ptr<CrossAttention> CrossAttention::Create(const AttentionConfig& config, const AttentionWeights& weights,
                                                       const AttentionRanges* ranges, std::string* error) {
  switch (config.precision) {
    case AttentionPrecision::kF32: return F32CrossAttention::Create(config, weights, error);
    case AttentionPrecision::kInt8: return Int8CrossAttention::Create(config, weights, ranges, error);
    case AttentionPrecision::kInt16: return Int16CrossAttention::Create(config, weights, ranges, error);
  }
  *error = "unknown precision";
  return nullptr;
}

bool ValidateAttentionInputs(const AttentionConfig& config, const AttentionInputs& inputs, std::string* error) {
  const auto e = static_cast<size_t>(config.embed_dim), kdim = static_cast<size_t>(config.kdim);
  if (inputs.query.empty() || inputs.query.size() % e != 0) {
    return Fail("query has " + std::to_string(inputs.query.size()) +
                    " values, not a positive multiple of E=" + std::to_string(e),
                error);
  }
  if (inputs.context.empty() || inputs.context.size() % kdim != 0) {
    return Fail("context has " + std::to_string(inputs.context.size()) +
                    " values, not a positive multiple of kdim=" + std::to_string(kdim),
                error);
  }
  const size_t nq = inputs.query.size() / e, nk = inputs.context.size() / kdim;
  if (nq > static_cast<size_t>(config.max_query_tokens) || nk > static_cast<size_t>(config.max_context_tokens)) {
    return Fail(std::to_string(nq) + " query and " + std::to_string(nk) + " context tokens exceed the block's " +
                    std::to_string(config.max_query_tokens) + " and " + std::to_string(config.max_context_tokens),
                error);
  }
  if (!inputs.key_padding_mask.empty() && inputs.key_padding_mask.size() != nk) {
    return Fail("key padding mask has " + std::to_string(inputs.key_padding_mask.size()) + " entries for " +
                    std::to_string(nk) + " context tokens",
                error);
  }
  return true;
}

bool CheckAttentionInputsFinite(const AttentionConfig& config, const AttentionInputs& inputs, std::string* error) {
  return CheckFinite("query", inputs.query, static_cast<size_t>(config.embed_dim), error) &&
         CheckFinite("context", inputs.context, static_cast<size_t>(config.kdim), error);
}

bool CrossAttention::Run(const AttentionInputs& inputs, const AttentionOutputs& outputs, std::string* error) {
  const auto e = static_cast<size_t>(config_.embed_dim), kdim = static_cast<size_t>(config_.kdim);
  const auto heads = static_cast<size_t>(config_.num_heads);
  if (!ValidateAttentionInputs(config_, inputs, error)) return false;
  const size_t nq = inputs.query.size() / e, nk = inputs.context.size() / kdim;
  if (outputs.out.size() != nq * e) {
    return Fail(
        "output has room for " + std::to_string(outputs.out.size()) + " values, needs " + std::to_string(nq * e),
        error);
  }
  const size_t weight_count = nq * nk * (outputs.per_head ? heads : 1);
  if (!outputs.weights.empty() && outputs.weights.size() != weight_count) {
    return Fail("attention weights output has room for " + std::to_string(outputs.weights.size()) + " values, needs " +
                    std::to_string(weight_count),
                error);
  }
  const bool all_masked =
      !inputs.key_padding_mask.empty() &&
      std::all_of(inputs.key_padding_mask.begin(), inputs.key_padding_mask.end(), [](uint8_t m) { return m != 0; });
  if (all_masked) {
    // The documented rule for a row with no key to attend to: zero weights, so a
    // zero attention output and out_proj.bias as the block output.
    if (!CheckAttentionInputsFinite(config_, inputs, error)) return false;
    for (size_t i = 0; i < nq; ++i) std::copy(out_bias_.begin(), out_bias_.end(), outputs.out.begin() + i * e);
    std::fill(outputs.weights.begin(), outputs.weights.end(), 0.0f);
    return true;
  }
  if (!Compute(inputs, static_cast<int>(nq), static_cast<int>(nk), outputs, error)) return false;
  if (!AllFinite(outputs.out)) {
    if (!CheckAttentionInputsFinite(config_, inputs, error)) return false;
    return Fail("the output overflowed to infinity or NaN (inputs or weights too large for float32)", error);
  }
  return true;
}

}  // namespace edgefuse::core
