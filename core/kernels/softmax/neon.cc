// Softmax kernels for ARMv8.0 Advanced SIMD. The row maximum, the input scaling, the
// interpolation, the sums and the output scaling are vector code; the table lookups
// (exp of an int8 difference, the int16 LUT segments) are per-lane loads.
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

// Table indices max - x (0..255) of 8 int8 inputs, 256 where masked or past n.
inline uint16x8_t Qs8Indices(const int8_t* x, const uint8_t* mask, size_t j, size_t n, int32_t max) {
  const uint16x8_t d = vmovl_u8(vsub_u8(vdup_n_u8(static_cast<uint8_t>(max)), vreinterpret_u8_s8(LoadS8x8(x, j, n))));
  return vbslq_u16(Keep8(mask, j, n), d, vdupq_n_u16(256));
}

inline int32x4_t Gather4(const int32_t* table, uint16x8_t index, int half) {
  int32x4_t v = vdupq_n_s32(0);
  if (half == 0) {
    v = vsetq_lane_s32(table[vgetq_lane_u16(index, 0)], v, 0);
    v = vsetq_lane_s32(table[vgetq_lane_u16(index, 1)], v, 1);
    v = vsetq_lane_s32(table[vgetq_lane_u16(index, 2)], v, 2);
    v = vsetq_lane_s32(table[vgetq_lane_u16(index, 3)], v, 3);
  } else {
    v = vsetq_lane_s32(table[vgetq_lane_u16(index, 4)], v, 0);
    v = vsetq_lane_s32(table[vgetq_lane_u16(index, 5)], v, 1);
    v = vsetq_lane_s32(table[vgetq_lane_u16(index, 6)], v, 2);
    v = vsetq_lane_s32(table[vgetq_lane_u16(index, 7)], v, 3);
  }
  return v;
}

template <class Out>
void Qs8SoftmaxTable(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                     Out* y, size_t y_stride, const SoftmaxParams& p) {
  assert(n <= kMaxSoftmaxQs8Row && p.exp_table != nullptr);
  constexpr int32_t kOutMin = std::numeric_limits<Out>::min();
  const SoftmaxExpTable& table = *p.exp_table;
  for (size_t i = 0; i < rows; ++i) {
    const int8_t* xi = Row(x, x_stride, i);
    const uint8_t* mi = mask != nullptr ? mask + i * mask_stride : nullptr;
    Out* yi = Row(y, y_stride, i);
    int32_t max = 0;
    if (!RowMax(xi, mi, n, &max)) {
      for (size_t j = 0; j < n; ++j) yi[j] = static_cast<Out>(kOutMin);
      continue;
    }
    int32x4_t sum = vdupq_n_s32(0);
    for (size_t j = 0; j < n; j += 8) {
      const uint16x8_t index = Qs8Indices(xi, mi, j, n, max);
      sum = vaddq_s32(sum, vaddq_s32(Gather4(table.sum_term, index, 0), Gather4(table.sum_term, index, 1)));
    }
    int num_bits_over_unit = 0;
    const int32_t scale = GetReciprocal(vaddvq_s32(sum), 12, &num_bits_over_unit);
    const int32x4_t neg_exponent = vdupq_n_s32(-(num_bits_over_unit + 31 - static_cast<int>(sizeof(Out) * 8)));
    for (size_t j = 0; j < n; j += 8) {
      const uint16x8_t index = Qs8Indices(xi, mi, j, n, max);
      // An exponent above 31 (long rows) makes SRSHL return 0: the value the reference defines.
      const int32x4_t y0 = RoundingDivideByPot(vqrdmulhq_n_s32(Gather4(table.exp, index, 0), scale), neg_exponent);
      const int32x4_t y1 = RoundingDivideByPot(vqrdmulhq_n_s32(Gather4(table.exp, index, 1), scale), neg_exponent);
      if constexpr (std::is_same_v<Out, int8_t>) {
        const int8x8_t out = NarrowToS8(y0, y1, vdupq_n_s16(kOutMin), vdupq_n_s8(-128), vdupq_n_s8(127));
        if (j + 8 <= n) {
          vst1_s8(yi + j, out);
        } else {
          StoreS8Partial(yi + j, out, n - j);
        }
      } else {
        const int16x8_t out = NarrowToS16(y0, y1, vdupq_n_s32(kOutMin), vdupq_n_s16(-32768), vdupq_n_s16(32767));
        if (j + 8 <= n) {
          vst1q_s16(yi + j, out);
        } else {
          StoreS16Partial(yi + j, out, n - j);
        }
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
