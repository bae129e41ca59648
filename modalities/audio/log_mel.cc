#include "modalities/audio/log_mel.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <complex>

#include "modalities/audio/mel_bank.h"

namespace edgefuse::audio {
namespace {

// ---- float reference -------------------------------------------------------------
// Double precision throughout: a float32 FFT's rounding noise sits about 135 dB below
// a frame's loudest bin, so bands 110 dB down (still above the 1e-8 the accuracy
// criterion covers) would be off by more than 1e-4 nat.

struct FloatTables {
  std::array<double, kWindowSamples> window{};
  std::array<std::complex<double>, kFftSize / 2> twiddle{};  // exp(-2 pi i k / 512)
  std::array<int, kFftSize> bitrev{};
};

const FloatTables& GetFloatTables() {
  static const FloatTables tables = [] {
    FloatTables t;
    for (int n = 0; n < kWindowSamples; ++n) t.window[n] = 0.5 - 0.5 * std::cos(2.0 * M_PI * n / kWindowSamples);
    for (int k = 0; k < kFftSize / 2; ++k) t.twiddle[k] = std::polar(1.0, -2.0 * M_PI * k / kFftSize);
    const int bits = std::countr_zero(static_cast<unsigned>(kFftSize));
    for (int i = 0; i < kFftSize; ++i) {
      int r = 0;
      for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
      t.bitrev[i] = r;
    }
    return t;
  }();
  return tables;
}

void FftDouble(std::complex<double>* data, const FloatTables& t) {
  for (int i = 0; i < kFftSize; ++i) {
    if (i < t.bitrev[i]) std::swap(data[i], data[t.bitrev[i]]);
  }
  for (int h = 1; h < kFftSize; h *= 2) {
    const int stride = kFftSize / (2 * h);
    for (int group = 0; group < kFftSize; group += 2 * h) {
      for (int j = 0; j < h; ++j) {
        const std::complex<double> u = data[group + j];
        const std::complex<double> v = data[group + j + h] * t.twiddle[j * stride];
        data[group + j] = u + v;
        data[group + j + h] = u - v;
      }
    }
  }
}

// ---- fixed point -----------------------------------------------------------------

struct FixedTables {
  std::array<int16_t, kWindowSamples> window_q15{};
  std::array<uint32_t, 257> log2_q30{};  // round(log2(1 + i / 256) * 2^30)
};

const FixedTables& GetFixedTables() {
  static const FixedTables tables = [] {
    FixedTables t;
    const auto& window = GetFloatTables().window;
    for (int n = 0; n < kWindowSamples; ++n) {
      t.window_q15[n] = static_cast<int16_t>(std::min<int64_t>(32767, std::llround(window[n] * 32768.0)));
    }
    for (int i = 0; i <= 256; ++i) {
      t.log2_q30[i] = static_cast<uint32_t>(std::llround(std::log2(1.0 + i / 256.0) * 1073741824.0));
    }
    return t;
  }();
  return tables;
}

constexpr int64_t kLn2Q24 = 11629080;  // round(ln 2 * 2^24)

}  // namespace

double LogMelFloatFrame(const int16_t* frame, float* log_mel) {
  const FloatTables& t = GetFloatTables();
  std::array<std::complex<double>, kFftSize> data{};
  for (int n = 0; n < kWindowSamples; ++n) data[n] = frame[n] / 32768.0 * t.window[n];
  FftDouble(data.data(), t);
  std::array<double, kNumFftBins> power;
  for (int k = 0; k < kNumFftBins; ++k) power[k] = std::norm(data[k]);
  const MelBank& bank = GetMelBank();
  double total = 0.0;
  for (int m = 0; m < kNumMelBands; ++m) {
    double energy = 0.0;
    const double* w = &bank.weights[bank.offset[m]];
    const double* p = &power[bank.first_bin[m]];
    for (int i = 0; i < bank.num_bins[m]; ++i) energy += w[i] * p[i];
    total += energy;
    log_mel[m] = static_cast<float>(std::log(std::max(energy, kLogFloorEnergy)));
  }
  return std::log(std::max(total, kLogFloorEnergy));
}

int16_t LnQ10(uint64_t value, int exp2) {
  if (value == 0) return kLogFloorQ10;
  const auto& table = GetFixedTables().log2_q30;
  const int msb = 63 - std::countl_zero(value);
  const uint64_t fraction = (value << (63 - msb)) << 1;  // bits below the leading one
  const int index = static_cast<int>(fraction >> 56);
  const int64_t rest = static_cast<int64_t>((fraction >> 40) & 0xffff);
  const int64_t lo = table[index], hi = table[index + 1];
  const int64_t log2_fraction = lo + (((hi - lo) * rest + (1 << 15)) >> 16);  // Q30
  const int64_t log2_q30 = (int64_t{msb + exp2} << 30) + log2_fraction;
  // Q30 * Q24 -> Q10: shift by 44, rounding half up.
  const int64_t ln_q10 = (log2_q30 * kLn2Q24 + (int64_t{1} << 43)) >> 44;
  return static_cast<int16_t>(std::clamp<int64_t>(ln_q10, kLogFloorQ10, 32767));
}

LogMelFixed::LogMelFixed(core::Tier cap)
    : plan_(&core::kernels::RfftQ15PlanFor(kFftSize)),
      fft_(&core::SelectKernel<core::kernels::RfftQ15Fn>(core::kernels::RfftQ15Kernels(), cap)) {}

int16_t LogMelFixed::Frame(const int16_t* frame, int16_t* log_mel_q10) const {
  const FixedTables& t = GetFixedTables();
  // Block normalization: shift the frame up so its peak uses the int16 range, which
  // keeps quiet frames as precise as loud ones.
  int32_t peak = 0;
  for (int n = 0; n < kWindowSamples; ++n) peak = std::max(peak, std::abs(int32_t{frame[n]}));
  if (peak == 0) {
    std::fill(log_mel_q10, log_mel_q10 + kNumMelBands, kLogFloorQ10);
    return kLogFloorQ10;
  }
  const int norm = std::max(0, std::countl_zero(static_cast<uint32_t>(peak)) - 17);

  alignas(16) std::array<int16_t, kFftSize> work;
  for (int n = 0; n < kWindowSamples; ++n) {
    const int32_t product = (int32_t{frame[n]} << norm) * t.window_q15[n];
    work[n] = static_cast<int16_t>((product + (1 << 14)) >> 15);
  }
  std::fill(work.begin() + kWindowSamples, work.end(), int16_t{0});

  alignas(16) std::array<int16_t, 2 * kNumFftBins + 6> bins;
  const int exponent = fft_->fn(*plan_, work.data(), bins.data());

  std::array<uint32_t, kNumFftBins> power;
  for (int k = 0; k < kNumFftBins; ++k) {
    const int32_t re = bins[2 * k], im = bins[2 * k + 1];
    power[k] = static_cast<uint32_t>(re * re) + static_cast<uint32_t>(im * im);
  }

  // E_def = E_int * 2^(2 exponent - 2 norm - 30 - 15): samples are Q15, the FFT output is
  // scaled by 2^-exponent, the frame by 2^norm, and the weights are Q15.
  const int exp2 = 2 * exponent - 2 * norm - 30 - kMelWeightFracBits;
  const MelBank& bank = GetMelBank();
  uint64_t total = 0;
  for (int m = 0; m < kNumMelBands; ++m) {
    uint64_t energy = 0;
    const uint16_t* w = &bank.weights_q15[bank.offset[m]];
    const uint32_t* p = &power[bank.first_bin[m]];
    for (int i = 0; i < bank.num_bins[m]; ++i) energy += uint64_t{w[i]} * p[i];
    total += energy;
    log_mel_q10[m] = LnQ10(energy, exp2);
  }
  return LnQ10(total, exp2);
}

}  // namespace edgefuse::audio
