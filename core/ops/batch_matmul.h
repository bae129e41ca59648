// Batch matmul ops for attention, one head per call: Q_h K_h^T -> scores and P_h V_h
// -> context, TFLite-exact (core/kernels/batch_matmul). Operands are read in place
// from [N, E] activations: a head slice is a pointer plus a row stride in bytes.
//
// A plan holds the quantization and the selected kernel. Per call, the right operand
// is packed once into a caller buffer (PackRhs), then Run computes any range of output
// rows: no allocation, no shared state, identical results for any split over threads.
//
//   // scores_h = (Q_h K_h^T) for one head: Q [Nq, E], K [Nk, E], head h at column h * dh.
//   auto qk = BatchMatmulQs8::Create({.rhs_layout = RhsLayout::kNK,
//                                     .lhs_scale = sq, .lhs_zero_point = zq,
//                                     .rhs_scale = sk, .rhs_zero_point = zk,
//                                     .output_scale = s_scores, .output_zero_point = z_scores}, &error);
//   std::vector<uint8_t> workspace(qk->PackedRhsSize(nk, dh));   // once, reused every call
//   const PackedRhs k_h = qk->PackRhs(k + h * dh, E, nk, dh, workspace.data());
//   qk->Run(k_h, 0, nq, q + h * dh, E, scores_h, nk);             // or split [0, nq) over threads
//
//   // context_h = P_h V_h with int16 probabilities: V [Nk, E] read as [depth = Nk, n = dh].
//   auto pv = BatchMatmulQs16Qs8::Create({.rhs_layout = RhsLayout::kKN, .lhs_scale = 1.0f / 65536,
//                                         .lhs_zero_point = -32768, ...}, &error);
//   const PackedRhs v_h = pv->PackRhs(v + h * dh, E, dh, nk, workspace.data());
//   pv->Run(v_h, 0, nq, p_h, nk * sizeof(int16_t), context + h * dh, E);
//
// The scores' 1/sqrt(dh) belongs in output_scale (or output_multiplier).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/dispatch/dispatch.h"
#include "core/kernels/batch_matmul/batch_matmul.h"
#include "core/kernels/requantization/requantization.h"
#include "core/ops/fully_connected.h"

namespace edgefuse::core::ops {

using kernels::RhsLayout;

struct BatchMatmulParams {
  // kNK: rhs row j holds output column j (K_h for Q K^T); kKN: rhs row k holds depth k (V_h).
  RhsLayout rhs_layout = RhsLayout::kNK;
  float lhs_scale = 0.0f;
  int32_t lhs_zero_point = 0;  // int8: [-128, 127]; int16 x int8: [-32768, 32767]; int16 x int16: 0
  float rhs_scale = 0.0f;
  int32_t rhs_zero_point = 0;  // int8: [-128, 127]; int16: 0
  float output_scale = 0.0f;
  int32_t output_zero_point = 0;  // int8: [-128, 127]; int16: 0
  std::optional<Clamp> clamp;
  // TFLite's prepared form instead of the three scales.
  std::optional<kernels::QuantizedMultiplier> output_multiplier;
};

// The packed right operand of one call; valid while its workspace is.
struct PackedRhs {
  const void* data = nullptr;
  size_t n = 0;      // output columns
  size_t depth = 0;  // accumulation depth
};

template <class Lhs, class Rhs, class Out, class Kernel>
class BatchMatmul {
 public:
  static std::unique_ptr<BatchMatmul> Create(const BatchMatmulParams& params, std::string* error,
                                             Tier cap = DefaultTierCap());

  // Bytes of workspace PackRhs needs for n output columns and the given depth.
  size_t PackedRhsSize(size_t n, size_t depth) const { return kernel_->packed_size(n, depth); }

  // Packs the right operand: element (j, k) is at rhs + j * stride + k (kNK) or
  // rhs + k * stride + j (kKN), in elements of Rhs, stride in bytes. workspace: at least
  // PackedRhsSize(n, depth) bytes, 16-byte aligned. 1 <= depth <= 65536.
  PackedRhs PackRhs(const Rhs* rhs, size_t rhs_stride, size_t n, size_t depth, void* workspace) const;

  // Output rows [row_begin, row_end) of lhs [rows, depth] x rhs: row r of lhs at lhs +
  // r * lhs_stride bytes, of out at out + r * out_stride bytes.
  void Run(const PackedRhs& rhs, size_t row_begin, size_t row_end, const Lhs* lhs, size_t lhs_stride, Out* out,
           size_t out_stride) const;

  const char* kernel_name() const { return name_; }
  Tier tier() const { return tier_; }

 private:
  BatchMatmul() = default;
  const Kernel* kernel_ = nullptr;
  const char* name_ = "";
  Tier tier_ = Tier::kReference;
  RhsLayout layout_ = RhsLayout::kNK;
  std::conditional_t<sizeof(Lhs) == 1, kernels::Qs8GemmParams, kernels::Qs16GemmParams> params_;
};

// int8 x int8 -> int8 (TFLite BATCH_MATMUL int8).
using BatchMatmulQs8 = BatchMatmul<int8_t, int8_t, int8_t, kernels::BatchMatmulQs8Kernel>;
// int16 x int16 -> int16 (TFLite BATCH_MATMUL int16).
using BatchMatmulQs16 = BatchMatmul<int16_t, int16_t, int16_t, kernels::BatchMatmulQs16Kernel>;
// int16 x int8 -> int8 (P V with int16 probabilities; semantics in batch_matmul.h).
using BatchMatmulQs16Qs8 = BatchMatmul<int16_t, int8_t, int8_t, kernels::BatchMatmulQs16Qs8Kernel>;

}  // namespace edgefuse::core::ops
