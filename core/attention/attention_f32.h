// The float32 cross-attention block: XNNPACK fully connected operators for the four
// projections and XNNPACK's softmax; QK^T and P·V with the f32_gemm kernel family
// (Debian's XNNPACK has no batch matmul); pthreadpool over heads and row tiles. It is
// the accuracy reference of the integer blocks and the calibration engine: an observer
// sees every tensor an integer block quantizes (ranges.h).
//
// Most users go through CrossAttention::Create with precision kF32; calibration
// (calibration.h) creates this class directly to attach an observer:
//
//   auto block = edgefuse::core::F32CrossAttention::Create(config, weights, &error);
//   block->set_observer(&observer);
//   block->Run(inputs, outputs, &error);
#pragma once

#include <memory>
#include <span>
#include <string>

#include "core/attention/attention.h"

namespace edgefuse::core {

struct F32AttentionState;  // operators, scratch and the current call (attention_f32.cc)

class AttentionObserver {
 public:
  virtual ~AttentionObserver() = default;
  // Called on the calling thread after each stage of a Run, once per tensor, with all
  // of its values (kScores: masked entries are -infinity).
  virtual void Observe(AttentionTensor tensor, std::span<const float> values) = 0;
};

class F32CrossAttention final : public CrossAttention {
 public:
  static std::unique_ptr<F32CrossAttention> Create(const AttentionConfig& config, const AttentionWeights& weights,
                                                   std::string* error);
  ~F32CrossAttention() override;

  // nullptr (the default) observes nothing and costs nothing.
  void set_observer(AttentionObserver* observer) { observer_ = observer; }
  std::string Describe() const override;

 protected:
  bool Compute(const AttentionInputs& inputs, int nq, int nk, const AttentionOutputs& outputs,
               std::string* error) override;

 private:
  F32CrossAttention(const AttentionConfig& config, std::vector<float> out_bias);

  std::unique_ptr<F32AttentionState> state_;
  AttentionObserver* observer_ = nullptr;
};

}  // namespace edgefuse::core
