#include "core/ops/softmax.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "core/kernels/requantization/requantization.h"
#include "core/ops/quantization.h"

namespace edgefuse::core::ops {
namespace {

// TFLite PreprocessSoftmaxScaling and CalculateInputRadius with 5 integer bits (the
// int8 softmax's Q5.26 input to exp).
bool PrepareQs8(double beta, double input_scale, PreparedSoftmax* out, std::string* error) {
  constexpr int kScaledDiffIntegerBits = 5;
  const double real = std::min(beta * input_scale * static_cast<double>(1 << (31 - kScaledDiffIntegerBits)),
                               static_cast<double>((int64_t{1} << 31) - 1));
  if (!(real > 1.0)) {
    *error =
        "softmax: input scale * beta " + std::to_string(beta * input_scale) + " is too small (TFLite needs > 2^-26)";
    return false;
  }
  const kernels::QuantizedMultiplier q = kernels::QuantizeMultiplier(real);
  out->input_multiplier = q.multiplier;
  out->input_left_shift = q.shift;
  const double max_input_rescaled = 1.0 * ((1 << kScaledDiffIntegerBits) - 1) *
                                    static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits)) /
                                    static_cast<double>(int64_t{1} << q.shift);
  out->diff_min = -static_cast<int32_t>(std::floor(max_input_rescaled));
  return true;
}

// TFLite's int16 softmax: the input difference scaled so that [-65535, 0] is [-10, 0].
bool PrepareQs16(double beta, double input_scale, PreparedSoftmax* out, std::string* error) {
  kernels::QuantizedMultiplier q;
  if (!internal::MakeMultiplier("softmax: input rescale", input_scale * beta / (10.0 / 65535.0), false, &q, error)) {
    return false;
  }
  out->input_multiplier = q.multiplier;
  out->input_left_shift = q.shift;
  return true;
}

}  // namespace

template <class In, class Out>
std::unique_ptr<Softmax<In, Out>> Softmax<In, Out>::Create(const SoftmaxOpParams& p, std::string* error, Tier cap) {
  constexpr bool kInt16 = std::is_same_v<In, int16_t>;
  PreparedSoftmax prepared;
  if (p.prepared.has_value()) {
    prepared = *p.prepared;
    if (!internal::CheckMultiplier("softmax: input multiplier", {prepared.input_multiplier, prepared.input_left_shift},
                                   false, error) ||
        (!kInt16 && !internal::CheckRange("softmax: input left shift", prepared.input_left_shift, 0, 30, error))) {
      return nullptr;
    }
  } else {
    if (!internal::CheckScale("softmax: input scale", p.input_scale, error) ||
        !internal::CheckScale("softmax: beta", p.beta, error)) {
      return nullptr;
    }
    const bool ok = kInt16 ? PrepareQs16(p.beta, p.input_scale, &prepared, error)
                           : PrepareQs8(p.beta, p.input_scale, &prepared, error);
    if (!ok) return nullptr;
  }
  std::unique_ptr<Softmax> plan(new Softmax());
  plan->params_.input_multiplier = prepared.input_multiplier;
  plan->params_.input_left_shift = prepared.input_left_shift;
  plan->params_.diff_min = prepared.diff_min;
  if constexpr (kInt16) {
    plan->exp_lut_.resize(kernels::kSoftmaxLutSize);
    plan->one_over_one_plus_x_lut_.resize(kernels::kSoftmaxLutSize);
    kernels::PopulateSoftmaxExpLut(plan->exp_lut_.data());
    kernels::PopulateSoftmaxOneOverOnePlusXLut(plan->one_over_one_plus_x_lut_.data());
    plan->params_.exp_lut = plan->exp_lut_.data();
    plan->params_.one_over_one_plus_x_lut = plan->one_over_one_plus_x_lut_.data();
  } else {
    plan->table_ = std::make_unique<kernels::SoftmaxExpTable>();
    kernels::BuildSoftmaxExpTable(plan->params_, plan->table_.get());
    plan->params_.exp_table = plan->table_.get();
  }
  const std::span<const KernelEntry<kernels::SoftmaxFn<In, Out>>> list = [] {
    if constexpr (kInt16) {
      return kernels::kSoftmaxQs16Kernels;
    } else if constexpr (std::is_same_v<Out, int16_t>) {
      return kernels::kSoftmaxQs8Qs16Kernels;
    } else {
      return kernels::kSoftmaxQs8Kernels;
    }
  }();
  const auto& entry = SelectKernel<kernels::SoftmaxFn<In, Out>>(list, cap);
  plan->fn_ = entry.fn;
  plan->name_ = entry.name;
  plan->tier_ = entry.tier;
  return plan;
}

template <class In, class Out>
void Softmax<In, Out>::Run(size_t row_begin, size_t row_end, size_t n, const In* x, size_t x_stride,
                           const uint8_t* key_padding_mask, Out* y, size_t y_stride) const {
  RunMasked(row_begin, row_end, n, x, x_stride, key_padding_mask, 0, y, y_stride);
}

template <class In, class Out>
void Softmax<In, Out>::RunMasked(size_t row_begin, size_t row_end, size_t n, const In* x, size_t x_stride,
                                 const uint8_t* mask, size_t mask_stride, Out* y, size_t y_stride) const {
  if (row_end <= row_begin || n == 0) return;
  fn_(row_end - row_begin, n, reinterpret_cast<const In*>(reinterpret_cast<const char*>(x) + row_begin * x_stride),
      x_stride, mask != nullptr ? mask + row_begin * mask_stride : nullptr, mask_stride,
      reinterpret_cast<Out*>(reinterpret_cast<char*>(y) + row_begin * y_stride), y_stride, params_);
}

template class Softmax<int8_t, int8_t>;
template class Softmax<int8_t, int16_t>;
template class Softmax<int16_t, int16_t>;

}  // namespace edgefuse::core::ops
