// The float64 reference of the cross-attention block: the formula of
// core/attention/attention.h in plain loops and double precision, with the same
// all-masked rule (zero weights, output = out_proj.bias). Tests measure the float
// block against it.
//
//   edgefuse::testing::ReferenceResult ref = edgefuse::testing::ReferenceAttention(weights, 8, q, c, mask);
//   double err = edgefuse::testing::MaxRelativeError(out, ref.out);
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "core/attention/attention.h"

namespace edgefuse::testing {

struct ReferenceResult {
  std::vector<double> out;       // [Nq, E]
  std::vector<double> weights;   // [H, Nq, Nk]
  std::vector<double> averaged;  // [Nq, Nk]
};

ReferenceResult ReferenceAttention(const core::AttentionWeights& weights, int num_heads, std::span<const float> query,
                                   std::span<const float> context, std::span<const uint8_t> key_padding_mask);

// The accuracy measure of the docs: max_i |got_i - want_i| / max_i |want_i|.
double MaxRelativeError(std::span<const float> got, std::span<const double> want);
double MaxAbsoluteError(std::span<const float> got, std::span<const double> want);

// Weights drawn like PyTorch's nn.MultiheadAttention initialisation (xavier_uniform_
// in_proj / q,k,v_proj, kaiming-uniform out_proj), with biases drawn from
// U(-0.1, 0.1) rather than PyTorch's zeros so that the biases are exercised.
core::AttentionWeights RandomAttentionWeights(std::mt19937_64& rng, int embed_dim, int kdim);

// N(0, 1) values.
std::vector<float> RandomNormal(std::mt19937_64& rng, size_t count);

}  // namespace edgefuse::testing
