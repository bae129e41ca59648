// The specification of the softmax kernels: TFLite's reference loops, with the key
// padding mask defined in softmax.h.
#include <algorithm>
#include <cassert>
#include <limits>

#include "core/kernels/requantization/requantization.h"
#include "core/kernels/rows.h"
#include "core/kernels/softmax/fixed_point.h"
#include "core/kernels/softmax/softmax.h"

namespace edgefuse::core::kernels {
namespace {

bool Masked(const uint8_t* mask, size_t j) { return mask != nullptr && mask[j] != 0; }

// exp(input_diff * beta * scale) in Q0.31 as TFLite computes it (input_diff <= 0).
int32_t Qs8Exp(int32_t input_diff, const SoftmaxParams& p) {
  const int32_t rescaled =
      MultiplyByQuantizedMultiplierGreaterThanOne(input_diff, p.input_multiplier, p.input_left_shift);
  return ExpOnNegativeValuesQ5_26(rescaled);
}

// RoundingDivideByPOT for the final scaling, whose exponent can exceed 31 on long rows:
// the value (>= 0, < 2^31) then rounds to 0, which TFLite leaves to an assert.
int32_t ScaleOutput(int32_t x, int exponent) { return exponent > 31 ? 0 : RoundingDivideByPot(x, exponent); }

// TFLite reference_ops::Softmax<int8_t, OutputT>.
template <class Out>
void Qs8Softmax(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                Out* y, size_t y_stride, const SoftmaxParams& p) {
  assert(n <= kMaxSoftmaxQs8Row);
  constexpr int32_t kOutMin = sizeof(Out) == 1 ? -128 : -32768;
  constexpr int32_t kOutMax = sizeof(Out) == 1 ? 127 : 32767;
  for (size_t i = 0; i < rows; ++i) {
    const int8_t* xi = Row(x, x_stride, i);
    const uint8_t* mi = mask != nullptr ? mask + i * mask_stride : nullptr;
    Out* yi = Row(y, y_stride, i);
    int32_t max_in_row = -128;
    bool any = false;
    for (size_t j = 0; j < n; ++j) {
      if (Masked(mi, j)) continue;
      max_in_row = std::max<int32_t>(max_in_row, xi[j]);
      any = true;
    }
    if (!any) {  // fully masked: all probability 0
      for (size_t j = 0; j < n; ++j) yi[j] = static_cast<Out>(kOutMin);
      continue;
    }
    uint32_t sum_of_exps = 0;  // Q12.19
    for (size_t j = 0; j < n; ++j) {
      const int32_t input_diff = xi[j] - max_in_row;
      if (Masked(mi, j) || input_diff < p.diff_min) continue;
      sum_of_exps += static_cast<uint32_t>(RoundingDivideByPot(Qs8Exp(input_diff, p), 12));
    }
    int num_bits_over_unit = 0;
    const int32_t shifted_scale = GetReciprocal(static_cast<int32_t>(sum_of_exps), 12, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - static_cast<int>(sizeof(Out) * 8);
    for (size_t j = 0; j < n; ++j) {
      const int32_t input_diff = xi[j] - max_in_row;
      if (Masked(mi, j) || input_diff < p.diff_min) {
        yi[j] = static_cast<Out>(kOutMin);
        continue;
      }
      const int32_t unsat =
          ScaleOutput(SaturatingRoundingDoublingHighMul(shifted_scale, Qs8Exp(input_diff, p)), exponent);
      yi[j] = static_cast<Out>(std::clamp(unsat + kOutMin, kOutMin, kOutMax));
    }
  }
}

}  // namespace

void BuildSoftmaxExpTable(const SoftmaxParams& params, SoftmaxExpTable* table) {
  for (int i = 0; i < 511; ++i) {
    const int d = 255 - i;  // max - x
    table->exp_by_offset[i] = d >= 0 && -d >= params.diff_min ? Qs8Exp(-d, params) : 0;
  }
}

namespace reference {

void qs8_softmax(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                 int8_t* y, size_t y_stride, const SoftmaxParams& params) {
  Qs8Softmax(rows, n, x, x_stride, mask, mask_stride, y, y_stride, params);
}

void qs8_qs16_softmax(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                      int16_t* y, size_t y_stride, const SoftmaxParams& params) {
  Qs8Softmax(rows, n, x, x_stride, mask, mask_stride, y, y_stride, params);
}

// TFLite reference_ops::SoftmaxInt16.
void qs16_softmax(size_t rows, size_t n, const int16_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                  int16_t* y, size_t y_stride, const SoftmaxParams& p) {
  assert(n <= kMaxSoftmaxQs16Row && p.exp_lut != nullptr && p.one_over_one_plus_x_lut != nullptr);
  const QuantizedMultiplier input_q{p.input_multiplier, p.input_left_shift};
  for (size_t i = 0; i < rows; ++i) {
    const int16_t* xi = Row(x, x_stride, i);
    const uint8_t* mi = mask != nullptr ? mask + i * mask_stride : nullptr;
    int16_t* yi = Row(y, y_stride, i);
    int32_t max_in_row = std::numeric_limits<int16_t>::min();
    bool any = false;
    for (size_t j = 0; j < n; ++j) {
      if (Masked(mi, j)) continue;
      max_in_row = std::max<int32_t>(max_in_row, xi[j]);
      any = true;
    }
    if (!any) {
      for (size_t j = 0; j < n; ++j) yi[j] = 0;
      continue;
    }
    // The exps (Q0.15) are cached in the output row, as TFLite does.
    int32_t sum_of_exps = 0;  // Q16.15
    for (size_t j = 0; j < n; ++j) {
      if (Masked(mi, j)) {
        yi[j] = 0;
        continue;
      }
      const int32_t input_diff = xi[j] - max_in_row;
      // Scale [-65535, 0] to [-10, 0], recentre to [-32768, 32767].
      const int32_t scaled_diff = MultiplyByQuantizedMultiplier(input_diff, input_q);
      const int32_t sym_scaled_diff = std::clamp(scaled_diff + 32767, -32768, 32767);
      yi[j] = LutLookup(static_cast<int16_t>(sym_scaled_diff), p.exp_lut);
      sum_of_exps += yi[j];
    }
    // 1 / sum_of_exps from the 1/(1+x) table on x = sum - 1 in [0, 1), recentred.
    const int headroom_plus_one = CountLeadingZeros(static_cast<uint32_t>(sum_of_exps));
    const int32_t shifted_sum = static_cast<int32_t>(
        RoundingShiftRightHalfUp(static_cast<int64_t>(sum_of_exps) << (headroom_plus_one - 1), 14));
    const int32_t sym_shifted_sum = std::clamp(shifted_sum - ((1 << 15) + (1 << 16)), -32768, 32767);
    const int16_t reciprocal_scale_q015 = LutLookup(static_cast<int16_t>(sym_shifted_sum), p.one_over_one_plus_x_lut);
    const int right_shift = 31 - headroom_plus_one;
    for (size_t j = 0; j < n; ++j) {
      if (Masked(mi, j)) continue;  // already 0
      const int64_t product = static_cast<int64_t>(yi[j]) * reciprocal_scale_q015;
      const int32_t result = static_cast<int32_t>(RoundingShiftRightHalfUp(product, right_shift));
      yi[j] = static_cast<int16_t>(std::clamp(result, 0, 32767));
    }
  }
}

}  // namespace reference
}  // namespace edgefuse::core::kernels
