// The block's float weights quantized at load for the integer precisions (TFLite rules,
// core/quant/quantize.h): every projection's weight symmetric int8 per output channel;
// its bias int32 (int8 path) or int64 (16x8 path) at the scale input x weight channel,
// where the input is the query for q_proj, the context for k_proj and v_proj, and the
// attention output for out_proj (activation parameters from calibration.h).
//
//   edgefuse::core::AttentionQuantParams act = edgefuse::core::ChooseAttentionQuantParams(ranges, precision);
//   edgefuse::core::QuantizedAttentionWeights qw = edgefuse::core::QuantizeAttentionWeights(weights, act, precision);
//   // qw.k.weight.values [E, kdim] int8, qw.k.weight.scales [E], qw.k.bias32 [E]
#pragma once

#include <cstdint>
#include <vector>

#include "core/attention/attention.h"
#include "core/attention/calibration.h"
#include "core/quant/quantize.h"

namespace edgefuse::core {

struct QuantizedProjection {
  int rows = 0, cols = 0;  // [out_features, in_features]
  PerChannelInt8 weight;
  float input_scale = 0.0f;
  std::vector<int32_t> bias32;  // precision int8
  std::vector<int64_t> bias64;  // precision int16 (16x8)
};

struct QuantizedAttentionWeights {
  QuantizedProjection q, k, v, out;
};

// precision must be kInt8 or kInt16.
QuantizedAttentionWeights QuantizeAttentionWeights(const AttentionWeights& weights,
                                                   const AttentionQuantParams& activations,
                                                   AttentionPrecision precision);

}  // namespace edgefuse::core
