// The multi-head cross-attention block (DESIGN.md §3): PyTorch nn.MultiheadAttention
// semantics, batch first, one batch element per call.
//
//   Q = query W_q^T + b_q        query   [Nq, E]
//   K = context W_k^T + b_k      context [Nk, kdim]; keys and values both come from it
//   V = context W_v^T + b_v
//   P_h = softmax(Q_h K_h^T / sqrt(E / H) + mask)     per head h, Q_h = Q[:, h*d:(h+1)*d]
//   out = concat_h(P_h V_h) W_o^T + b_o               [Nq, E]
//
// The key padding mask is PyTorch's bool mask: a nonzero byte at key j means "ignore
// key j" (its score is -infinity, its weight exactly 0). When every key is masked,
// PyTorch returns NaN; here the rule, the same for every precision, is: all attention
// weights are 0, so the attention output is 0 and every output row is out_proj.bias.
//
// Attention weights, when asked for: per head [H, Nq, Nk], or averaged over heads
// [Nq, Nk] (PyTorch's default average_attn_weights=True: the sum over heads / H).
//
// Create prepares everything once (XNNPACK operators with packed weights, the kernel
// choice, scratch for max_query_tokens x max_context_tokens); Run allocates nothing,
// except that the float path re-creates XNNPACK's softmax operator (which is built for
// one row length) when Nk differs from the previous call's. Results are bit-identical
// for any `threads`. A block is not safe to Run from two threads at once.
//
//   edgefuse::core::AttentionConfig config{.embed_dim = 256, .num_heads = 8, .kdim = 256,
//                                         .max_query_tokens = 64, .max_context_tokens = 256};
//   std::string error;
//   auto block = edgefuse::core::CrossAttention::Create(config, weights, nullptr, &error);
//   if (!block) { ... one-line error ... }
//   if (!block->Run({.query = q, .context = c}, {.out = out, .weights = attn}, &error)) { ... }
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/attention/ranges.h"
#include "core/dispatch/dispatch.h"

namespace edgefuse::core {

enum class AttentionPrecision { kF32, kInt8, kInt16 };

const char* AttentionPrecisionName(AttentionPrecision precision);  // "f32", "int8", "int16"
bool ParseAttentionPrecision(std::string_view text, AttentionPrecision* precision);

struct AttentionConfig {
  int embed_dim = 0;  // E
  int num_heads = 0;  // H, must divide E
  int kdim = 0;       // features per context token (PyTorch's kdim == vdim); 0 means E
  // Capacity: Run accepts 1..max tokens of each.
  int max_query_tokens = 0;
  int max_context_tokens = 0;
  AttentionPrecision precision = AttentionPrecision::kF32;
  int threads = 1;  // pthreadpool threads; 1 runs on the calling thread
  // Highest kernel tier to use; EDGEFUSE_MAX_TIER and the CPU may lower it further.
  Tier tier_cap = Tier::kNeonDot;
};

// Float weights in PyTorch's layout (nn.Linear: [out_features, in_features]).
struct AttentionWeights {
  int embed_dim = 0;
  int kdim = 0;
  std::vector<float> q_weight, k_weight, v_weight;  // [E, E], [E, kdim], [E, kdim]
  std::vector<float> q_bias, k_bias, v_bias;        // [E] each (zeros for bias=False)
  std::vector<float> out_weight;                    // [E, E]
  std::vector<float> out_bias;                      // [E]
};

struct AttentionInputs {
  std::span<const float> query;    // [Nq, E], Nq = size / E
  std::span<const float> context;  // [Nk, kdim], Nk = size / kdim
  // Empty, or [Nk] bytes: nonzero = ignore this key.
  std::span<const uint8_t> key_padding_mask;
};

struct AttentionOutputs {
  std::span<float> out;      // [Nq, E]
  std::span<float> weights;  // empty (not computed), [Nq, Nk], or [H, Nq, Nk] if per_head
  bool per_head = false;
};

class CrossAttention {
 public:
  // The block for config.precision. `ranges` (from calibration.h) give the activation
  // ranges the integer precisions quantize with; the float block ignores them. Returns
  // nullptr with a one-line *error on an invalid config or mismatched weights, or for
  // an integer precision without ranges.
  static std::unique_ptr<CrossAttention> Create(const AttentionConfig& config, const AttentionWeights& weights,
                                                const AttentionRanges* ranges, std::string* error);
  virtual ~CrossAttention() = default;

  // Checks shapes (Nq, Nk within capacity, sizes multiples of E and kdim, mask and
  // weights sizes), computes, and checks that the output is finite. On bad input
  // returns false with a one-line *error: a wrong shape leaves the outputs untouched;
  // a NaN or infinity in the inputs (named with its position) or an overflow leaves
  // them unspecified.
  bool Run(const AttentionInputs& inputs, const AttentionOutputs& outputs, std::string* error);

  const AttentionConfig& config() const { return config_; }
  int head_dim() const { return config_.embed_dim / config_.num_heads; }
  // What runs, e.g. "f32: XNNPACK fully connected + softmax, f32_gemm_8x8 (neon), 2 threads".
  virtual std::string Describe() const = 0;

 protected:
  CrossAttention(const AttentionConfig& config, std::vector<float> out_bias);
  // Inputs are checked and at least one key is unmasked. False (with *error) only when
  // a resource fails (memory for a re-created operator), never for the inputs' values.
  virtual bool Compute(const AttentionInputs& inputs, int nq, int nk, const AttentionOutputs& outputs,
                       std::string* error) = 0;

 private:
  AttentionConfig config_;
  std::vector<float> out_bias_;  // the output of an all-masked row
};

// Checks a config (E, H, kdim, capacities, threads) and completes kdim = 0 to E.
bool ValidateAttentionConfig(AttentionConfig* config, std::string* error);
// Checks that weights have the config's shapes.
bool ValidateAttentionWeights(const AttentionConfig& config, const AttentionWeights& weights, std::string* error);
// Checks the inputs of one call against a config: query [Nq, E] and context [Nk, kdim]
// within the capacities, a key padding mask of Nk entries or none.
bool ValidateAttentionInputs(const AttentionConfig& config, const AttentionInputs& inputs, std::string* error);
// Names the first NaN or infinity of the query or the context ("query holds NaN at [2, 5]").
bool CheckAttentionInputsFinite(const AttentionConfig& config, const AttentionInputs& inputs, std::string* error);

}  // namespace edgefuse::core
