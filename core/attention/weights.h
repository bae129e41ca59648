// nn.MultiheadAttention weights from a .safetensors file holding its state_dict():
//
//   in_proj_weight [3E, E]  (or q_proj_weight [E, E], k_proj_weight [E, kdim],
//                            v_proj_weight [E, vdim] when kdim/vdim differ from E)
//   in_proj_bias   [3E]     (absent when the module has bias=False)
//   out_proj.weight [E, E], out_proj.bias [E] (absent with bias=False)
//
// E comes from out_proj.weight. Keys and values both come from one context here, so
// vdim must equal kdim. The head count comes from the caller or from the file's
// "__metadata__" {"num_heads": "8"}; when both are given they must agree. Tensors may be
// F32, F16, BF16 or F64. Anything else (another name such as bias_k from add_bias_kv, a
// wrong shape, a NaN) is a one-line error.
//
//   edgefuse::core::AttentionWeights weights;
//   int heads = 0;  // or the caller's --heads
//   if (!edgefuse::core::AttentionWeightsFromSafetensors(file, &heads, &weights, &error)) { ... }
#pragma once

#include <string>

#include "core/attention/attention.h"
#include "core/format/safetensors.h"

namespace edgefuse::core {

// *num_heads: in, the caller's head count or 0; out, the head count to use.
bool AttentionWeightsFromSafetensors(const SafetensorsFile& file, int* num_heads, AttentionWeights* weights,
                                     std::string* error);

}  // namespace edgefuse::core
