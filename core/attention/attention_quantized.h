// The integer cross-attention pipeline shared by the int8 and the 16x8 blocks
// (attention_int8.h, attention_int16.h), internal to core/attention. One template over
// a precision's traits (activation, bias and probability types, the core/ops plans):
//
//   quantize query, context            (activation parameters from the ranges)
//   Q, K, V = fully connected          (per-channel int8 weights, int32 / int64 bias)
//   scores_h = Q_h K_h^T               (batch matmul, 1/sqrt(d) folded into the rescale)
//   P_h = softmax(scores_h, mask)      (int16 probabilities; masked keys exactly 0)
//   attention_h = P_h V_h              (batch matmul with the int16 probabilities)
//   out = fully connected(attention)   (dequantized to float; weights too)
//
// (Op Run calls take whole-tensor base pointers and a row range.) Every stage is split over heads and row tiles of one
// pthreadpool; each output value is computed by one kernel call on fixed inputs, so any split gives the same bits. All
// buffers are sized for the capacity at Create: Compute allocates nothing.
#pragma once

#include <pthreadpool.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/attention/attention.h"
#include "core/attention/calibration.h"
#include "core/attention/quantized_weights.h"
#include "core/ops/batch_matmul.h"
#include "core/ops/fully_connected.h"
#include "core/ops/softmax.h"

namespace edgefuse::core::internal {

struct PoolDeleter {
  void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
};

// Activation parameters with a usable scale: a tensor that was 0 throughout the
// calibration (an empty or [0, 0] range) gets scale 1, which represents 0 exactly. A
// range that is not finite, or too wide for a finite scale, fails ("the v range ...").
bool UsableQuantParams(const AttentionRanges& ranges, AttentionPrecision precision, AttentionQuantParams* params,
                       std::string* error);

// A weight row of zeros has scale 0 (TFLite's rule), which the fully connected op
// refuses: give it scale 1 (its values stay 0) and requantize its bias at that scale.
void FixZeroWeightScales(const AttentionWeights& weights, QuantizedAttentionWeights* q);

template <class Traits>
class QuantizedAttention {
 public:
  using Act = typename Traits::Act;
  using Prob = typename Traits::Prob;

  bool Init(const AttentionConfig& config, const AttentionWeights& weights, const AttentionRanges* ranges,
            std::string* error) {
    if (ranges == nullptr) {
      *error = std::string("precision ") + AttentionPrecisionName(config.precision) +
               " needs activation ranges (calibrate on a sample set or on the inputs)";
      return false;
    }
    if (static_cast<size_t>(config.max_context_tokens) > Traits::kMaxKeys) {
      *error = std::string("precision ") + AttentionPrecisionName(config.precision) + " supports at most " +
               std::to_string(Traits::kMaxKeys) + " context tokens (the softmax row limit), not " +
               std::to_string(config.max_context_tokens);
      return false;
    }
    e_ = static_cast<size_t>(config.embed_dim);
    kdim_ = static_cast<size_t>(config.kdim);
    heads_ = static_cast<size_t>(config.num_heads);
    d_ = e_ / heads_;
    if (!UsableQuantParams(*ranges, Traits::kPrecision, &act_, error)) return false;
    QuantizedAttentionWeights qw = QuantizeAttentionWeights(weights, act_, Traits::kPrecision);
    FixZeroWeightScales(weights, &qw);
    const Tier cap = std::min(config.tier_cap, DefaultTierCap());

    const auto fc = [&](const QuantizedProjection& p, AttentionTensor in, AttentionTensor out, const char* name) {
      auto op = Traits::Fc::Create({.input_channels = static_cast<size_t>(p.cols),
                                    .output_channels = static_cast<size_t>(p.rows),
                                    .weights = p.weight.values.data(),
                                    .weight_scales = p.weight.scales,
                                    .bias = Traits::Bias(p).data(),
                                    .input_scale = act_[in].scale,
                                    .input_zero_point = act_[in].zero_point,
                                    .output_scale = act_[out].scale,
                                    .output_zero_point = act_[out].zero_point},
                                   error, cap);
      if (!op) *error = std::string(name) + ": " + *error;
      return op;
    };
    using T = AttentionTensor;
    if (!(q_proj_ = fc(qw.q, T::kQuery, T::kQ, "q_proj")) || !(k_proj_ = fc(qw.k, T::kContext, T::kK, "k_proj")) ||
        !(v_proj_ = fc(qw.v, T::kContext, T::kV, "v_proj")) ||
        !(out_proj_ = fc(qw.out, T::kAttention, T::kOutput, "out_proj"))) {
      return false;
    }
    // scores = acc sq sk / sqrt(d): the 1/sqrt(d) joins the output scale.
    const QuantParams q = act_[T::kQ], k = act_[T::kK], v = act_[T::kV], s = act_[T::kScores], a = act_[T::kAttention];
    qk_ = Traits::Qk::Create({.rhs_layout = ops::RhsLayout::kNK,
                              .lhs_scale = q.scale,
                              .lhs_zero_point = q.zero_point,
                              .rhs_scale = k.scale,
                              .rhs_zero_point = k.zero_point,
                              .output_scale = static_cast<float>(s.scale * std::sqrt(static_cast<double>(d_))),
                              .output_zero_point = s.zero_point},
                             error, cap);
    if (!qk_) return Prefix("QK^T", error);
    softmax_ = Traits::Softmax::Create({.input_scale = s.scale}, error, cap);
    if (!softmax_) return Prefix("softmax", error);
    pv_ = Traits::Pv::Create({.rhs_layout = ops::RhsLayout::kKN,
                              .lhs_scale = Traits::kProbScale,
                              .lhs_zero_point = Traits::kProbZeroPoint,
                              .rhs_scale = v.scale,
                              .rhs_zero_point = v.zero_point,
                              .output_scale = a.scale,
                              .output_zero_point = a.zero_point},
                             error, cap);
    if (!pv_) return Prefix("P·V", error);

    if (config.threads > 1) {
      pool_.reset(pthreadpool_create(static_cast<size_t>(config.threads)));
      if (!pool_) {
        *error = "cannot create a pool of " + std::to_string(config.threads) + " threads";
        return false;
      }
    }
    const auto max_nq = static_cast<size_t>(config.max_query_tokens);
    const auto max_nk = static_cast<size_t>(config.max_context_tokens);
    query_.resize(max_nq * e_);
    context_.resize(max_nk * kdim_);
    q_.resize(max_nq * e_);
    k_.resize(max_nk * e_);
    v_.resize(max_nk * e_);
    scores_.resize(heads_ * max_nq * max_nk);
    probs_.resize(heads_ * max_nq * max_nk);
    attn_.resize(max_nq * e_);
    out_.resize(max_nq * e_);
    // Packed K_h and V_h of every head, each 64-byte aligned (the ops need 16).
    k_stride_ = RoundUp(qk_->PackedRhsSize(max_nk, d_));
    v_stride_ = RoundUp(pv_->PackedRhsSize(d_, max_nk));
    packed_.resize(heads_ * (k_stride_ + v_stride_) + 64);
    packed_k_.resize(heads_);
    packed_v_.resize(heads_);
    return true;
  }

