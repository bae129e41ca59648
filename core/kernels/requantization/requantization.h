// Requantization shared by every integer kernel: TensorFlow Lite's fixed-point
// rescaling of int32 / int64 accumulators, in scalar form. This header is the
// specification; core/kernels/requantization/neon_requantization.h holds the vector
// form, and the tests prove the two agree bit for bit (rounding ties included).
//
//   const QuantizedMultiplier q = QuantizeMultiplier(input_scale * weight_scale / output_scale);
//   int32_t y = MultiplyByQuantizedMultiplier(acc, q) + output_zero_point;   // int32 accumulator
//   int32_t z = MultiplyByQuantizedMultiplier(int64_t{acc64}, q);            // 16x8: int64 accumulator
//
// What TFLite does, and what we do where TFLite leaves the result undefined:
//  - 32-bit path (TFLite `MultiplyByQuantizedMultiplier(int32_t, ...)`, double rounding):
//    SaturatingRoundingDoublingHighMul(x * 2^left, m) (ties up) then
//    RoundingDivideByPOT(., right) (ties away from zero). `x * 2^left` wraps modulo 2^32 here (TFLite: signed
//    overflow).
//  - 64-bit path (TFLite `MultiplyByQuantizedMultiplier(int64_t, ...)`, used with int64
//    accumulators by the 16x8 kernels): the Q31 multiplier is reduced to Q15
//    (`ReducedMultiplier`) and (x * m15 + 2^(s-1)) >> s with s = 15 - shift: a single
//    rounding, ties toward +infinity. TFLite truncates the int64 result to int32 (it
//    assumes it fits); we saturate. Requires shift in [-31, 7] and |x| < 2^47.
#pragma once

#include <cstdint>
#include <limits>

namespace edgefuse::core::kernels {

// A real multiplier M as TFLite stores it: M ~= multiplier * 2^(shift - 31), with
// multiplier in [2^30, 2^31) (or 0 for M == 0). shift > 0 shifts left.
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};

// TFLite QuantizeMultiplier (frexp, round half away from zero, 2^31 folded into the
// exponent, shifts below -31 flushed to zero). real_multiplier must be finite and >= 0.
QuantizedMultiplier QuantizeMultiplier(double real_multiplier);

// gemmlowp SaturatingRoundingDoublingHighMul: (2 a b + 2^31) >> 32, i.e. a b / 2^31
// rounded to nearest with ties toward +infinity, saturating INT32_MIN * INT32_MIN.
// Exactly NEON SQRDMULH.
inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::max();
  const int64_t ab = static_cast<int64_t>(a) * b;
  const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
// exponent in [0, 31].
inline int32_t RoundingDivideByPot(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * 2^left_shift modulo 2^32 (TFLite writes x * (1 << left_shift)).
inline int32_t WrappingShiftLeft(int32_t x, int left_shift) {
  return static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift);
}

// TFLite MultiplyByQuantizedMultiplier(int32_t x, int32_t quantized_multiplier, int shift),
// double-rounding build (TFLite's default). shift in [-31, 30].
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier q) {
  const int left_shift = q.shift > 0 ? q.shift : 0;
  const int right_shift = q.shift > 0 ? 0 : -q.shift;
  return RoundingDivideByPot(SaturatingRoundingDoublingHighMul(WrappingShiftLeft(x, left_shift), q.multiplier),
                             right_shift);
}

// TFLite MultiplyByQuantizedMultiplierGreaterThanOne (softmax input scaling): left shift only.
inline int32_t MultiplyByQuantizedMultiplierGreaterThanOne(int32_t x, int32_t multiplier, int left_shift) {
  return SaturatingRoundingDoublingHighMul(WrappingShiftLeft(x, left_shift), multiplier);
}

// TFLite's rounding right shift (x + 2^(shift-1)) >> shift: ties toward +infinity.
// shift in [1, 62]; computed without intermediate overflow, like AArch64 SRSHL.
inline int64_t RoundingShiftRightHalfUp(int64_t x, int shift) { return (x >> shift) + ((x >> (shift - 1)) & 1); }
inline int32_t RoundingShiftRightHalfUp(int32_t x, int shift) {
  return static_cast<int32_t>(RoundingShiftRightHalfUp(static_cast<int64_t>(x), shift));
}

inline int32_t SaturateToInt32(int64_t x) {
  if (x < std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::min();
  if (x > std::numeric_limits<int32_t>::max()) return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(x);
}

// The Q15 multiplier of TFLite's 64-bit path: round(m / 2^16), capped at 0x7FFF.
inline int32_t ReducedMultiplier(int32_t multiplier) {
  return multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
}

// Total right shift of the 64-bit path: 15 - shift, in [8, 46].
inline int ReducedShift(QuantizedMultiplier q) { return 15 - q.shift; }

// Whether q can be used by the 64-bit path (TFLite asserts shift in [-31, 7]).
inline bool FitsInt64Path(QuantizedMultiplier q) { return q.multiplier >= 0 && q.shift >= -31 && q.shift <= 7; }

// TFLite MultiplyByQuantizedMultiplier(int64_t x, int32_t quantized_multiplier, int shift),
// saturated to int32. Requires FitsInt64Path(q) and |x| < 2^47.
inline int32_t MultiplyByQuantizedMultiplier(int64_t x, QuantizedMultiplier q) {
  return SaturateToInt32(RoundingShiftRightHalfUp(x * ReducedMultiplier(q.multiplier), ReducedShift(q)));
}

// The common tail of every kernel: add the output zero point, clamp to [min, max].
inline int32_t AddZeroPointAndClamp(int32_t x, int32_t zero_point, int32_t min, int32_t max) {
  const int64_t y = static_cast<int64_t>(x) + zero_point;
  return static_cast<int32_t>(y < min ? min : (y > max ? max : y));
}

}  // namespace edgefuse::core::kernels
