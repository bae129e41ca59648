#include "core/attention/attention_f32.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/kernels/f32_gemm/f32_gemm.h"
#include "core/kernels/x32_transpose/x32_transpose.h"
#include "core/xnnpack/runtime.h"

namespace edgefuse::core {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

struct XnnOperatorDeleter {
  void operator()(xnn_operator_t op) const { xnn_delete_operator(op); }
};
using XnnOperator = std::unique_ptr<xnn_operator, XnnOperatorDeleter>;

struct ThreadPoolDeleter {
  void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
};
using ThreadPool = std::unique_ptr<pthreadpool, ThreadPoolDeleter>;

XnnOperator CreateFullyConnected(size_t in, size_t out, const std::vector<float>& weight,
                                 const std::vector<float>& bias, const char* name, std::string* error) {
  xnn_operator_t op = nullptr;
  const xnn_status status =
      xnn_create_fully_connected_nc_f32(in, out, in, out, weight.data(), bias.data(), -kInf, kInf, 0, &op);
  if (status != xnn_status_success) {
    *error = std::string("XNNPACK cannot create the ") + name + " fully connected operator (status " +
             std::to_string(static_cast<int>(status)) + ")";
    return nullptr;
  }
  return XnnOperator(op);
}

}  // namespace

struct F32AttentionState {
  size_t e = 0, kdim = 0, heads = 0, d = 0;
  float scale = 1.0f;  // 1 / sqrt(d)
  XnnOperator q_proj, k_proj, v_proj, out_proj, softmax;
  size_t softmax_channels = 0;
  ThreadPool pool;
  const KernelEntry<F32GemmKernel>* gemm = nullptr;
  const KernelEntry<X32TransposeFn>* transpose = nullptr;
  size_t rows_per_task = 8;

  // Scratch for the largest call, reused by every Run.
  std::vector<float> q, k, v;  // [Nq, E], [Nk, E], [Nk, E]
  std::vector<float> kt;       // [H, d, Nk]: each head's K transposed, the B operand of QK^T
  std::vector<float> scores;   // [H, Nq, Nk]; softmax runs in place unless per-head weights are wanted
  std::vector<float> attn;     // [Nq, E]: concat_h P_h V_h
  std::vector<uint32_t> masked;

  // The current call, read by the thread-pool tasks.
  size_t nq = 0, nk = 0, masked_count = 0;
  float* probs = nullptr;     // [H, Nq, Nk]
  float* averaged = nullptr;  // [Nq, Nk] or nullptr

  bool EnsureSoftmax(size_t channels) {
    if (softmax && softmax_channels == channels) return true;
    softmax.reset();
    xnn_operator_t op = nullptr;
    if (xnn_create_softmax_nc_f32(channels, channels, channels, 0, &op) != xnn_status_success) return false;
    softmax.reset(op);
    softmax_channels = channels;
    return true;
  }

  bool RunFullyConnected(xnn_operator_t op, size_t rows, const float* input, float* output) {
    return xnn_setup_fully_connected_nc_f32(op, rows, input, output, pool.get()) == xnn_status_success &&
           xnn_run_operator(op, pool.get()) == xnn_status_success;
  }

  // Thread-pool tasks. Each writes its own rows, and every value is one fixed chain of
  // operations whatever the split (f32_gemm.h), so any thread count gives the same bits.

  // K_h [Nk, d] (a column slice of K) -> K_h^T [d, Nk].
  static void PackKeys(void* context, size_t h) {
    auto& s = *static_cast<F32AttentionState*>(context);
    s.transpose->fn(s.nk, s.d, s.k.data() + h * s.d, s.e * sizeof(float), s.kt.data() + h * s.d * s.nk,
                    s.nk * sizeof(float));
  }

  // Rows [i0, i0 + count) of head h: scores = Q_h K_h^T / sqrt(d), masked keys -inf.
  static void Scores(void* context, size_t h, size_t i0, size_t count) {
    auto& s = *static_cast<F32AttentionState*>(context);
    float* out = s.scores.data() + (h * s.nq + i0) * s.nk;
    s.gemm->fn.fn(count, s.nk, s.d, s.q.data() + i0 * s.e + h * s.d, s.e * sizeof(float), s.kt.data() + h * s.d * s.nk,
                  s.nk * sizeof(float), out, s.nk * sizeof(float), s.scale);
    for (size_t i = 0; i < count; ++i) {
      float* row = out + i * s.nk;
      for (size_t m = 0; m < s.masked_count; ++m) row[s.masked[m]] = -kInf;
    }
  }

