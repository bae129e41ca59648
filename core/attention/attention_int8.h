// The int8 cross-attention block (TFLite int8 arithmetic, core/ops): int8 activations
// (asymmetric, from calibrated ranges), int8 per-channel weights, int32 biases, an int8
// softmax input with int16 probabilities (README.md, "Integer precisions"), float
// output. Created through CrossAttention::Create with precision kInt8:
//
//   config.precision = edgefuse::core::AttentionPrecision::kInt8;
//   auto block = edgefuse::core::CrossAttention::Create(config, weights, &ranges, &error);
#pragma once

#include <memory>
#include <string>

#include "core/attention/attention.h"
#include "core/attention/ranges.h"

namespace edgefuse::core {

struct Int8AttentionState;  // attention_int8.cc

class Int8CrossAttention final : public CrossAttention {
 public:
  // ranges: the activation ranges (calibration.h); required.
  static std::unique_ptr<Int8CrossAttention> Create(const AttentionConfig& config, const AttentionWeights& weights,
                                                    const AttentionRanges* ranges, std::string* error);
  ~Int8CrossAttention() override;
  std::string Describe() const override;

 protected:
  bool Compute(const AttentionInputs& inputs, int nq, int nk, const AttentionOutputs& outputs,
               std::string* error) override;

 private:
  Int8CrossAttention(const AttentionConfig& config, std::vector<float> out_bias);
  std::unique_ptr<Int8AttentionState> state_;
};

}  // namespace edgefuse::core
