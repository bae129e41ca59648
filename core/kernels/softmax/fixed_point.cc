#include "core/kernels/softmax/fixed_point.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/kernels/requantization/requantization.h"

namespace edgefuse::core::kernels {
namespace {

constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kMin = std::numeric_limits<int32_t>::min();

// gemmlowp SaturatingRoundingMultiplyByPOT<exponent> for exponent > 0.
int32_t SaturatingShiftLeft(int32_t x, int exponent) {
  const int32_t threshold = (1 << (31 - exponent)) - 1;
  if (x > threshold) return kMax;
  if (x < -threshold) return kMin;
  return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

int32_t Mul(int32_t a, int32_t b) { return SaturatingRoundingDoublingHighMul(a, b); }

// Plain int32 addition as gemmlowp's FixedPoint operator+ (wraps; never overflows here).
int32_t Add(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b)); }
int32_t Sub(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b)); }

// gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl, Q0.31.
int32_t ExpOnIntervalMinusQuarterTo0(int32_t a) {
  const int32_t constant_term = 1895147668;     // exp(-1/8)
  const int32_t constant_1_over_3 = 715827883;  // 1/3
  const int32_t x = Add(a, 1 << 28);            // a + 1/8
  const int32_t x2 = Mul(x, x);
  const int32_t x3 = Mul(x2, x);
  const int32_t x4 = Mul(x2, x2);
  const int32_t x4_over_4 = RoundingDivideByPot(x4, 2);
  const int32_t x4_over_24_plus_x3_over_6_plus_x2_over_2 =
      RoundingDivideByPot(Add(Mul(Add(x4_over_4, x3), constant_1_over_3), x2), 1);
  return Add(constant_term, Mul(constant_term, Add(x, x4_over_24_plus_x3_over_6_plus_x2_over_2)));
}

// gemmlowp RoundingHalfSum for int32.
int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = static_cast<int64_t>(a) + b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return static_cast<int32_t>((sum + sign) / 2);
}

}  // namespace

int CountLeadingZeros(uint32_t x) { return x == 0 ? 32 : __builtin_clz(x); }

int32_t ExpOnNegativeValuesQ5_26(int32_t a) {
  constexpr int kFractionalBits = 26;
  const int32_t one_quarter = 1 << (kFractionalBits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_one_quarter = Sub(a & mask, one_quarter);
  // Rescale<0> from Q5.26 to Q0.31: a saturating left shift by 5.
  int32_t result = ExpOnIntervalMinusQuarterTo0(SaturatingShiftLeft(a_mod_quarter_minus_one_quarter, 5));
  const int32_t remainder = Sub(a_mod_quarter_minus_one_quarter, a);
  // The barrel shifter: exp(-2^e) for e = -2 .. 4, applied for each set bit of -a.
  constexpr int32_t kMultipliers[] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  for (int e = -2; e <= 4; ++e) {
    if ((remainder & (1 << (kFractionalBits + e))) != 0) result = Mul(result, kMultipliers[e + 2]);
  }
  return a == 0 ? kMax : result;
}

int32_t OneOverOnePlusXForXIn01(int32_t a) {
  const int32_t half_denominator = RoundingHalfSum(a, kMax);
  // Newton-Raphson in Q2.29: x ~= 48/17 - 32/17 * half_denominator, three iterations.
  const int32_t constant_48_over_17 = 1515870810;
  const int32_t constant_neg_32_over_17 = -1010580540;
  int32_t x = Add(constant_48_over_17, Mul(half_denominator, constant_neg_32_over_17));
  for (int i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = Mul(half_denominator, x);
    const int32_t one_minus_half_denominator_times_x = Sub(1 << 29, half_denominator_times_x);
    x = Add(x, SaturatingShiftLeft(Mul(x, one_minus_half_denominator_times_x), 2));  // Rescale<2> from Q4.27
  }
  return SaturatingShiftLeft(x, 1);  // ExactMulByPot<-1> then Rescale<0> from Q1.30
}

int32_t GetReciprocal(int32_t x, int x_integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = CountLeadingZeros(static_cast<uint32_t>(x));
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  // In 64 bits: TFLite's 32-bit shift is undefined for x == 0 (a shift by 32); equal otherwise.
  const int32_t shifted_sum_minus_one = static_cast<int32_t>(static_cast<uint32_t>(
      (static_cast<uint64_t>(static_cast<uint32_t>(x)) << headroom_plus_one) - (uint64_t{1} << 31)));
  return OneOverOnePlusXForXIn01(shifted_sum_minus_one);
}

namespace {

// TFLite LUTPopulateInt16<float>: values of transform at 512 points, each nudged by half
// the interpolation error at the segment's midpoint.
template <class Transform>
void PopulateInt16Lut(float input_scale, int32_t input_zero_point, float output_scale, int32_t output_zero_point,
                      Transform transform, int16_t* lut) {
  const float input_min = input_scale * static_cast<float>(std::numeric_limits<int16_t>::min() - input_zero_point);
  const float input_max = input_scale * static_cast<float>(std::numeric_limits<int16_t>::max() - input_zero_point);
  const float output_min = output_scale * static_cast<float>(std::numeric_limits<int16_t>::min() - output_zero_point);
  const float output_max = output_scale * static_cast<float>(std::numeric_limits<int16_t>::max() - output_zero_point);
  const int nb_steps = 512;
  const float step = (input_max - input_min) / nb_steps;
  const float half_step = step / 2;
  const float output_scaling_inv = 65536.0f / (output_max - output_min);
  const float table_min = std::numeric_limits<int16_t>::min();
  const float table_max = std::numeric_limits<int16_t>::max();
  for (int i = 0; i < nb_steps; ++i) {
    const float val = transform(input_min + i * step);
    const float val_midpoint = transform(input_min + i * step + half_step);
    const float val_next = transform(input_min + (i + 1) * step);
    const float sample_val = std::round(val * output_scaling_inv);
    const float midpoint_interp_val =
        std::round((val_next * output_scaling_inv + std::round(val * output_scaling_inv)) / 2);
    const float midpoint_val = std::round(val_midpoint * output_scaling_inv);
    const float midpoint_err = midpoint_interp_val - midpoint_val;
    const float bias = std::round(midpoint_err / 2);
    lut[i] = static_cast<int16_t>(std::min(std::max(sample_val - bias, table_min), table_max));
  }
  lut[nb_steps] = static_cast<int16_t>(
      std::min(std::max(std::round(transform(input_max) * output_scaling_inv), table_min), table_max));
}

}  // namespace

void PopulateSoftmaxExpLut(int16_t* lut) {
  // TFLite: LUTPopulate<int16_t>(10.0f / range, 32767, 2.0f / range, 0, exp) with range = 65535.
  PopulateInt16Lut(
      10.0f / 65535.0f, 32767, 2.0f / 65535.0f, 0, [](float v) { return std::exp(v); }, lut);
}

void PopulateSoftmaxOneOverOnePlusXLut(int16_t* lut) {
  PopulateInt16Lut(
      1.0f / 65535.0f, -32768, 2.0f / 65535.0f, 0, [](float v) { return 1.0f / (1.0f + v); }, lut);
}

}  // namespace edgefuse::core::kernels
