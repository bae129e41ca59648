#include "core/attention/quantized_weights.h"

#include <cassert>

namespace edgefuse::core {
namespace {

QuantizedProjection Quantize(const std::vector<float>& weight, const std::vector<float>& bias, int rows, int cols,
                             float input_scale, AttentionPrecision precision) {
  QuantizedProjection p;
  p.rows = rows;
  p.cols = cols;
  p.weight = QuantizePerChannelInt8(weight, static_cast<size_t>(rows), static_cast<size_t>(cols));
  p.input_scale = input_scale;
  if (precision == AttentionPrecision::kInt16) {
    p.bias64 = QuantizeBiasInt64(bias, input_scale, p.weight.scales);
  } else {
    p.bias32 = QuantizeBiasInt32(bias, input_scale, p.weight.scales);
  }
  return p;
}

}  // namespace

QuantizedAttentionWeights QuantizeAttentionWeights(const AttentionWeights& w, const AttentionQuantParams& act,
                                                   AttentionPrecision precision) {
  assert(precision != AttentionPrecision::kF32);
  const int e = w.embed_dim, kdim = w.kdim;
  QuantizedAttentionWeights q;
  q.q = Quantize(w.q_weight, w.q_bias, e, e, act[AttentionTensor::kQuery].scale, precision);
  q.k = Quantize(w.k_weight, w.k_bias, e, kdim, act[AttentionTensor::kContext].scale, precision);
  q.v = Quantize(w.v_weight, w.v_bias, e, kdim, act[AttentionTensor::kContext].scale, precision);
  q.out = Quantize(w.out_weight, w.out_bias, e, e, act[AttentionTensor::kAttention].scale, precision);
  return q;
}

}  // namespace edgefuse::core
