#include "core/quant/quantize.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>

namespace edgefuse::core {
namespace {

// TFLite's SafeCast for rounded values (infinities saturate).
template <class Int>
Int SaturatingCast(double x) {
  if (x <= static_cast<double>(std::numeric_limits<Int>::min())) return std::numeric_limits<Int>::min();
  if (x >= static_cast<double>(std::numeric_limits<Int>::max())) return std::numeric_limits<Int>::max();
  return static_cast<Int>(x);
}

// As TFLite's AffineQuantize: round(x / scale) in float, plus the zero point, clamped.
template <class Int>
Int QuantizeTo(float x, QuantParams params) {
  if (params.scale == 0.0f || std::isnan(x)) return static_cast<Int>(params.zero_point);
  const float rounded = std::round(x / params.scale);
  return SaturatingCast<Int>(static_cast<double>(rounded) + params.zero_point);
}

template <class Bias>
std::vector<Bias> QuantizeBias(std::span<const float> bias, float input_scale, std::span<const float> weight_scales) {
  assert(bias.size() == weight_scales.size());
  constexpr Bias kMax = std::numeric_limits<Bias>::max();
  std::vector<Bias> out(bias.size());
  for (size_t c = 0; c < bias.size(); ++c) {
    // As TFLite: the scale is a float product, its inverse a float computed in double.
    const float scale = input_scale * weight_scales[c];
    const float inverse = scale == 0.0f ? 0.0f : static_cast<float>(1.0 / scale);
    const Bias q = SaturatingCast<Bias>(std::round(bias[c] * inverse));
    out[c] = std::min(kMax, std::max<Bias>(-kMax, q));
  }
  return out;
}

}  // namespace

QuantParams ChooseInt8Params(float min, float max) {
  assert(min <= max);
  constexpr float kQMin = -128.0f;
  constexpr float kQMax = 127.0f;
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  QuantParams params;
  params.scale = (max - min) / (kQMax - kQMin);
  float zero_point_from_min = kQMin;
  if (params.scale != 0.0f) zero_point_from_min = kQMin - min / params.scale;
  if (zero_point_from_min < kQMin) {
    params.zero_point = -128;
  } else if (zero_point_from_min > kQMax) {
    params.zero_point = 127;
  } else {
    params.zero_point = static_cast<int32_t>(std::round(zero_point_from_min));
  }
  return params;
}

QuantParams ChooseInt16Params(float min, float max) {
  assert(min <= max);
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  QuantParams params;
  params.scale = std::max(std::abs(max), std::abs(min)) / 32767.0f;
  params.zero_point = 0;
  return params;
}

namespace {

// QuantizeTo without branches: with |round(x / scale)| below 2^24 the float sum with
// the zero point is exact, above it both saturate.
template <class Int>
bool QuantizeArray(std::span<const float> values, QuantParams params, Int* out) {
  assert(params.scale > 0.0f);
  constexpr float kMin = std::numeric_limits<Int>::min(), kMax = std::numeric_limits<Int>::max();
  const float scale = params.scale, zero_point = static_cast<float>(params.zero_point);
  uint32_t non_finite = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const float x = values[i];
    non_finite |= static_cast<uint32_t>((std::bit_cast<uint32_t>(x) & 0x7F800000u) == 0x7F800000u);
    float v = std::round(x / scale) + zero_point;
    v = v > kMin ? v : kMin;  // NaN -> kMin
    v = v < kMax ? v : kMax;
    out[i] = static_cast<Int>(v);
  }
  return non_finite == 0;
}

}  // namespace

bool QuantizeInt8Values(std::span<const float> values, QuantParams params, int8_t* out) {
  return QuantizeArray(values, params, out);
}
bool QuantizeInt16Values(std::span<const float> values, QuantParams params, int16_t* out) {
  return QuantizeArray(values, params, out);
}

int8_t QuantizeInt8(float x, QuantParams params) { return QuantizeTo<int8_t>(x, params); }
int16_t QuantizeInt16(float x, QuantParams params) { return QuantizeTo<int16_t>(x, params); }

PerChannelInt8 QuantizePerChannelInt8(std::span<const float> weights, size_t rows, size_t cols) {
  assert(weights.size() == rows * cols);
  constexpr float kMaxQ = 127.0f;
  PerChannelInt8 out;
  out.values.resize(rows * cols);
  out.scales.resize(rows);
  for (size_t r = 0; r < rows; ++r) {
    const float* row = weights.data() + r * cols;
    float half_range = 0.0f;
    for (size_t c = 0; c < cols; ++c) half_range = std::max(half_range, std::abs(row[c]));
    out.scales[r] = half_range / kMaxQ;
    const float inverse = half_range == 0.0f ? 0.0f : kMaxQ / half_range;
    for (size_t c = 0; c < cols; ++c) {
      const auto q = static_cast<int32_t>(std::round(row[c] * inverse));
      out.values[r * cols + c] = static_cast<int8_t>(std::clamp(q, -127, 127));
    }
  }
  return out;
}

std::vector<int32_t> QuantizeBiasInt32(std::span<const float> bias, float input_scale,
                                       std::span<const float> weight_scales) {
  return QuantizeBias<int32_t>(bias, input_scale, weight_scales);
}

std::vector<int64_t> QuantizeBiasInt64(std::span<const float> bias, float input_scale,
                                       std::span<const float> weight_scales) {
  return QuantizeBias<int64_t>(bias, input_scale, weight_scales);
}

}  // namespace edgefuse::core
