#include "core/attention/attention_int8.h"

#include "core/attention/attention_quantized.h"

namespace edgefuse::core {

namespace {

struct Int8Traits {
  using Act = int8_t;
  using Prob = int16_t;
  using Fc = ops::FullyConnectedQs8;
  using Qk = ops::BatchMatmulQs8;
  // int8 -> int16: an int8 probability has 1/256 resolution, and with a few hundred
  // keys most weights would be one or two steps (README.md, "Integer precisions").
  using Softmax = ops::SoftmaxQs8Qs16;
  using Pv = ops::BatchMatmulQs16Qs8;
  static constexpr AttentionPrecision kPrecision = AttentionPrecision::kInt8;
  static constexpr size_t kMaxKeys = 4095;  // the int8-input softmax's row limit
  static constexpr float kProbScale = 1.0f / 65536;
  static constexpr int32_t kProbZeroPoint = -32768;
  static const std::vector<int32_t>& Bias(const QuantizedProjection& p) { return p.bias32; }
  static bool QuantizeValues(std::span<const float> values, QuantParams params, int8_t* out) {
    return QuantizeInt8Values(values, params, out);
  }
};

}  // namespace

struct Int8AttentionState : internal::QuantizedAttention<Int8Traits> {};

Int8CrossAttention::Int8CrossAttention(const AttentionConfig& config, std::vector<float> out_bias)
    : CrossAttention(config, std::move(out_bias)), state_(std::make_unique<Int8AttentionState>()) {}

Int8CrossAttention::~Int8CrossAttention() = default;

std::unique_ptr<Int8CrossAttention> Int8CrossAttention::Create(const AttentionConfig& config_in,
                                                               const AttentionWeights& weights,
                                                               const AttentionRanges* ranges, std::string* error) {
  AttentionConfig config = config_in;
  config.precision = AttentionPrecision::kInt8;
  if (!ValidateAttentionConfig(&config, error) || !ValidateAttentionWeights(config, weights, error)) return nullptr;
  std::unique_ptr<Int8CrossAttention> block(new Int8CrossAttention(config, weights.out_bias));
  if (!block->state_->Init(config, weights, ranges, error)) return nullptr;
  return block;
}

std::string Int8CrossAttention::Describe() const { return state_->Describe(config()); }

bool Int8CrossAttention::Compute(const AttentionInputs& inputs, int nq, int nk, const AttentionOutputs& outputs,
                                 std::string* /*error*/) {
  state_->Compute(inputs, static_cast<size_t>(nq), static_cast<size_t>(nk), outputs);
  return true;
}

}  // namespace edgefuse::core
