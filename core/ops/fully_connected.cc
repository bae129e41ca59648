#include "core/ops/fully_connected.h"

#include <limits>

#include "core/ops/quantization.h"

namespace edgefuse::core::ops {

template <class In, class Bias, class Kernel>
std::unique_ptr<FullyConnected<In, Bias, Kernel>> FullyConnected<In, Bias, Kernel>::Create(const Params& p,
                                                                                           std::string* error,
                                                                                           Tier cap) {
  using internal::CheckRange;
  using internal::CheckScale;
  constexpr bool kInt16 = sizeof(In) == 2;
  constexpr int32_t kMin = kInt16 ? -32768 : -128, kMax = kInt16 ? 32767 : 127;
  const size_t n = p.output_channels, k = p.input_channels;
  if (n == 0 || k == 0 || k > kernels::kMaxGemmDepth) {
    *error = "fully connected: channels must be >= 1 (input <= " + std::to_string(kernels::kMaxGemmDepth) + "), got " +
             std::to_string(k) + " -> " + std::to_string(n);
    return nullptr;
  }
  if (p.weights == nullptr) {
    *error = "fully connected: no weights";
    return nullptr;
  }
  // Per-channel requantization: one multiplier per output channel.
  std::vector<kernels::QuantizedMultiplier> q(n);
  const bool prepared = !p.output_multipliers.empty();
  const size_t count = prepared ? p.output_multipliers.size() : p.weight_scales.size();
  if (count != 1 && count != n) {
    const std::string what = prepared ? "output multipliers" : "weight scales";
    *error = "fully connected: " + what + " must number 1 or " + std::to_string(n) + " (output channels), got " +
             std::to_string(count);
    return nullptr;
  }
  if (count != 1 && p.weight_zero_point != 0) {
    *error = "fully connected: a weight zero point needs per-tensor weights (got " + std::to_string(count) + " scales)";
    return nullptr;
  }
  if (!prepared && (!CheckScale("fully connected: input scale", p.input_scale, error) ||
                    !CheckScale("fully connected: output scale", p.output_scale, error))) {
    return nullptr;
  }
  for (size_t j = 0; j < n; ++j) {
    const size_t c = count == 1 ? 0 : j;
    if (prepared) {
      q[j] = p.output_multipliers[c];
      if (!internal::CheckMultiplier("fully connected: output multiplier", q[j], kInt16, error)) return nullptr;
    } else {
      if (!CheckScale("fully connected: weight scale", p.weight_scales[c], error)) return nullptr;
      const double real = static_cast<double>(p.input_scale) * p.weight_scales[c] / p.output_scale;
      if (!internal::MakeMultiplier("fully connected: rescale", real, kInt16, &q[j], error)) return nullptr;
    }
  }
  const Clamp clamp = p.clamp.value_or(Clamp{kMin, kMax});
  if (!CheckRange("fully connected: clamp min", clamp.min, kMin, clamp.max, error) ||
      !CheckRange("fully connected: clamp max", clamp.max, clamp.min, kMax, error)) {
    return nullptr;
  }
  if constexpr (kInt16) {
    if (!CheckRange("fully connected 16x8: input zero point", p.input_zero_point, 0, 0, error) ||
        !CheckRange("fully connected 16x8: output zero point", p.output_zero_point, 0, 0, error) ||
        !CheckRange("fully connected 16x8: weight zero point", p.weight_zero_point, 0, 0, error)) {
      return nullptr;
    }
    if (p.bias != nullptr) {
      for (size_t j = 0; j < n; ++j) {
        if (!CheckRange("fully connected 16x8: bias", p.bias[j], -(int64_t{1} << 40), int64_t{1} << 40, error)) {
          return nullptr;
        }
      }
    }
  } else {
    if (!CheckRange("fully connected: input zero point", p.input_zero_point, -128, 127, error) ||
        !CheckRange("fully connected: output zero point", p.output_zero_point, -128, 127, error) ||
        !CheckRange("fully connected: weight zero point", p.weight_zero_point, -128, 127, error)) {
      return nullptr;
    }
  }

  std::unique_ptr<FullyConnected> plan(new FullyConnected());
  plan->params_.lhs_zero_point = p.input_zero_point;
  plan->params_.rhs_zero_point = p.weight_zero_point;
  plan->params_.multiplier = q[0];
  plan->params_.output_zero_point = p.output_zero_point;
  plan->params_.output_min = clamp.min;
  plan->params_.output_max = clamp.max;
  typename std::conditional_t<kInt16, kernels::Qs16PackInput, kernels::Qs8PackInput> input;
  input.rhs = {p.weights, p.weights_stride != 0 ? p.weights_stride : k, kernels::RhsLayout::kNK};
  input.n = n;
  input.k = k;
  input.bias = p.bias;
  input.channel_multipliers = q.data();
  const std::span<const KernelEntry<const Kernel*>> list = [] {
    if constexpr (kInt16) {
      return kernels::kFullyConnectedQs16Kernels;
    } else {
      return kernels::kFullyConnectedQs8Kernels;
    }
  }();
  const KernelEntry<const Kernel*>& entry = SelectKernel<const Kernel*>(list, cap, [&](const Kernel* kernel) {
    if constexpr (kInt16) {
      return true;
    } else {
      return kernel->accepts == nullptr || kernel->accepts(input, plan->params_);
    }
  });
  plan->kernel_ = entry.fn;
  plan->name_ = entry.name;
  plan->tier_ = entry.tier;
  plan->k_ = k;
  plan->n_ = n;
  plan->packed_.resize(entry.fn->packed_size(n, k));
  entry.fn->pack(input, plan->params_, plan->packed_.data());
  return plan;
}

template <class In, class Bias, class Kernel>
void FullyConnected<In, Bias, Kernel>::Run(size_t row_begin, size_t row_end, const In* input, size_t input_stride,
                                           In* output, size_t output_stride) const {
  if (row_end <= row_begin) return;
  kernel_->gemm(row_end - row_begin, n_, k_,
                reinterpret_cast<const In*>(reinterpret_cast<const char*>(input) + row_begin * input_stride),
                input_stride, packed_.data(),
                reinterpret_cast<In*>(reinterpret_cast<char*>(output) + row_begin * output_stride), output_stride,
                params_);
}

template class FullyConnected<int8_t, int32_t, kernels::FullyConnectedQs8Kernel>;
template class FullyConnected<int16_t, int64_t, kernels::FullyConnectedQs16Kernel>;

}  // namespace edgefuse::core::ops
