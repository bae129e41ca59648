// Twiddle tables and bit-reversal pairs of the Q15 real FFT, built once per size.
#include <cassert>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

#include "core/kernels/fft_q15/fft_q15.h"

namespace edgefuse::core::kernels {
namespace {

int16_t Q15(double value) {
  const double scaled = std::nearbyint(value * 32768.0);
  return static_cast<int16_t>(std::fmin(32767.0, std::fmax(-32768.0, scaled)));
}

std::unique_ptr<RfftQ15Plan> BuildPlan(int real_size) {
  auto plan = std::make_unique<RfftQ15Plan>();
  const int n = real_size / 2;
  plan->real_size = real_size;
  plan->complex_size = n;
  while ((1 << plan->log2_complex) < n) ++plan->log2_complex;

  plan->stage_cos.resize(n);
  plan->stage_sin.resize(n);
  for (int h = 1; h < n; h *= 2) {
    for (int j = 0; j < h; ++j) {
      const double angle = M_PI * j / h;  // 2 pi j / 2h
      plan->stage_cos[h - 1 + j] = Q15(-std::cos(angle));
      plan->stage_sin[h - 1 + j] = Q15(-std::sin(angle));
    }
  }
  plan->split_cos.resize(n + 1);
  plan->split_sin.resize(n + 1);
  for (int k = 0; k <= n; ++k) {
    const double angle = M_PI * k / n;
    plan->split_cos[k] = Q15(-std::cos(angle));
    plan->split_sin[k] = Q15(-std::sin(angle));
  }
  for (int i = 0; i < n; ++i) {
    int r = 0;
    for (int bit = 0; bit < plan->log2_complex; ++bit) r |= ((i >> bit) & 1) << (plan->log2_complex - 1 - bit);
    if (i < r) {
      plan->bitrev_pairs.push_back(static_cast<uint16_t>(i));
      plan->bitrev_pairs.push_back(static_cast<uint16_t>(r));
    }
  }
  return plan;
}

}  // namespace

const RfftQ15Plan& RfftQ15PlanFor(int real_size) {
  assert(real_size >= 32 && real_size <= 8192 && (real_size & (real_size - 1)) == 0);
  static std::mutex mutex;
  static std::map<int, std::unique_ptr<RfftQ15Plan>> plans;
  std::lock_guard<std::mutex> lock(mutex);
  auto& plan = plans[real_size];
  if (!plan) plan = BuildPlan(real_size);
  return *plan;
}

}  // namespace edgefuse::core::kernels