  std::string Describe(const AttentionConfig& config) const {
    return std::string(AttentionPrecisionName(Traits::kPrecision)) + ": " + q_proj_->kernel_name() + " + " +
           qk_->kernel_name() + " + " + softmax_->kernel_name() + " + " + pv_->kernel_name() + " (" +
           TierName(q_proj_->tier()) + "), " + std::to_string(config.threads) +
           (config.threads == 1 ? " thread" : " threads");
  }

  void Compute(const AttentionInputs& inputs, size_t nq, size_t nk, const AttentionOutputs& outputs) {
    nq_ = nq;
    nk_ = nk;
    mask_ = inputs.key_padding_mask.empty() ? nullptr : inputs.key_padding_mask.data();
    using T = AttentionTensor;
    const bool finite = Traits::QuantizeValues(inputs.query, act_[T::kQuery], query_.data()) &
                        Traits::QuantizeValues(inputs.context, act_[T::kContext], context_.data());
    if (!finite) {
      // Integer arithmetic would hide a NaN or infinity: report it through the output,
      // where CrossAttention::Run looks for it (and then names it in the inputs).
      std::fill(outputs.out.begin(), outputs.out.end(), std::numeric_limits<float>::quiet_NaN());
      return;
    }
    pthreadpool_t pool = pool_.get();
    pthreadpool_parallelize_1d_tile_1d(pool, &QuantizedAttention::Projections, this, nq + 2 * nk, kRowTile, 0);
    pthreadpool_parallelize_1d(pool, &QuantizedAttention::Pack, this, heads_, 0);
    pthreadpool_parallelize_2d_tile_1d(pool, &QuantizedAttention::Scores, this, heads_, nq, kRowTile, 0);
    pthreadpool_parallelize_1d_tile_1d(pool, &QuantizedAttention::Softmax, this, heads_ * nq, kRowTile, 0);
    pthreadpool_parallelize_2d_tile_1d(pool, &QuantizedAttention::Values, this, heads_, nq, kRowTile, 0);
    pthreadpool_parallelize_1d_tile_1d(pool, &QuantizedAttention::OutProjection, this, nq, kRowTile, 0);

    const QuantParams o = act_[T::kOutput];
    for (size_t i = 0; i < nq * e_; ++i) outputs.out[i] = Dequantize(out_[i], o);
    if (outputs.weights.empty()) return;
    const Prob* p = probs_.data();
    if (outputs.per_head) {
      for (size_t i = 0; i < heads_ * nq * nk; ++i) {
        outputs.weights[i] = static_cast<float>(int32_t{p[i]} - Traits::kProbZeroPoint) * Traits::kProbScale;
      }
      return;
    }
    // The average over heads: an exact integer sum, then one division.
    const float divisor = static_cast<float>(heads_) / Traits::kProbScale;
    for (size_t i = 0; i < nq * nk; ++i) {
      int32_t sum = 0;
      for (size_t h = 0; h < heads_; ++h) sum += int32_t{p[h * nq * nk + i]} - Traits::kProbZeroPoint;
      outputs.weights[i] = static_cast<float>(sum) / divisor;
    }
  }

