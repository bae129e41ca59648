#include "core/quant/quantize.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>
#include <type_traits>

#if defined(__aarch64__)
#include <arm_neon.h>
#endif

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

#if defined(__aarch64__)
// 16 values at a time: FCVTAS is std::round (ties away from zero) with saturation to
// int32, the zero point a saturating add, then saturating narrows: the same values as
// QuantizeArray for every finite input. A non-finite input turns x * 0 into NaN.
template <class Int>
bool QuantizeArrayNeon(std::span<const float> values, QuantParams params, Int* out) {
  const float32x4_t scale = vdupq_n_f32(params.scale);
  const int32x4_t zero_point = vdupq_n_s32(params.zero_point);
  float32x4_t poison = vdupq_n_f32(0.0f);
  const float* x = values.data();
  const size_t n = values.size() / 16 * 16;
  for (size_t i = 0; i < n; i += 16) {
    int32x4_t q[4];
    for (int v = 0; v < 4; ++v) {
      const float32x4_t xv = vld1q_f32(x + i + 4 * v);
      poison = vfmaq_n_f32(poison, xv, 0.0f);
      q[v] = vqaddq_s32(vcvtaq_s32_f32(vdivq_f32(xv, scale)), zero_point);
    }
    const int16x8_t lo = vqmovn_high_s32(vqmovn_s32(q[0]), q[1]);
    const int16x8_t hi = vqmovn_high_s32(vqmovn_s32(q[2]), q[3]);
    if constexpr (std::is_same_v<Int, int8_t>) {
      vst1q_s8(out + i, vqmovn_high_s16(vqmovn_s16(lo), hi));
    } else {
      vst1q_s16(out + i, lo);
      vst1q_s16(out + i + 8, hi);
    }
  }
  const bool finite = vminvq_u32(vceqq_f32(poison, poison)) != 0;
  return QuantizeArray(values.subspan(n), params, out + n) && finite;
}
#endif

template <class Int>
bool QuantizeValues(std::span<const float> values, QuantParams params, Int* out) {
#if defined(__aarch64__)
  return QuantizeArrayNeon(values, params, out);
#else
  return QuantizeArray(values, params, out);
#endif
}

}  // namespace

bool QuantizeInt8Values(std::span<const float> values, QuantParams params, int8_t* out) {
  return QuantizeValues(values, params, out);
}
bool QuantizeInt16Values(std::span<const float> values, QuantParams params, int16_t* out) {
  return QuantizeValues(values, params, out);
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