  // Rows [i0, i0 + count) of head h: attn[:, h*d:(h+1)*d] = P_h V_h.
  static void Values(void* context, size_t h, size_t i0, size_t count) {
    auto& s = *static_cast<F32AttentionState*>(context);
    s.gemm->fn.fn(count, s.d, s.nk, s.probs + (h * s.nq + i0) * s.nk, s.nk * sizeof(float), s.v.data() + h * s.d,
                  s.e * sizeof(float), s.attn.data() + i0 * s.e + h * s.d, s.e * sizeof(float), 1.0f);
  }

  // Rows [i0, i0 + count) of the weights averaged over heads: the sum over h in order,
  // divided by H (PyTorch's mean).
  static void Average(void* context, size_t i0, size_t count) {
    auto& s = *static_cast<F32AttentionState*>(context);
    const auto heads = static_cast<float>(s.heads);
    for (size_t i = i0; i < i0 + count; ++i) {
      float* out = s.averaged + i * s.nk;
      std::copy_n(s.probs + i * s.nk, s.nk, out);
      for (size_t h = 1; h < s.heads; ++h) {
        const float* p = s.probs + (h * s.nq + i) * s.nk;
        for (size_t j = 0; j < s.nk; ++j) out[j] += p[j];
      }
      for (size_t j = 0; j < s.nk; ++j) out[j] /= heads;
    }
  }
};

F32CrossAttention::F32CrossAttention(const AttentionConfig& config, std::vector<float> out_bias)
    : CrossAttention(config, std::move(out_bias)), state_(std::make_unique<F32AttentionState>()) {}

F32CrossAttention::~F32CrossAttention() = default;

std::unique_ptr<F32CrossAttention> F32CrossAttention::Create(const AttentionConfig& config_in,
                                                             const AttentionWeights& weights, std::string* error) {
  AttentionConfig config = config_in;
  config.precision = AttentionPrecision::kF32;
  if (!ValidateAttentionConfig(&config, error) || !ValidateAttentionWeights(config, weights, error)) return nullptr;
  if (!EnsureXnnpackInitialized()) {
    *error = "XNNPACK does not support this CPU";
    return nullptr;
  }
  std::unique_ptr<F32CrossAttention> block(new F32CrossAttention(config, weights.out_bias));
  F32AttentionState& s = *block->state_;
  s.e = static_cast<size_t>(config.embed_dim);
  s.kdim = static_cast<size_t>(config.kdim);
  s.heads = static_cast<size_t>(config.num_heads);
  s.d = s.e / s.heads;
  s.scale = 1.0f / std::sqrt(static_cast<float>(s.d));
  if (!(s.q_proj = CreateFullyConnected(s.e, s.e, weights.q_weight, weights.q_bias, "q_proj", error)) ||
      !(s.k_proj = CreateFullyConnected(s.kdim, s.e, weights.k_weight, weights.k_bias, "k_proj", error)) ||
      !(s.v_proj = CreateFullyConnected(s.kdim, s.e, weights.v_weight, weights.v_bias, "v_proj", error)) ||
      !(s.out_proj = CreateFullyConnected(s.e, s.e, weights.out_weight, weights.out_bias, "out_proj", error))) {
    return nullptr;
  }
  const auto max_nq = static_cast<size_t>(config.max_query_tokens);
  const auto max_nk = static_cast<size_t>(config.max_context_tokens);
  if (!s.EnsureSoftmax(max_nk)) {
    *error = "XNNPACK cannot create a softmax operator for " + std::to_string(max_nk) + " keys";
    return nullptr;
  }
  if (config.threads > 1) {
    s.pool.reset(pthreadpool_create(static_cast<size_t>(config.threads)));
    if (!s.pool) {
      *error = "cannot create a pool of " + std::to_string(config.threads) + " threads";
      return nullptr;
    }
  }
  const Tier cap = std::min(config.tier_cap, DefaultTierCap());
  s.gemm = &SelectF32Gemm(cap);
  s.transpose = &SelectX32Transpose(cap);
  s.rows_per_task = std::max<size_t>(s.gemm->fn.mr, 8);
  s.q.resize(max_nq * s.e);
  s.k.resize(max_nk * s.e);
  s.v.resize(max_nk * s.e);
  s.kt.resize(max_nk * s.e);
  s.scores.resize(s.heads * max_nq * max_nk);
  s.attn.resize(max_nq * s.e);
  s.masked.resize(max_nk);
  return block;
}

