#include "core/ops/batch_matmul.h"

#include <cassert>
#include <limits>
#include <type_traits>

#include "core/ops/quantization.h"

namespace edgefuse::core::ops {

template <class Lhs, class Rhs, class Out, class Kernel>
std::unique_ptr<BatchMatmul<Lhs, Rhs, Out, Kernel>> BatchMatmul<Lhs, Rhs, Out, Kernel>::Create(
    const BatchMatmulParams& p, std::string* error, Tier cap) {
  using internal::CheckRange;
  constexpr bool kInt64Path = sizeof(Lhs) == 2;
  constexpr int32_t kOutMin = sizeof(Out) == 1 ? -128 : -32768, kOutMax = sizeof(Out) == 1 ? 127 : 32767;
  kernels::QuantizedMultiplier q;
  if (p.output_multiplier.has_value()) {
    q = *p.output_multiplier;
    if (!internal::CheckMultiplier("batch matmul: output multiplier", q, kInt64Path, error)) return nullptr;
  } else {
    if (!internal::CheckScale("batch matmul: lhs scale", p.lhs_scale, error) ||
        !internal::CheckScale("batch matmul: rhs scale", p.rhs_scale, error) ||
        !internal::CheckScale("batch matmul: output scale", p.output_scale, error)) {
      return nullptr;
    }
    const double real = static_cast<double>(p.lhs_scale) * p.rhs_scale / p.output_scale;
    if (!internal::MakeMultiplier("batch matmul: rescale", real, kInt64Path, &q, error)) return nullptr;
  }
  if (!CheckRange("batch matmul: lhs zero point", p.lhs_zero_point,
                  std::is_same_v<Rhs, int16_t> ? 0 : std::numeric_limits<Lhs>::min(),
                  std::is_same_v<Rhs, int16_t> ? 0 : std::numeric_limits<Lhs>::max(), error) ||
      !CheckRange("batch matmul: rhs zero point", p.rhs_zero_point, sizeof(Rhs) == 2 ? 0 : -128,
                  sizeof(Rhs) == 2 ? 0 : 127, error) ||
      !CheckRange("batch matmul: output zero point", p.output_zero_point, sizeof(Out) == 2 ? 0 : -128,
                  sizeof(Out) == 2 ? 0 : 127, error)) {
    return nullptr;
  }
  const Clamp clamp = p.clamp.value_or(Clamp{kOutMin, kOutMax});
  if (!CheckRange("batch matmul: clamp min", clamp.min, kOutMin, clamp.max, error) ||
      !CheckRange("batch matmul: clamp max", clamp.max, clamp.min, kOutMax, error)) {
    return nullptr;
  }
  std::unique_ptr<BatchMatmul> plan(new BatchMatmul());
  const std::span<const KernelEntry<const Kernel*>> list = [] {
    if constexpr (std::is_same_v<Lhs, int8_t>) {
      return kernels::kBatchMatmulQs8Kernels;
    } else if constexpr (std::is_same_v<Rhs, int16_t>) {
      return kernels::kBatchMatmulQs16Kernels;
    } else {
      return kernels::kBatchMatmulQs16Qs8Kernels;
    }
  }();
  const KernelEntry<const Kernel*>& entry = SelectKernel<const Kernel*>(list, cap);
  plan->kernel_ = entry.fn;
  plan->name_ = entry.name;
  plan->tier_ = entry.tier;
  plan->layout_ = p.rhs_layout;
  plan->params_.lhs_zero_point = p.lhs_zero_point;
  plan->params_.rhs_zero_point = p.rhs_zero_point;
  plan->params_.multiplier = q;
  plan->params_.output_zero_point = p.output_zero_point;
  plan->params_.output_min = clamp.min;
  plan->params_.output_max = clamp.max;
  return plan;
}

template <class Lhs, class Rhs, class Out, class Kernel>
PackedRhs BatchMatmul<Lhs, Rhs, Out, Kernel>::PackRhs(const Rhs* rhs, size_t rhs_stride, size_t n, size_t depth,
                                                      void* workspace) const {
  assert(n >= 1 && depth >= 1 && depth <= kernels::kMaxGemmDepth);
  assert(reinterpret_cast<uintptr_t>(workspace) % 16 == 0);
  typename std::conditional_t<sizeof(Lhs) == 1, kernels::Qs8PackInput, kernels::Qs16PackInput> input;
  input.rhs = {rhs, rhs_stride, layout_};
  input.n = n;
  input.k = depth;
  kernel_->pack(input, params_, workspace);
  return {workspace, n, depth};
}

template <class Lhs, class Rhs, class Out, class Kernel>
void BatchMatmul<Lhs, Rhs, Out, Kernel>::Run(const PackedRhs& rhs, size_t row_begin, size_t row_end, const Lhs* lhs,
                                             size_t lhs_stride, Out* out, size_t out_stride) const {
  if (row_end <= row_begin) return;
  kernel_->gemm(row_end - row_begin, rhs.n, rhs.depth,
                reinterpret_cast<const Lhs*>(reinterpret_cast<const char*>(lhs) + row_begin * lhs_stride), lhs_stride,
                rhs.data, reinterpret_cast<Out*>(reinterpret_cast<char*>(out) + row_begin * out_stride), out_stride,
                params_);
}

template class BatchMatmul<int8_t, int8_t, int8_t, kernels::BatchMatmulQs8Kernel>;
template class BatchMatmul<int16_t, int16_t, int16_t, kernels::BatchMatmulQs16Kernel>;
template class BatchMatmul<int16_t, int8_t, int8_t, kernels::BatchMatmulQs16Qs8Kernel>;

}  // namespace edgefuse::core::ops
