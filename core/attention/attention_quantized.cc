#include "core/attention/attention_quantized.h"

#include <cstdio>

namespace edgefuse::core::internal {

bool UsableQuantParams(const AttentionRanges& ranges, AttentionPrecision precision, AttentionQuantParams* params,
                       std::string* error) {
  *params = ChooseAttentionQuantParams(ranges, precision);
  for (size_t t = 0; t < kAttentionTensorCount; ++t) {
    const TensorRange& range = ranges.ranges[t];
    QuantParams& p = params->params[t];
    if (!range.empty() && !(std::isfinite(range.min) && std::isfinite(range.max) && std::isfinite(p.scale))) {
      char shown[64];
      std::snprintf(shown, sizeof shown, "[%g, %g]", range.min, range.max);
      *error = std::string("the ") + AttentionTensorName(static_cast<AttentionTensor>(t)) + " range " + shown +
               " has no finite " + AttentionPrecisionName(precision) + " scale (ranges must be finite, at most " +
               "about 1e38 wide)";
      return false;
    }
    if (!(p.scale > 0.0f)) p = {.scale = 1.0f, .zero_point = 0};
  }
  return true;
}

namespace {

void FixProjection(const std::vector<float>& bias, QuantizedProjection* p) {
  for (size_t c = 0; c < p->weight.scales.size(); ++c) {
    if (p->weight.scales[c] > 0.0f) continue;
    p->weight.scales[c] = 1.0f;
    const std::span<const float> one_bias(&bias[c], 1), one_scale(&p->weight.scales[c], 1);
    if (!p->bias32.empty()) p->bias32[c] = QuantizeBiasInt32(one_bias, p->input_scale, one_scale)[0];
    if (!p->bias64.empty()) p->bias64[c] = QuantizeBiasInt64(one_bias, p->input_scale, one_scale)[0];
  }
}

}  // namespace

void FixZeroWeightScales(const AttentionWeights& weights, QuantizedAttentionWeights* q) {
  FixProjection(weights.q_bias, &q->q);
  FixProjection(weights.k_bias, &q->k);
  FixProjection(weights.v_bias, &q->v);
  FixProjection(weights.out_bias, &q->out);
}

}  // namespace edgefuse::core::internal
