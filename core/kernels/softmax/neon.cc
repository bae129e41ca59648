// Softmax kernels for ARMv8.0 Advanced SIMD. The row maximum, the input scaling, the
// interpolation, the sums and the output scaling are vector code; the table lookups
// (exp of an int8 input, the int16 LUT segments) are scalar or per-lane loads.
#include <arm_neon.h>

#include <cassert>
#include <cstring>
#include <limits>
#include <type_traits>

#include "core/kernels/gemm/neon_common.h"
#include "core/kernels/requantization/neon_requantization.h"
#include "core/kernels/rows.h"
#include "core/kernels/softmax/fixed_point.h"
#include "core/kernels/softmax/softmax.h"

namespace edgefuse::core::kernels::neon {
namespace {

// 8 byte masks (0xFF or 0) widened to 16-bit lane masks.
inline uint16x8_t WidenMask(uint8x8_t mask) { return vreinterpretq_u16_s16(vmovl_s8(vreinterpret_s8_u8(mask))); }

// 0xFFFF for each of the 8 elements from j that is kept (mask byte 0); elements past
// n count as masked. A null mask keeps every element before n.
inline uint16x8_t Keep8(const uint8_t* mask, size_t j, size_t n) {
  if (j + 8 <= n) {
    return mask == nullptr ? vdupq_n_u16(0xFFFF) : WidenMask(vceq_u8(vld1_u8(mask + j), vdup_n_u8(0)));
  }
  uint8_t buffer[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  if (mask != nullptr) {
    std::memcpy(buffer, mask + j, n - j);
  } else {
    std::memset(buffer, 0, n - j);
  }
  return WidenMask(vceq_u8(vld1_u8(buffer), vdup_n_u8(0)));
}

inline int8x8_t LoadS8x8(const int8_t* src, size_t j, size_t n) {
  if (j + 8 <= n) return vld1_s8(src + j);
  int8_t buffer[8] = {};
  std::memcpy(buffer, src + j, n - j);
  return vld1_s8(buffer);
}

inline int16x8_t LoadS16x8(const int16_t* src, size_t j, size_t n) {
  if (j + 8 <= n) return vld1q_s16(src + j);
  return LoadS16Partial(src + j, n - j).val[0];
}

// Row maximum over kept elements, 8 at a time; false when no element is kept.
template <class T>
bool RowMax(const T* x, const uint8_t* mask, size_t n, int32_t* max) {
  int16x8_t vmax = vdupq_n_s16(std::numeric_limits<T>::min());
  uint16x8_t any = vdupq_n_u16(0);
  for (size_t j = 0; j < n; j += 8) {
    int16x8_t v;
    if constexpr (std::is_same_v<T, int8_t>) {
      v = vmovl_s8(LoadS8x8(x, j, n));
    } else {
      v = LoadS16x8(x, j, n);
    }
    const uint16x8_t keep = Keep8(mask, j, n);
    vmax = vmaxq_s16(vmax, vbslq_s16(keep, v, vdupq_n_s16(std::numeric_limits<T>::min())));
    any = vorrq_u16(any, keep);
  }
  *max = vmaxvq_s16(vmax);
  return vmaxvq_u16(any) != 0;
}

// Row maximum of int8 inputs without a mask, 16 at a time (n >= 1).
inline int32_t RowMaxS8(const int8_t* x, size_t n) {
  int8x16_t vmax = vdupq_n_s8(-128);
  size_t j = 0;
  for (; j + 16 <= n; j += 16) vmax = vmaxq_s8(vmax, vld1q_s8(x + j));
  int32_t max = vmaxvq_s8(vmax);
  for (; j < n; ++j) max = x[j] > max ? x[j] : max;
  return max;
}

// The int8-input softmax in three passes over one row:
//  1. exps[j] = exp(x[j] - max), looked up with x[j] as the index (SoftmaxExpTable's
//     layout): a signed byte load, a table load and a store per element, no index
//     arithmetic; zeros pad the row to 16;
//  2. masked exps set to 0, and the sum of the Q12.19 terms: SRSHR #12 is the
//     reference's RoundingDivideByPot because every exp is >= 0;
//  3. outputs from the stored exps: SQRDMULH by the reciprocal, SRSHL by minus the
//     exponent (round half up, which the reference's rounding is on values >= 0; an
//     exponent above 31 gives 0 as the reference defines), unsigned saturating narrow
//     and the zero point as a flipped sign bit (p + kOutMin clamped above).
// An exp of 0 (masked, below diff_min, or padding past n) gives the output zero point.
template <class Out>
void Qs8SoftmaxTable(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                     Out* y, size_t y_stride, const SoftmaxParams& p) {
  assert(n <= kMaxSoftmaxQs8Row && p.exp_table != nullptr);
  constexpr int32_t kOutMin = std::numeric_limits<Out>::min();
  alignas(16) int32_t exps[kMaxSoftmaxQs8Row + 1];  // n rounded up to 16
  const size_t n8 = (n + 7) / 8 * 8, n16 = (n + 15) / 16 * 16;
  for (size_t i = 0; i < rows; ++i) {
    const int8_t* xi = Row(x, x_stride, i);
    const uint8_t* mi = mask != nullptr ? mask + i * mask_stride : nullptr;
    Out* yi = Row(y, y_stride, i);
    int32_t max = 0;
    if (mi == nullptr) {
      max = RowMaxS8(xi, n);
    } else if (!RowMax(xi, mi, n, &max)) {
      for (size_t j = 0; j < n; ++j) yi[j] = static_cast<Out>(kOutMin);
      continue;
    }
    const int32_t* base = p.exp_table->exp_by_offset + 255 - max;
    size_t j = 0;
    for (; j + 16 <= n; j += 16) {
      // SMOV sign-extends a lane into the index register: two instructions per lookup
      // and a store, the least a NEON gather costs.
      const int8x16_t v = vld1q_s8(xi + j);
      int32_t* e = exps + j;
      e[0] = base[vgetq_lane_s8(v, 0)];
      e[1] = base[vgetq_lane_s8(v, 1)];
      e[2] = base[vgetq_lane_s8(v, 2)];
      e[3] = base[vgetq_lane_s8(v, 3)];
      e[4] = base[vgetq_lane_s8(v, 4)];
      e[5] = base[vgetq_lane_s8(v, 5)];
      e[6] = base[vgetq_lane_s8(v, 6)];
      e[7] = base[vgetq_lane_s8(v, 7)];
      e[8] = base[vgetq_lane_s8(v, 8)];
      e[9] = base[vgetq_lane_s8(v, 9)];
      e[10] = base[vgetq_lane_s8(v, 10)];
      e[11] = base[vgetq_lane_s8(v, 11)];
      e[12] = base[vgetq_lane_s8(v, 12)];
      e[13] = base[vgetq_lane_s8(v, 13)];
      e[14] = base[vgetq_lane_s8(v, 14)];
      e[15] = base[vgetq_lane_s8(v, 15)];
    }
    for (; j < n; ++j) exps[j] = base[xi[j]];
    for (; j < n16; ++j) exps[j] = 0;

    int32x4_t sum = vdupq_n_s32(0);
    if (mi == nullptr) {
      for (j = 0; j < n16; j += 16) {
        const int32x4x4_t e = vld1q_s32_x4(exps + j);
        sum = vrsraq_n_s32(vrsraq_n_s32(sum, e.val[0], 12), e.val[1], 12);
        sum = vrsraq_n_s32(vrsraq_n_s32(sum, e.val[2], 12), e.val[3], 12);
      }
    } else {
      for (j = 0; j < n8; j += 8) {
        const int16x8_t keep = vreinterpretq_s16_u16(Keep8(mi, j, n));
        const int32x4_t e0 = vandq_s32(vld1q_s32(exps + j), vmovl_s16(vget_low_s16(keep)));
        const int32x4_t e1 = vandq_s32(vld1q_s32(exps + j + 4), vmovl_high_s16(keep));
        vst1q_s32(exps + j, e0);
        vst1q_s32(exps + j + 4, e1);
        sum = vrsraq_n_s32(vrsraq_n_s32(sum, e0, 12), e1, 12);
      }
    }
    int num_bits_over_unit = 0;
    const int32_t scale = GetReciprocal(vaddvq_s32(sum), 12, &num_bits_over_unit);
    const int32x4_t neg_exponent = vdupq_n_s32(-(num_bits_over_unit + 31 - static_cast<int>(sizeof(Out) * 8)));
    const auto outputs4 = [&](int32x4_t e) { return vrshlq_s32(vqrdmulhq_n_s32(e, scale), neg_exponent); };
    const auto outputs8 = [&](size_t at) {
      return vqmovun_high_s32(vqmovun_s32(outputs4(vld1q_s32(exps + at))), outputs4(vld1q_s32(exps + at + 4)));
    };
    for (j = 0; j + 16 <= n; j += 16) {
      const int32x4x4_t e = vld1q_s32_x4(exps + j);
      const uint16x8_t lo = vqmovun_high_s32(vqmovun_s32(outputs4(e.val[0])), outputs4(e.val[1]));
      const uint16x8_t hi = vqmovun_high_s32(vqmovun_s32(outputs4(e.val[2])), outputs4(e.val[3]));
      if constexpr (std::is_same_v<Out, int8_t>) {
        vst1q_s8(yi + j, vreinterpretq_s8_u8(veorq_u8(vqmovn_high_u16(vqmovn_u16(lo), hi), vdupq_n_u8(0x80))));
      } else {
        vst1q_s16(yi + j, vreinterpretq_s16_u16(veorq_u16(lo, vdupq_n_u16(0x8000))));
        vst1q_s16(yi + j + 8, vreinterpretq_s16_u16(veorq_u16(hi, vdupq_n_u16(0x8000))));
      }
    }
    for (; j < n; j += 8) {  // the last 1..15 outputs
      const uint16x8_t u = outputs8(j);
      if constexpr (std::is_same_v<Out, int8_t>) {
        const int8x8_t out = vreinterpret_s8_u8(veor_u8(vqmovn_u16(u), vdup_n_u8(0x80)));
        j + 8 <= n ? vst1_s8(yi + j, out) : StoreS8Partial(yi + j, out, n - j);
      } else {
        const int16x8_t out = vreinterpretq_s16_u16(veorq_u16(u, vdupq_n_u16(0x8000)));
        j + 8 <= n ? vst1q_s16(yi + j, out) : StoreS16Partial(yi + j, out, n - j);
      }
    }
  }
}

// Base and next value of the LUT segments of 8 inputs: one 32-bit load per lane at a
// byte offset (index * 2, which fits 16 bits).
inline void LutSegments(const int16_t* lut, int16x8_t index, int16x8_t* base, int16x8_t* next) {
  const uint16x8_t offset = vshlq_n_u16(vreinterpretq_u16_s16(index), 1);
  const char* bytes = reinterpret_cast<const char*>(lut);
  int32_t pair[8];
  std::memcpy(&pair[0], bytes + vgetq_lane_u16(offset, 0), 4);
  std::memcpy(&pair[1], bytes + vgetq_lane_u16(offset, 1), 4);
  std::memcpy(&pair[2], bytes + vgetq_lane_u16(offset, 2), 4);
  std::memcpy(&pair[3], bytes + vgetq_lane_u16(offset, 3), 4);
  std::memcpy(&pair[4], bytes + vgetq_lane_u16(offset, 4), 4);
  std::memcpy(&pair[5], bytes + vgetq_lane_u16(offset, 5), 4);
  std::memcpy(&pair[6], bytes + vgetq_lane_u16(offset, 6), 4);
  std::memcpy(&pair[7], bytes + vgetq_lane_u16(offset, 7), 4);
  const int16x8_t lo = vreinterpretq_s16_s32(vld1q_s32(pair)), hi = vreinterpretq_s16_s32(vld1q_s32(pair + 4));
  *base = vuzp1q_s16(lo, hi);
  *next = vuzp2q_s16(lo, hi);
}

// TFLite's input scaling of the int16 softmax for 4 lanes, by the sign of the shift.
enum class Shift { kLeft, kRight, kNone };
template <Shift kShift>
inline int32x4_t ScaleDiff(int32x4_t diff, const QuantizedMultiplierVec& q) {
  if constexpr (kShift == Shift::kRight) {
    return MultiplyByQuantizedMultiplierRightShift(diff, q.multiplier, q.right_shift);
  } else {
    // No right shift, so no rounding fix-up: MultiplyByQuantizedMultiplier is SSHL, SQRDMULH.
    return vqrdmulhq_s32(kShift == Shift::kLeft ? vshlq_s32(diff, q.left_shift) : diff, q.multiplier);
  }
}

template <bool kMasked, Shift kShift>
void Qs16SoftmaxLut(size_t rows, size_t n, const int16_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                    int16_t* y, size_t y_stride, const SoftmaxParams& p) {
  const QuantizedMultiplierVec input_q = DupQuantizedMultiplier({p.input_multiplier, p.input_left_shift});
  const int16_t* exp_lut = p.exp_lut;
  const int16_t* one_over_one_plus_x_lut = p.one_over_one_plus_x_lut;
  for (size_t i = 0; i < rows; ++i) {
    const int16_t* xi = Row(x, x_stride, i);
    const uint8_t* mi = kMasked ? mask + i * mask_stride : nullptr;
    int16_t* yi = Row(y, y_stride, i);
    int32_t max = 0;
    if (!RowMax(xi, mi, n, &max)) {
      std::memset(yi, 0, n * sizeof(int16_t));
      continue;
    }
    const int16x8_t vmax = vdupq_n_s16(static_cast<int16_t>(max));
    int32x4_t sum = vdupq_n_s32(0);
    // The exps (Q0.15) go to the output row first, as in the reference.
    for (size_t j = 0; j < n; j += 8) {
      const int16x8_t v = LoadS16x8(xi, j, n);
      const int32x4_t scaled_lo = ScaleDiff<kShift>(vsubl_s16(vget_low_s16(v), vget_low_s16(vmax)), input_q);
      const int32x4_t scaled_hi = ScaleDiff<kShift>(vsubl_high_s16(v, vmax), input_q);
      const int16x8_t sym = vqmovn_high_s32(vqmovn_s32(vaddq_s32(scaled_lo, vdupq_n_s32(32767))),
                                            vaddq_s32(scaled_hi, vdupq_n_s32(32767)));
      const int16x8_t index = vaddq_s16(vshrq_n_s16(sym, 7), vdupq_n_s16(256));
      const int16x8_t offset = vandq_s16(sym, vdupq_n_s16(0x7f));
      int16x8_t base, next;
      LutSegments(exp_lut, index, &base, &next);
      const int16x8_t slope = vsubq_s16(next, base);
      const int16x8_t delta = vrshrn_high_n_s32(vrshrn_n_s32(vmull_s16(vget_low_s16(slope), vget_low_s16(offset)), 7),
                                                vmull_high_s16(slope, offset), 7);
      int16x8_t e = vaddq_s16(base, delta);
      if (kMasked || j + 8 > n) e = vbslq_s16(Keep8(mi, j, n), e, vdupq_n_s16(0));
      sum = vpadalq_s16(sum, e);
      if (j + 8 <= n) {
        vst1q_s16(yi + j, e);
      } else {
        StoreS16Partial(yi + j, e, n - j);
      }
    }
    const int32_t sum_of_exps = vaddvq_s32(sum);
    const int headroom_plus_one = CountLeadingZeros(static_cast<uint32_t>(sum_of_exps));
    const int32_t shifted_sum = static_cast<int32_t>(
        kernels::RoundingShiftRightHalfUp(static_cast<int64_t>(sum_of_exps) << (headroom_plus_one - 1), 14));
    int32_t sym_shifted_sum = shifted_sum - ((1 << 15) + (1 << 16));
    sym_shifted_sum = sym_shifted_sum < -32768 ? -32768 : (sym_shifted_sum > 32767 ? 32767 : sym_shifted_sum);
    const int16_t reciprocal = LutLookup(static_cast<int16_t>(sym_shifted_sum), one_over_one_plus_x_lut);
    const int32x4_t neg_shift = vdupq_n_s32(-(31 - headroom_plus_one));
    for (size_t j = 0; j < n; j += 8) {
      const int16x8_t e = LoadS16x8(yi, j, n);
      const int32x4_t lo = RoundingShiftRightHalfUp(vmull_n_s16(vget_low_s16(e), reciprocal), neg_shift);
      const int32x4_t hi = RoundingShiftRightHalfUp(vmull_high_n_s16(e, reciprocal), neg_shift);
      const int16x8_t out = vmaxq_s16(vqmovn_high_s32(vqmovn_s32(lo), hi), vdupq_n_s16(0));
      if (j + 8 <= n) {
        vst1q_s16(yi + j, out);
      } else {
        StoreS16Partial(yi + j, out, n - j);
      }
    }
  }
}

template <bool kMasked>
void Qs16SoftmaxLutShift(size_t rows, size_t n, const int16_t* x, size_t x_stride, const uint8_t* mask,
                         size_t mask_stride, int16_t* y, size_t y_stride, const SoftmaxParams& p) {
  if (p.input_left_shift > 0) {
    Qs16SoftmaxLut<kMasked, Shift::kLeft>(rows, n, x, x_stride, mask, mask_stride, y, y_stride, p);
  } else if (p.input_left_shift < 0) {
    Qs16SoftmaxLut<kMasked, Shift::kRight>(rows, n, x, x_stride, mask, mask_stride, y, y_stride, p);
  } else {
    Qs16SoftmaxLut<kMasked, Shift::kNone>(rows, n, x, x_stride, mask, mask_stride, y, y_stride, p);
  }
}

}  // namespace

void qs8_softmax_table(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                       int8_t* y, size_t y_stride, const SoftmaxParams& params) {
  Qs8SoftmaxTable(rows, n, x, x_stride, mask, mask_stride, y, y_stride, params);
}

void qs8_qs16_softmax_table(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask,
                            size_t mask_stride, int16_t* y, size_t y_stride, const SoftmaxParams& params) {
  Qs8SoftmaxTable(rows, n, x, x_stride, mask, mask_stride, y, y_stride, params);
}

void qs16_softmax_lut(size_t rows, size_t n, const int16_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                      int16_t* y, size_t y_stride, const SoftmaxParams& p) {
  assert(n <= kMaxSoftmaxQs16Row && p.exp_lut != nullptr && p.one_over_one_plus_x_lut != nullptr);
  if (mask != nullptr) {
    Qs16SoftmaxLutShift<true>(rows, n, x, x_stride, mask, mask_stride, y, y_stride, p);
  } else {
    Qs16SoftmaxLutShift<false>(rows, n, x, x_stride, mask, mask_stride, y, y_stride, p);
  }
}

}  // namespace edgefuse::core::kernels::neon
