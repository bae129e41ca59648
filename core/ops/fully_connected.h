// Fully connected ops: int8 and 16x8, TFLite-exact (core/kernels/fully_connected).
// A plan quantizes the rescaling, packs the weights and picks the kernel once; Run()
// then computes any range of rows, allocates nothing and keeps no state, so threads
// may run disjoint row ranges of one plan at the same time with identical results
// for any split.
//
//   std::string error;
//   auto fc = edgefuse::core::ops::FullyConnectedQs8::Create(
//       {.input_channels = 256, .output_channels = 256, .weights = w /*[256, 256]*/,
//        .weight_scales = w_scales /*256 or 1*/, .bias = b /*int32 [256]*/,
//        .input_scale = 0.05f, .input_zero_point = -3, .output_scale = 0.1f, .output_zero_point = 7},
//       &error);
//   if (!fc) { ... error is one line ... }
//   fc->Run(0, 64, x, 256, y, 256);  // rows [0, 64) of x [64, 256] -> y [64, 256], strides in bytes
//
// Arithmetic (TFLite FULLY_CONNECTED): y = clamp(zy + MultiplyByQuantizedMultiplier(
// bias + sum_k (w - zw)(x - zx), QuantizeMultiplier(sx * sw[j] / sy))); the 16x8 op
// (int16 x with zero point 0, int64 bias, int16 y with zero point 0) uses TFLite's
// 64-bit rescaling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/dispatch/dispatch.h"
#include "core/kernels/fully_connected/fully_connected.h"
#include "core/kernels/requantization/requantization.h"

namespace edgefuse::core::ops {

// An output clamp in quantized units (e.g. a fused ReLU); absent means the type's range.
struct Clamp {
  int32_t min = 0;
  int32_t max = 0;
};

template <class Bias>
struct FullyConnectedParams {
  size_t input_channels = 0;
  size_t output_channels = 0;
  const int8_t* weights = nullptr;  // [output_channels, input_channels]
  size_t weights_stride = 0;        // bytes between weight rows; 0: input_channels
  // Weight scales: one per output channel (symmetric weights) or one for the tensor.
  std::span<const float> weight_scales;
  int32_t weight_zero_point = 0;  // per-tensor int8 weights only (TFLite's filter offset)
  const Bias* bias = nullptr;     // [output_channels] or null; units of input_scale * weight_scale
  float input_scale = 0.0f;
  int32_t input_zero_point = 0;  // int8 only; 16x8 activations are symmetric
  float output_scale = 0.0f;
  int32_t output_zero_point = 0;  // int8 only
  std::optional<Clamp> clamp;
  // TFLite's prepared form instead of the scales (one or output_channels multipliers).
  std::span<const kernels::QuantizedMultiplier> output_multipliers;
};

template <class In, class Bias, class Kernel>
class FullyConnected {
 public:
  using Params = FullyConnectedParams<Bias>;

  // A plan, or null with a one-line reason in *error. cap lowers the kernel tier (the
  // block can force one; EDGEFUSE_MAX_TIER lowers DefaultTierCap()).
  static std::unique_ptr<FullyConnected> Create(const Params& params, std::string* error, Tier cap = DefaultTierCap());

  // Rows [row_begin, row_end) of input [rows, input_channels] to output [rows,
  // output_channels]; row r at input + r * input_stride bytes (likewise output).
  void Run(size_t row_begin, size_t row_end, const In* input, size_t input_stride, In* output,
           size_t output_stride) const;

  size_t input_channels() const { return k_; }
  size_t output_channels() const { return n_; }
  const char* kernel_name() const { return name_; }
  Tier tier() const { return tier_; }

 private:
  FullyConnected() = default;
  const Kernel* kernel_ = nullptr;
  const char* name_ = "";
  Tier tier_ = Tier::kReference;
  size_t k_ = 0, n_ = 0;
  std::conditional_t<sizeof(In) == 1, kernels::Qs8GemmParams, kernels::Qs16GemmParams> params_;
  std::vector<uint8_t> packed_;
};

// int8 x int8 (+ int32 bias) -> int8.
using FullyConnectedQs8 = FullyConnected<int8_t, int32_t, kernels::FullyConnectedQs8Kernel>;
// int16 x int8 (+ int64 bias) -> int16.
using FullyConnectedQs16 = FullyConnected<int16_t, int64_t, kernels::FullyConnectedQs16Kernel>;

}  // namespace edgefuse::core::ops
