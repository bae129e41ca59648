// NEON (ARMv8.0 Advanced SIMD) variant of the Q15 real FFT. Bit-exact with
// reference.cc: the same products, the same roundings (SRSHR/SRSHL are the reference's
// RoundShift), the same saturation (SQXTN); only the order of independent work differs.
//
// Stage h = 1 (W = 1) and h = 2 (W = 1, -i) multiply by exact twiddles, so they are
// adds, subtracts and a swap; from h = 4 on, butterflies go 4 or 8 at a time with
// 32-bit products. The split step runs 4 bins at a time in 64-bit lanes.
#include <arm_neon.h>

#include <cassert>
#include <utility>

#include "core/kernels/fft_q15/fft_q15.h"
#include "core/kernels/fft_q15/rounding.h"

namespace edgefuse::core::kernels::neon {
namespace {

int32_t MaxAbs(const int16_t* values, int count) {
  assert(count % 8 == 0);
  int16x8_t hi = vdupq_n_s16(0), lo = vdupq_n_s16(0);
  for (int i = 0; i < count; i += 8) {
    const int16x8_t v = vld1q_s16(values + i);
    hi = vmaxq_s16(hi, v);
    lo = vminq_s16(lo, v);
  }
  const int32_t max_value = vmaxvq_s16(hi), min_value = vminvq_s16(lo);
  return max_value > -min_value ? max_value : -min_value;
}

// Sat16(RoundShift32(v, shift)) for 8 values; neg_shift holds -shift.
inline int16x8_t Narrow(int32x4_t low, int32x4_t high, int32x4_t neg_shift) {
  return vqmovn_high_s32(vqmovn_s32(vrshlq_s32(low, neg_shift)), vrshlq_s32(high, neg_shift));
}

// h = 1: butterflies on neighbours, W = 1, so u = -b exactly.
void StageH1(int16_t* work, int n, int32x4_t neg_shift) {
  for (int i = 0; i < n; i += 8) {
    int32x4x2_t ab = vld2q_s32(reinterpret_cast<const int32_t*>(work + 2 * i));
    const int16x8_t a = vreinterpretq_s16_s32(ab.val[0]), b = vreinterpretq_s16_s32(ab.val[1]);
    const int16x8_t out0 = Narrow(vaddl_s16(vget_low_s16(a), vget_low_s16(b)), vaddl_high_s16(a, b), neg_shift);
    const int16x8_t out1 = Narrow(vsubl_s16(vget_low_s16(a), vget_low_s16(b)), vsubl_high_s16(a, b), neg_shift);
    ab.val[0] = vreinterpretq_s32_s16(out0);
    ab.val[1] = vreinterpretq_s32_s16(out1);
    vst2q_s32(reinterpret_cast<int32_t*>(work + 2 * i), ab);
  }
}

// h = 2: j = 0 has W = 1 (u = -b), j = 1 has W = -i (u = (-b.im, b.re)).
void StageH2(int16_t* work, int n, int32x4_t neg_shift) {
  const uint32x4_t even = vreinterpretq_u32_u64(vdupq_n_u64(0xffffffffu));  // lanes 0, 2: the re parts
  for (int i = 0; i < n; i += 16) {
    int32x4x4_t g = vld4q_s32(reinterpret_cast<const int32_t*>(work + 2 * i));
    const int16x8_t a0 = vreinterpretq_s16_s32(g.val[0]), a1 = vreinterpretq_s16_s32(g.val[1]);
    const int16x8_t b0 = vreinterpretq_s16_s32(g.val[2]), b1 = vreinterpretq_s16_s32(g.val[3]);
    g.val[0] =
        vreinterpretq_s32_s16(Narrow(vaddl_s16(vget_low_s16(a0), vget_low_s16(b0)), vaddl_high_s16(a0, b0), neg_shift));
    g.val[2] =
        vreinterpretq_s32_s16(Narrow(vsubl_s16(vget_low_s16(a0), vget_low_s16(b0)), vsubl_high_s16(a0, b0), neg_shift));
    // swapped = (b.im, b.re); out0 = (a.re + b.im, a.im - b.re), out1 = (a.re - b.im, a.im + b.re).
    const int16x8_t swapped = vrev32q_s16(b1);
    const int32x4_t sum_lo = vaddl_s16(vget_low_s16(a1), vget_low_s16(swapped));
    const int32x4_t sum_hi = vaddl_high_s16(a1, swapped);
    const int32x4_t dif_lo = vsubl_s16(vget_low_s16(a1), vget_low_s16(swapped));
    const int32x4_t dif_hi = vsubl_high_s16(a1, swapped);
    g.val[1] =
        vreinterpretq_s32_s16(Narrow(vbslq_s32(even, sum_lo, dif_lo), vbslq_s32(even, sum_hi, dif_hi), neg_shift));
    g.val[3] =
        vreinterpretq_s32_s16(Narrow(vbslq_s32(even, dif_lo, sum_lo), vbslq_s32(even, dif_hi, sum_hi), neg_shift));
    vst4q_s32(reinterpret_cast<int32_t*>(work + 2 * i), g);
  }
}

// u = RoundShift(-b W, 15) for 4 butterflies, split in re and im.
inline void Rotate4(int16x4_t bre, int16x4_t bim, int16x4_t c, int16x4_t d, int32x4_t* ure, int32x4_t* uim) {
  *ure = vrshrq_n_s32(vmlal_s16(vmull_s16(bre, c), bim, d), 15);
  *uim = vrshrq_n_s32(vmlsl_s16(vmull_s16(bim, c), bre, d), 15);
}

// h = 4: one group of 4 butterflies per iteration.
void StageH4(int16_t* work, int n, const int16_t* c_table, const int16_t* d_table, int32x4_t neg_shift) {
  const int16x4_t c = vld1_s16(c_table), d = vld1_s16(d_table);
  for (int group = 0; group < n; group += 8) {
    int16x4x2_t a = vld2_s16(work + 2 * group);
    int16x4x2_t b = vld2_s16(work + 2 * (group + 4));
    int32x4_t ure, uim;
    Rotate4(b.val[0], b.val[1], c, d, &ure, &uim);
    const int32x4_t are = vmovl_s16(a.val[0]), aim = vmovl_s16(a.val[1]);
    a.val[0] = vqmovn_s32(vrshlq_s32(vsubq_s32(are, ure), neg_shift));
    a.val[1] = vqmovn_s32(vrshlq_s32(vsubq_s32(aim, uim), neg_shift));
    b.val[0] = vqmovn_s32(vrshlq_s32(vaddq_s32(are, ure), neg_shift));
    b.val[1] = vqmovn_s32(vrshlq_s32(vaddq_s32(aim, uim), neg_shift));
    vst2_s16(work + 2 * group, a);
    vst2_s16(work + 2 * (group + 4), b);
  }
}

// h >= 8: 8 butterflies per iteration.
void StageWide(int16_t* work, int n, int h, const int16_t* c_table, const int16_t* d_table, int32x4_t neg_shift) {
  for (int group = 0; group < n; group += 2 * h) {
    for (int j = 0; j < h; j += 8) {
      int16_t* pa = work + 2 * (group + j);
      int16_t* pb = work + 2 * (group + j + h);
      int16x8x2_t a = vld2q_s16(pa);
      int16x8x2_t b = vld2q_s16(pb);
      const int16x8_t c = vld1q_s16(c_table + j), d = vld1q_s16(d_table + j);
      int32x4_t ure_lo, uim_lo, ure_hi, uim_hi;
      Rotate4(vget_low_s16(b.val[0]), vget_low_s16(b.val[1]), vget_low_s16(c), vget_low_s16(d), &ure_lo, &uim_lo);
      Rotate4(vget_high_s16(b.val[0]), vget_high_s16(b.val[1]), vget_high_s16(c), vget_high_s16(d), &ure_hi, &uim_hi);
      const int32x4_t are_lo = vmovl_s16(vget_low_s16(a.val[0])), are_hi = vmovl_high_s16(a.val[0]);
      const int32x4_t aim_lo = vmovl_s16(vget_low_s16(a.val[1])), aim_hi = vmovl_high_s16(a.val[1]);
      a.val[0] = Narrow(vsubq_s32(are_lo, ure_lo), vsubq_s32(are_hi, ure_hi), neg_shift);
      a.val[1] = Narrow(vsubq_s32(aim_lo, uim_lo), vsubq_s32(aim_hi, uim_hi), neg_shift);
      b.val[0] = Narrow(vaddq_s32(are_lo, ure_lo), vaddq_s32(are_hi, ure_hi), neg_shift);
      b.val[1] = Narrow(vaddq_s32(aim_lo, uim_lo), vaddq_s32(aim_hi, uim_hi), neg_shift);
      vst2q_s16(pa, a);
      vst2q_s16(pb, b);
    }
  }
}

// Sat16(RoundShift64(v, shift)) of 2 + 2 lanes; neg_shift holds -shift.
inline int16x4_t Narrow64(int64x2_t low, int64x2_t high, int64x2_t neg_shift) {
  const int32x4_t v = vqmovn_high_s64(vqmovn_s64(vrshlq_s64(low, neg_shift)), vrshlq_s64(high, neg_shift));
  return vqmovn_s32(v);
}

// Split bins k .. k + 3 (1 <= k, k + 3 <= n - 1).
inline void Split4(const int16_t* work, const int16_t* split_cos, const int16_t* split_sin, int n, int k,
                   int64x2_t neg_shift, int16_t* bins) {
  const int16x4x2_t z = vld2_s16(work + 2 * k);
  const int16x4x2_t zr = vld2_s16(work + 2 * (n - k - 3));
  const int16x4_t nre = vrev64_s16(zr.val[0]), nim = vrev64_s16(zr.val[1]);
  const int32x4_t are = vaddl_s16(z.val[0], nre), aim = vsubl_s16(z.val[1], nim);
  const int32x4_t bre = vsubl_s16(z.val[0], nre), bim = vaddl_s16(z.val[1], nim);
  const int32x4_t tc = vmovl_s16(vld1_s16(split_cos + k)), ts = vmovl_s16(vld1_s16(split_sin + k));

  int64x2_t re_lo = vshll_n_s32(vget_low_s32(are), 15), re_hi = vshll_high_n_s32(are, 15);
  re_lo = vmlsl_s32(vmlal_s32(re_lo, vget_low_s32(bre), vget_low_s32(ts)), vget_low_s32(bim), vget_low_s32(tc));
  re_hi = vmlsl_high_s32(vmlal_high_s32(re_hi, bre, ts), bim, tc);
  int64x2_t im_lo = vshll_n_s32(vget_low_s32(aim), 15), im_hi = vshll_high_n_s32(aim, 15);
  im_lo = vmlal_s32(vmlal_s32(im_lo, vget_low_s32(bre), vget_low_s32(tc)), vget_low_s32(bim), vget_low_s32(ts));
  im_hi = vmlal_high_s32(vmlal_high_s32(im_hi, bre, tc), bim, ts);

  int16x4x2_t out;
  out.val[0] = Narrow64(re_lo, re_hi, neg_shift);
  out.val[1] = Narrow64(im_lo, im_hi, neg_shift);
  vst2_s16(bins + 2 * k, out);
}

}  // namespace

int rfft_q15(const RfftQ15Plan& plan, int16_t* work, int16_t* bins) {
  const int n = plan.complex_size;
  assert(n >= 16 && work != nullptr && bins != nullptr);

  for (size_t p = 0; p < plan.bitrev_pairs.size(); p += 2) {
    int32_t* z = reinterpret_cast<int32_t*>(work);  // one (re, im) pair per int32
    int32_t t;
    __builtin_memcpy(&t, z + plan.bitrev_pairs[p], 4);
    __builtin_memcpy(z + plan.bitrev_pairs[p], z + plan.bitrev_pairs[p + 1], 4);
    __builtin_memcpy(z + plan.bitrev_pairs[p + 1], &t, 4);
  }

  int exponent = 0;
  for (int h = 1; h < n; h *= 2) {
    const int shift = FftQ15ShiftFor(MaxAbs(work, 2 * n));
    exponent += shift;
    const int32x4_t neg_shift = vdupq_n_s32(-shift);
    const int16_t* c = &plan.stage_cos[h - 1];
    const int16_t* d = &plan.stage_sin[h - 1];
    if (h == 1) {
      StageH1(work, n, neg_shift);
    } else if (h == 2) {
      StageH2(work, n, neg_shift);
    } else if (h == 4) {
      StageH4(work, n, c, d, neg_shift);
    } else {
      StageWide(work, n, h, c, d, neg_shift);
    }
  }

  const int split_shift = FftQ15ShiftFor(MaxAbs(work, 2 * n));
  const int64x2_t neg_split = vdupq_n_s64(-(16 + split_shift));
  const int16_t* split_cos = plan.split_cos.data();
  const int16_t* split_sin = plan.split_sin.data();
  int k = 1;
  for (; k + 3 <= n - 1; k += 4) Split4(work, split_cos, split_sin, n, k, neg_split, bins);
  for (; k <= n - 1; ++k) fft_q15::SplitBin(work, split_cos, split_sin, n, k, split_shift, bins);
  fft_q15::SplitBin(work, split_cos, split_sin, n, 0, split_shift, bins);
  fft_q15::SplitBin(work, split_cos, split_sin, n, n, split_shift, bins);
  return exponent + split_shift;
}

}  // namespace edgefuse::core::kernels::neon
