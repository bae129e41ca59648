#include "core/attention/attention_int16.h"

#include "core/attention/attention_quantized.h"

namespace edgefuse::core {

namespace {

struct Int16Traits {
  using Act = int16_t;
  using Prob = int16_t;
  using Fc = ops::FullyConnectedQs16;
  using Qk = ops::BatchMatmulQs16;
  using Softmax = ops::SoftmaxQs16;  // TFLite's 513-entry lookup tables
  using Pv = ops::BatchMatmulQs16;
  static constexpr AttentionPrecision kPrecision = AttentionPrecision::kInt16;
  static constexpr size_t kMaxKeys = 65536;  // the int16 softmax's row limit
  static constexpr float kProbScale = 1.0f / 32768;
  static constexpr int32_t kProbZeroPoint = 0;
  static const std::vector<int64_t>& Bias(const QuantizedProjection& p) { return p.bias64; }
  static bool QuantizeValues(std::span<const float> values, QuantParams params, int16_t* out) {
    return QuantizeInt16Values(values, params, out);
  }
};

}  // namespace

struct Int16AttentionState : internal::QuantizedAttention<Int16Traits> {};

Int16CrossAttention::Int16CrossAttention(const AttentionConfig& config, std::vector<float> out_bias)
    : CrossAttention(config, std::move(out_bias)), state_(std::make_unique<Int16AttentionState>()) {}

Int16CrossAttention::~Int16CrossAttention() = default;

std::unique_ptr<Int16CrossAttention> Int16CrossAttention::Create(const AttentionConfig& config_in,
                                                                 const AttentionWeights& weights,
                                                                 const AttentionRanges* ranges, std::string* error) {
  AttentionConfig config = config_in;
  config.precision = AttentionPrecision::kInt16;
  if (!ValidateAttentionConfig(&config, error) || !ValidateAttentionWeights(config, weights, error)) return nullptr;
  std::unique_ptr<Int16CrossAttention> block(new Int16CrossAttention(config, weights.out_bias));
  if (!block->state_->Init(config, weights, ranges, error)) return nullptr;
  return block;
}

std::string Int16CrossAttention::Describe() const { return state_->Describe(config()); }

bool Int16CrossAttention::Compute(const AttentionInputs& inputs, int nq, int nk, const AttentionOutputs& outputs,
                                  std::string* /*error*/) {
  state_->Compute(inputs, static_cast<size_t>(nq), static_cast<size_t>(nk), outputs);
  return true;
}

}  // namespace edgefuse::core