 private:
  static constexpr size_t kRowTile = 16;

  static size_t RoundUp(size_t bytes) { return (bytes + 63) / 64 * 64; }
  static bool Prefix(const char* what, std::string* error) {
    *error = std::string(what) + ": " + *error;
    return false;
  }
  uint8_t* PackedBase() {
    const auto address = reinterpret_cast<uintptr_t>(packed_.data());
    return packed_.data() + (RoundUp(address) - address);
  }

  // Rows of Q (r < Nq), then K, then V.
  static void Projections(void* context, size_t r0, size_t count) {
    auto& s = *static_cast<QuantizedAttention*>(context);
    const size_t row = sizeof(Act);
    for (size_t r = r0; r < r0 + count;) {
      if (r < s.nq_) {
        const size_t end = std::min(r0 + count, s.nq_);
        s.q_proj_->Run(r, end, s.query_.data(), s.e_ * row, s.q_.data(), s.e_ * row);
        r = end;
      } else if (r < s.nq_ + s.nk_) {
        const size_t b = r - s.nq_, end = std::min(r0 + count - s.nq_, s.nk_);
        s.k_proj_->Run(b, end, s.context_.data(), s.kdim_ * row, s.k_.data(), s.e_ * row);
        r = s.nq_ + end;
      } else {
        const size_t b = r - s.nq_ - s.nk_, end = r0 + count - s.nq_ - s.nk_;
        s.v_proj_->Run(b, end, s.context_.data(), s.kdim_ * row, s.v_.data(), s.e_ * row);
        r = s.nq_ + s.nk_ + end;
      }
    }
  }

  static void Pack(void* context, size_t h) {
    auto& s = *static_cast<QuantizedAttention*>(context);
    uint8_t* base = s.PackedBase() + h * (s.k_stride_ + s.v_stride_);
    s.packed_k_[h] = s.qk_->PackRhs(s.k_.data() + h * s.d_, s.e_ * sizeof(Act), s.nk_, s.d_, base);
    s.packed_v_[h] = s.pv_->PackRhs(s.v_.data() + h * s.d_, s.e_ * sizeof(Act), s.d_, s.nk_, base + s.k_stride_);
  }

  static void Scores(void* context, size_t h, size_t i0, size_t count) {
    auto& s = *static_cast<QuantizedAttention*>(context);
    s.qk_->Run(s.packed_k_[h], i0, i0 + count, s.q_.data() + h * s.d_, s.e_ * sizeof(Act),
               s.scores_.data() + h * s.nq_ * s.nk_, s.nk_ * sizeof(Act));
  }

  static void Softmax(void* context, size_t r0, size_t count) {
    auto& s = *static_cast<QuantizedAttention*>(context);
    s.softmax_->Run(r0, r0 + count, s.nk_, s.scores_.data(), s.nk_ * sizeof(Act), s.mask_, s.probs_.data(),
                    s.nk_ * sizeof(Prob));
  }

  static void Values(void* context, size_t h, size_t i0, size_t count) {
    auto& s = *static_cast<QuantizedAttention*>(context);
    s.pv_->Run(s.packed_v_[h], i0, i0 + count, s.probs_.data() + h * s.nq_ * s.nk_, s.nk_ * sizeof(Prob),
               s.attn_.data() + h * s.d_, s.e_ * sizeof(Act));
  }

  static void OutProjection(void* context, size_t i0, size_t count) {
    auto& s = *static_cast<QuantizedAttention*>(context);
    s.out_proj_->Run(i0, i0 + count, s.attn_.data(), s.e_ * sizeof(Act), s.out_.data(), s.e_ * sizeof(Act));
  }

  size_t e_ = 0, kdim_ = 0, heads_ = 0, d_ = 0;
  AttentionQuantParams act_;
  std::unique_ptr<typename Traits::Fc> q_proj_, k_proj_, v_proj_, out_proj_;
  std::unique_ptr<typename Traits::Qk> qk_;
  std::unique_ptr<typename Traits::Softmax> softmax_;
  std::unique_ptr<typename Traits::Pv> pv_;
  std::unique_ptr<pthreadpool, PoolDeleter> pool_;

  // Scratch for the largest call.
  std::vector<Act> query_, context_, q_, k_, v_, scores_, attn_, out_;
  std::vector<Prob> probs_;  // [H, Nq, Nk]
  std::vector<uint8_t> packed_;
  size_t k_stride_ = 0, v_stride_ = 0;
  std::vector<ops::PackedRhs> packed_k_, packed_v_;

  // The current call.
  size_t nq_ = 0, nk_ = 0;
  const uint8_t* mask_ = nullptr;
};

}  // namespace edgefuse::core::internal
