// The tensors of the cross-attention block that an integer block quantizes, and their
// observed float ranges (min/max): what calibration produces and what the int8 and
// 16x8 blocks are created from. See calibration.h for how ranges are recorded.
//
//   edgefuse::core::AttentionRanges ranges;
//   ranges[edgefuse::core::AttentionTensor::kQuery].Update(query_values);
//   float lo = ranges[edgefuse::core::AttentionTensor::kScores].min;
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <span>

namespace edgefuse::core {

enum class AttentionTensor {
  kQuery,      // query input [Nq, E]
  kContext,    // context input [Nk, kdim]
  kQ,          // Q = query W_q^T + b_q  [Nq, E]
  kK,          // K = context W_k^T + b_k  [Nk, E]
  kV,          // V = context W_v^T + b_v  [Nk, E]
  kScores,     // Q_h K_h^T / sqrt(E / H) of every head, unmasked keys only [H, Nq, Nk]
  kAttention,  // concat_h softmax(scores_h) V_h, the input of out_proj [Nq, E]
  kOutput,     // the block's output [Nq, E]
};
inline constexpr size_t kAttentionTensorCount = 8;

// "query", "context", "q", "k", "v", "scores", "attention", "output".
const char* AttentionTensorName(AttentionTensor tensor);

struct TensorRange {
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();

  bool empty() const { return min > max; }
  // Widens the range to the finite values among `values` (infinities and NaN are
  // skipped: masked scores are -infinity).
  void Update(std::span<const float> values);
  void Update(const TensorRange& other);
};

struct AttentionRanges {
  std::array<TensorRange, kAttentionTensorCount> ranges;

  TensorRange& operator[](AttentionTensor t) { return ranges[static_cast<size_t>(t)]; }
  const TensorRange& operator[](AttentionTensor t) const { return ranges[static_cast<size_t>(t)]; }
};

}  // namespace edgefuse::core
