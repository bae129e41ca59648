// The vector form of requantization.h for AArch64 Advanced SIMD: every NEON and NEON
// dot-product kernel rounds through these functions and nothing else, so that a
// kernel can only agree with the scalar reference or differ from it everywhere.
// Include only from a neon.cc / neondot.cc file (this header includes <arm_neon.h>).
//
//   const QuantizedMultiplierVec q = DupQuantizedMultiplier(QuantizeMultiplier(0.0123));
//   int32x4_t y = MultiplyByQuantizedMultiplier(acc, q);                 // any shift
//   int8x16_t out = NarrowToS8(y0, y1, y2, y3, zero_point, min, max);    // + zero point, clamp
//
// Why a fix-up: SQRDMULH is exactly SaturatingRoundingDoublingHighMul, but SRSHL rounds
// ties toward +infinity while RoundingDivideByPOT rounds them away from zero. For a
// negative value x, rounding x - 1 up is rounding x away from zero, so 1 is subtracted
// from negative values before SRSHL, and only when the shift is a right shift.
#pragma once

#include <arm_neon.h>

#include "core/kernels/requantization/requantization.h"

namespace edgefuse::core::kernels::neon {

// TFLite quantized multipliers, one per lane, laid out for the vector sequence.
struct QuantizedMultiplierVec {
  int32x4_t multiplier;
  int32x4_t left_shift;   // >= 0
  int32x4_t right_shift;  // <= 0: minus the right shift, as SRSHL takes it
};

inline QuantizedMultiplierVec DupQuantizedMultiplier(QuantizedMultiplier q) {
  return {vdupq_n_s32(q.multiplier), vdupq_n_s32(q.shift > 0 ? q.shift : 0), vdupq_n_s32(q.shift > 0 ? 0 : q.shift)};
}

// Four lanes from arrays of multipliers, left shifts (>= 0) and negated right shifts (<= 0).
inline QuantizedMultiplierVec LoadQuantizedMultiplier(const int32_t* multiplier, const int32_t* left_shift,
                                                      const int32_t* right_shift) {
  return {vld1q_s32(multiplier), vld1q_s32(left_shift), vld1q_s32(right_shift)};
}

// TFLite MultiplyByQuantizedMultiplier(int32_t, ...) per lane, any shifts: SSHL, SQRDMULH,
// then the fix-up and SRSHL. The fix-up takes the sign from the input rather than the
// product: they agree whenever the shift is a right shift (the multiplier is >= 0), and
// a product rounded to 0 from a negative input still rounds to 0. The non-saturating
// add cannot overflow: SQRDMULH never returns INT32_MIN for a multiplier < 2^31.
inline int32x4_t MultiplyByQuantizedMultiplier(int32x4_t x, const QuantizedMultiplierVec& q) {
  const int32x4_t shifted = vshlq_s32(x, q.left_shift);
  const int32x4_t product = vqrdmulhq_s32(shifted, q.multiplier);
  const int32x4_t negative_and_right = vandq_s32(shifted, q.right_shift);  // sign bit: x < 0 and shift < 0
  return vrshlq_s32(vsraq_n_s32(product, negative_and_right, 31), q.right_shift);
}

// The same for lanes that all shift right by at least 1 and never left (the common case
// of a multiplier below 0.5): 3 instructions.
inline int32x4_t MultiplyByQuantizedMultiplierRightShift(int32x4_t x, int32x4_t multiplier, int32x4_t right_shift) {
  const int32x4_t product = vqrdmulhq_s32(x, multiplier);
  return vrshlq_s32(vsraq_n_s32(product, x, 31), right_shift);
}

// MultiplyByQuantizedMultiplierRightShift of 8 lanes with a right shift known at compile
// time (1..16), saturated to int16: SQRSHRN rounds (ties up) and narrows in one
// instruction, exactly SRSHL then SQXTN. 3 instructions per 4 lanes with the narrowing.
template <int kShift>
inline int16x8_t MultiplyByQuantizedMultiplierRightShiftNarrow(int32x4_t x0, int32x4_t x1, int32x4_t multiplier) {
  static_assert(kShift >= 1 && kShift <= 16);
  const int32x4_t p0 = vsraq_n_s32(vqrdmulhq_s32(x0, multiplier), x0, 31);
  const int32x4_t p1 = vsraq_n_s32(vqrdmulhq_s32(x1, multiplier), x1, 31);
  return vqrshrn_high_n_s32(vqrshrn_n_s32(p0, kShift), p1, kShift);
}

// TFLite's (x + 2^(s-1)) >> s per lane; neg_shift = -s. SRSHL rounds in full precision.
inline int32x4_t RoundingShiftRightHalfUp(int32x4_t x, int32x4_t neg_shift) { return vrshlq_s32(x, neg_shift); }
inline int64x2_t RoundingShiftRightHalfUp(int64x2_t x, int64x2_t neg_shift) { return vrshlq_s64(x, neg_shift); }

// The tail of the 64-bit path for four lanes: lo/hi hold x * ReducedMultiplier (lanes
// 0-1 and 2-3) and neg_shift_lo/hi minus ReducedShift; returns
// SaturateToInt32(RoundingShiftRightHalfUp(x * ReducedMultiplier, ReducedShift)).
inline int32x4_t ReducedRequantize(int64x2_t lo, int64x2_t hi, int64x2_t neg_shift_lo, int64x2_t neg_shift_hi) {
  return vqmovn_high_s64(vqmovn_s64(RoundingShiftRightHalfUp(lo, neg_shift_lo)),
                         RoundingShiftRightHalfUp(hi, neg_shift_hi));
}

// AddZeroPointAndClamp for 16 int32 lanes to int8. Saturating to int16, adding the zero
// point (|zero point| <= 128) with saturation and saturating to int8 gives the exact
// clamp of x + zero point, because every saturation happens far outside [-128, 127].
inline int8x16_t NarrowToS8(int32x4_t v0, int32x4_t v1, int32x4_t v2, int32x4_t v3, int16x8_t zero_point, int8x16_t min,
                            int8x16_t max) {
  const int16x8_t lo = vqaddq_s16(vqmovn_high_s32(vqmovn_s32(v0), v1), zero_point);
  const int16x8_t hi = vqaddq_s16(vqmovn_high_s32(vqmovn_s32(v2), v3), zero_point);
  return vminq_s8(vmaxq_s8(vqmovn_high_s16(vqmovn_s16(lo), hi), min), max);
}

// AddZeroPointAndClamp of 16 lanes already saturated to int16 (see NarrowToS8).
inline int8x16_t NarrowToS8(int16x8_t lo, int16x8_t hi, int16x8_t zero_point, int8x16_t min, int8x16_t max) {
  return vminq_s8(vmaxq_s8(vqmovn_high_s16(vqmovn_s16(vqaddq_s16(lo, zero_point)), vqaddq_s16(hi, zero_point)), min),
                  max);
}
inline int8x16_t NarrowToS8(int16x8_t lo, int16x8_t hi, int16x8_t zero_point) {
  return vqmovn_high_s16(vqmovn_s16(vqaddq_s16(lo, zero_point)), vqaddq_s16(hi, zero_point));
}

// The same without a clamp (the output range is all of int8): the saturations are it.
inline int8x16_t NarrowToS8(int32x4_t v0, int32x4_t v1, int32x4_t v2, int32x4_t v3, int16x8_t zero_point) {
  const int16x8_t lo = vqaddq_s16(vqmovn_high_s32(vqmovn_s32(v0), v1), zero_point);
  const int16x8_t hi = vqaddq_s16(vqmovn_high_s32(vqmovn_s32(v2), v3), zero_point);
  return vqmovn_high_s16(vqmovn_s16(lo), hi);
}

// The same for 8 lanes.
inline int8x8_t NarrowToS8(int32x4_t v0, int32x4_t v1, int16x8_t zero_point, int8x16_t min, int8x16_t max) {
  const int16x8_t sum = vqaddq_s16(vqmovn_high_s32(vqmovn_s32(v0), v1), zero_point);
  return vmin_s8(vmax_s8(vqmovn_s16(sum), vget_low_s8(min)), vget_low_s8(max));
}

// AddZeroPointAndClamp for 8 int32 lanes to int16 (the saturating add is exact for the
// same reason as above).
inline int16x8_t NarrowToS16(int32x4_t v0, int32x4_t v1, int32x4_t zero_point, int16x8_t min, int16x8_t max) {
  const int16x8_t narrowed = vqmovn_high_s32(vqmovn_s32(vqaddq_s32(v0, zero_point)), vqaddq_s32(v1, zero_point));
  return vminq_s16(vmaxq_s16(narrowed, min), max);
}

}  // namespace edgefuse::core::kernels::neon
