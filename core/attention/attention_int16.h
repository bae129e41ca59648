// The 16x8 cross-attention block (TFLite 16x8 arithmetic, core/ops): int16 activations
// (symmetric, from calibrated ranges), int8 per-channel weights, int64 biases, an int16
// softmax by TFLite's lookup tables with int16 probabilities, float
// output. Created through CrossAttention::Create with precision kInt16:
//
//   config.precision = edgefuse::core::AttentionPrecision::kInt16;
//   auto block = edgefuse::core::CrossAttention::Create(config, weights, &ranges, &error);
#pragma once

#include <memory>
#include <string>

#include "core/attention/attention.h"
#include "core/attention/ranges.h"

namespace edgefuse::core {

struct Int16AttentionState;  // attention_int16.cc

class Int16CrossAttention final : public CrossAttention {
 public:
  // ranges: the activation ranges (calibration.h); required.
  static std::unique_ptr<Int16CrossAttention> Create(const AttentionConfig& config, const AttentionWeights& weights,
                                                     const AttentionRanges* ranges, std::string* error);
  ~Int16CrossAttention() override;
  std::string Describe() const override;

 protected:
  bool Compute(const AttentionInputs& inputs, int nq, int nk, const AttentionOutputs& outputs,
               std::string* error) override;

 private:
  Int16CrossAttention(const AttentionConfig& config, std::vector<float> out_bias);
  std::unique_ptr<Int16AttentionState> state_;
};

}  // namespace edgefuse::core
