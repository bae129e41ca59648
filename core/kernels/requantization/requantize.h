// Requantize kernels: int32 accumulators [rows, channels] to int8 with a TFLite
// quantized multiplier per channel, the output zero point and a clamp. This is the
// tail every int8 kernel runs after its dot products, as a kernel of its own so that
// the vector helpers (neon_requantization.h) are tested against the scalar ones
// (requantization.h) on their own, rounding ties included.
//
//   const auto& k = SelectKernel<Qs32Qs8RequantizeFn>(kQs32Qs8RequantizeKernels, DefaultTierCap());
//   k.fn(rows, channels, acc, channels * sizeof(int32_t), out, channels, params);
//
// Contract: strides in bytes; acc and out do not overlap; reads and writes exactly
// rows x channels elements (no over-read). Per channel c, with q = {multiplier[c],
// left_shift[c] > 0 ? left_shift[c] : right_shift[c]}:
//   out[r][c] = AddZeroPointAndClamp(MultiplyByQuantizedMultiplier(acc[r][c], q), zero_point, min, max)
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/dispatch/dispatch.h"
#include "core/kernels/requantization/requantization.h"

namespace edgefuse::core::kernels {

// Per-channel multipliers split the way the vector code wants them (see
// ChannelMultipliers below, which builds them from QuantizedMultiplier values).
struct Qs32Qs8RequantizeParams {
  const int32_t* multiplier;   // [channels], Q31
  const int32_t* left_shift;   // [channels], >= 0
  const int32_t* right_shift;  // [channels], <= 0: minus the right shift
  int32_t zero_point;          // [-128, 127]
  int32_t min;                 // output clamp, -128 <= min <= max <= 127
  int32_t max;
};

// Owns the three arrays of Qs32Qs8RequantizeParams.
struct ChannelMultipliers {
  std::vector<int32_t> multiplier, left_shift, right_shift;
  explicit ChannelMultipliers(std::span<const QuantizedMultiplier> q);
  QuantizedMultiplier At(size_t c) const { return {multiplier[c], left_shift[c] > 0 ? left_shift[c] : right_shift[c]}; }
};

using Qs32Qs8RequantizeFn = void (*)(size_t rows, size_t channels, const int32_t* acc, size_t acc_stride, int8_t* out,
                                     size_t out_stride, const Qs32Qs8RequantizeParams& params);

namespace reference {
void qs32_qs8_requantize(size_t rows, size_t channels, const int32_t* acc, size_t acc_stride, int8_t* out,
                         size_t out_stride, const Qs32Qs8RequantizeParams& params);
}  // namespace reference
namespace neon {
void qs32_qs8_requantize_16(size_t rows, size_t channels, const int32_t* acc, size_t acc_stride, int8_t* out,
                            size_t out_stride, const Qs32Qs8RequantizeParams& params);
}  // namespace neon

// Best first; ends with the reference.
extern const std::span<const KernelEntry<Qs32Qs8RequantizeFn>> kQs32Qs8RequantizeKernels;

}  // namespace edgefuse::core::kernels