std::string F32CrossAttention::Describe() const {
  return std::string("f32: XNNPACK fully connected + softmax, ") + state_->gemm->name + " + " +
         state_->transpose->name + " (" + TierName(state_->gemm->tier) + "), " + std::to_string(config().threads) +
         (config().threads == 1 ? " thread" : " threads");
}

bool F32CrossAttention::Compute(const AttentionInputs& inputs, int nq_int, int nk_int, const AttentionOutputs& outputs,
                                std::string* error) {
  F32AttentionState& s = *state_;
  s.nq = static_cast<size_t>(nq_int);
  s.nk = static_cast<size_t>(nk_int);
  s.masked_count = 0;
  for (size_t j = 0; j < inputs.key_padding_mask.size(); ++j) {
    if (inputs.key_padding_mask[j] != 0) s.masked[s.masked_count++] = static_cast<uint32_t>(j);
  }
  pthreadpool_t pool = s.pool.get();
  const auto observe = [&](AttentionTensor tensor, const float* values, size_t count) {
    if (observer_ != nullptr) observer_->Observe(tensor, std::span<const float>(values, count));
  };
  observe(AttentionTensor::kQuery, inputs.query.data(), inputs.query.size());
  observe(AttentionTensor::kContext, inputs.context.data(), inputs.context.size());

  // XNNPACK fails only on invalid arguments, which Create and Run have excluded, or
  // when it cannot allocate.
  const auto failed = [error](const char* what) {
    *error = std::string("XNNPACK failed to run the ") + what + " operator";
    return false;
  };
  if (!s.RunFullyConnected(s.q_proj.get(), s.nq, inputs.query.data(), s.q.data())) return failed("q_proj");
  if (!s.RunFullyConnected(s.k_proj.get(), s.nk, inputs.context.data(), s.k.data())) return failed("k_proj");
  if (!s.RunFullyConnected(s.v_proj.get(), s.nk, inputs.context.data(), s.v.data())) return failed("v_proj");
  observe(AttentionTensor::kQ, s.q.data(), s.nq * s.e);
  observe(AttentionTensor::kK, s.k.data(), s.nk * s.e);
  observe(AttentionTensor::kV, s.v.data(), s.nk * s.e);

  pthreadpool_parallelize_1d(pool, &F32AttentionState::PackKeys, &s, s.heads, 0);
  pthreadpool_parallelize_2d_tile_1d(pool, &F32AttentionState::Scores, &s, s.heads, s.nq, s.rows_per_task, 0);
  observe(AttentionTensor::kScores, s.scores.data(), s.heads * s.nq * s.nk);

  const bool per_head = !outputs.weights.empty() && outputs.per_head;
  s.probs = per_head ? outputs.weights.data() : s.scores.data();
  if (!s.EnsureSoftmax(s.nk) ||
      xnn_setup_softmax_nc_f32(s.softmax.get(), s.heads * s.nq, s.scores.data(), s.probs, pool) != xnn_status_success ||
      xnn_run_operator(s.softmax.get(), pool) != xnn_status_success) {
    return failed("softmax");
  }

  pthreadpool_parallelize_2d_tile_1d(pool, &F32AttentionState::Values, &s, s.heads, s.nq, s.rows_per_task, 0);
  observe(AttentionTensor::kAttention, s.attn.data(), s.nq * s.e);
  if (!s.RunFullyConnected(s.out_proj.get(), s.nq, s.attn.data(), outputs.out.data())) return failed("out_proj");
  observe(AttentionTensor::kOutput, outputs.out.data(), s.nq * s.e);

  if (!outputs.weights.empty() && !per_head) {
    s.averaged = outputs.weights.data();
    pthreadpool_parallelize_1d_tile_1d(pool, &F32AttentionState::Average, &s, s.nq, s.rows_per_task, 0);
  }
  return true;
}

}  // namespace edgefuse::core
