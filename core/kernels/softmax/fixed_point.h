// The fixed-point functions behind TFLite's integer softmax, in scalar form: gemmlowp's
// exp_on_negative_values (Q5.26 in, Q0.31 out), one_over_one_plus_x_for_x_in_0_1 and
// TFLite's GetReciprocal, plus TFLite's 513-entry int16 lookup tables (LUTPopulate) and
// LUTLookup. Written out on raw int32 values, operation for operation, so that they
// are bit-identical to gemmlowp/TFLite; every rounding goes through requantization.h.
//
//   const int32_t e = ExpOnNegativeValuesQ5_26(diff_q5_26);   // exp(diff) in Q0.31
//   int num_bits_over_unit;
//   const int32_t scale = GetReciprocal(sum_q12_19, 12, &num_bits_over_unit);
//   int16_t exp_lut[513];
//   PopulateSoftmaxExpLut(exp_lut);
#pragma once

#include <cstdint>

namespace edgefuse::core::kernels {

// TFLite CountLeadingZeros: 32 for 0.
int CountLeadingZeros(uint32_t x);

// gemmlowp exp_on_negative_values for FixedPoint<int32_t, 5>: exp(a / 2^26) * 2^31,
// a <= 0 (a == 0 gives INT32_MAX, gemmlowp's "one").
int32_t ExpOnNegativeValuesQ5_26(int32_t a);

// gemmlowp one_over_one_plus_x_for_x_in_0_1 on Q0.31: 2^31 / (1 + a / 2^31) / 2.
int32_t OneOverOnePlusXForXIn01(int32_t a);

// TFLite GetReciprocal: a Q0.31 scale with x * scale / 2^num_bits_over_unit ~= 1, for x
// > 0 with x_integer_digits integer bits.
int32_t GetReciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit);

// TFLite's int16 lookup tables (LUTPopulate<int16_t>, the float LUTPopulateInt16 used by
// TFLite and TFLite Micro): 512 segments plus one value for the last slope.
inline constexpr int kSoftmaxLutSize = 513;
// exp(x) on [-10, 0], output scale 2 / 65535 (Q0.15).
void PopulateSoftmaxExpLut(int16_t* lut);
// 1 / (1 + x) on [0, 1], output scale 2 / 65535.
void PopulateSoftmaxOneOverOnePlusXLut(int16_t* lut);

// TFLite LUTLookup: linear interpolation in a 513-entry table, input [-32768, 32767].
inline int16_t LutLookup(int16_t value, const int16_t* lut) {
  const int index = 256 + (value >> 7);  // [0, 511]
  const int16_t offset = static_cast<int16_t>(value & 0x7f);
  const int16_t base = lut[index];
  const int16_t slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  const int delta = (slope * offset + 64) >> 7;
  return static_cast<int16_t>(base + delta);
}

}  // namespace edgefuse::core::kernels
