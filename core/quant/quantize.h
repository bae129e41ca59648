// Quantization parameters and weight quantization that need no integer kernels: what a
// float model becomes at load for the int8 and 16x8 paths, following the TensorFlow
// Lite converter's rules (tensorflow/lite/tools/optimize/quantization_utils.cc) so
// that users who quantize with TFLite get the same numbers.
//
//   weights      int8, symmetric per output channel: scale = max|w| / 127, zero point
//                0, q = round(w / scale) clamped to [-127, 127] (an all-zero row gets
//                scale 0 and q = 0, as TFLite does);
//   bias         int32 (int8 path) or int64 (16x8 path), scale = input scale x weight
//                scale of the channel, zero point 0;
//   activations  int8 asymmetric from a float range [min, max] widened to contain 0,
//                scale = (max - min) / 255, zero point nudged to an integer so that
//                0.0 is exact; int16 symmetric, scale = max(|min|, |max|) / 32767,
//                zero point 0.
//
// Rounding is TFLite's: half away from zero (std::round).
//
//   auto q = edgefuse::core::ChooseInt8Params(-1.5f, 3.0f);  // scale 4.5/255, zero point -43
//   edgefuse::core::PerChannelInt8 w = edgefuse::core::QuantizePerChannelInt8(weights, rows, cols);
//   std::vector<int32_t> b = edgefuse::core::QuantizeBiasInt32(bias, q.scale, w.scales);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace edgefuse::core {

// real = scale * (q - zero_point)
struct QuantParams {
  float scale = 0.0f;
  int32_t zero_point = 0;
};

// Asymmetric int8 parameters for values in [min, max] (NaN-free, min <= max).
QuantParams ChooseInt8Params(float min, float max);
// Symmetric int16 parameters (zero point 0) for values in [min, max].
QuantParams ChooseInt16Params(float min, float max);

// q = clamp(round(x / scale) + zero_point) into int8 / int16, x / scale in float as
// TFLite computes it (a zero scale, or NaN, gives the zero point).
int8_t QuantizeInt8(float x, QuantParams params);
int16_t QuantizeInt16(float x, QuantParams params);
// The same over arrays, for a scale > 0 (NEON on aarch64, a loop the compiler
// vectorizes elsewhere; equal to the scalar functions value for value). Returns false
// if a value is NaN or infinite, whose output is then not meaningful.
bool QuantizeInt8Values(std::span<const float> values, QuantParams params, int8_t* out);
bool QuantizeInt16Values(std::span<const float> values, QuantParams params, int16_t* out);
inline float Dequantize(int32_t q, QuantParams params) {
  return params.scale * static_cast<float>(q - params.zero_point);
}

// Weights [rows = output channels, cols = input channels], row-major.
struct PerChannelInt8 {
  std::vector<int8_t> values;  // [rows, cols]
  std::vector<float> scales;   // [rows]
};
PerChannelInt8 QuantizePerChannelInt8(std::span<const float> weights, size_t rows, size_t cols);

// bias[c] / (input_scale * weight_scales[c]), rounded, clamped to +-max of the type
// (a zero scale gives 0).
std::vector<int32_t> QuantizeBiasInt32(std::span<const float> bias, float input_scale,
                                       std::span<const float> weight_scales);
std::vector<int64_t> QuantizeBiasInt64(std::span<const float> bias, float input_scale,
                                       std::span<const float> weight_scales);

}  // namespace edgefuse::core
