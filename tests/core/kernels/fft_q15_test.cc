// Tester of the fft_q15 family: every kernel in the list against the reference, bit
// for bit, on sizes around the NEON paths (the h = 1, 2, 4 stages, 8-wide stages, the
// 4-bin split and its scalar tail), random and adversarial inputs; and the reference
// against an exact DFT within a documented bound.
#include "core/kernels/fft_q15/fft_q15.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstring>
#include <vector>

#include "tests/core/kernels/kernel_test_util.h"
#include "tests/support/test_support.h"

namespace edgefuse::core::kernels {
namespace {

constexpr int kSizes[] = {32, 64, 128, 256, 512, 1024, 2048};

struct Output {
  int exponent;
  std::vector<int16_t> bins;
};

Output RunKernel(RfftQ15Fn fn, int size, const std::vector<int16_t>& input) {
  const RfftQ15Plan& plan = RfftQ15PlanFor(size);
  std::vector<int16_t> work(input);
  Output out{0, std::vector<int16_t>(2 * (size / 2 + 1), 0x5555)};
  out.exponent = fn(plan, work.data(), out.bins.data());
  return out;
}

// One instance per non-reference entry of the list, against the reference.
class FftQ15Tier : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto& entry = testing::EntryNamed(RfftQ15Kernels(), GetParam());
    EF_SKIP_UNSUPPORTED_KERNEL(entry);
  }
  // The entry against the reference on this input.
  void ExpectMatch(int size, const std::vector<int16_t>& input, const char* what) const {
    const auto& entry = testing::EntryNamed(RfftQ15Kernels(), GetParam());
    const Output expected = RunKernel(testing::ReferenceEntry(RfftQ15Kernels()).fn, size, input);
    const Output got = RunKernel(entry.fn, size, input);
    ASSERT_EQ(got.exponent, expected.exponent) << entry.name << " size " << size << " " << what;
    for (size_t i = 0; i < got.bins.size(); ++i) {
      ASSERT_EQ(got.bins[i], expected.bins[i]) << entry.name << " size " << size << " " << what << " at " << i;
    }
  }
};

TEST(FftQ15, ListEndsWithReference) {
  const auto list = RfftQ15Kernels();
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.back().tier, Tier::kReference);
  for (const auto& entry : list) std::printf("[edgefuse] rfft_q15 kernel: %s (%s)\n", entry.name, TierName(entry.tier));
}

TEST_P(FftQ15Tier, MatchesReferenceOnRandomInput) {
  EF_SEEDED_RNG(rng);
  for (int size : kSizes) {
    for (int amplitude : {1, 3, 100, 5000, 11584, 23170, 32767}) {
      std::uniform_int_distribution<int> dist(-amplitude, amplitude);
      std::vector<int16_t> input(size);
      for (auto& v : input) v = static_cast<int16_t>(dist(rng));
      ExpectMatch(size, input, "random");
    }
  }
}

TEST_P(FftQ15Tier, MatchesReferenceOnAdversarialInput) {
  for (int size : kSizes) {
    std::vector<int16_t> input(size, -32768);
    ExpectMatch(size, input, "all -32768");  // saturation in every stage
    for (int i = 0; i < size; ++i) input[i] = (i & 1) ? 32767 : -32768;
    ExpectMatch(size, input, "alternating full scale");
    std::fill(input.begin(), input.end(), 0);
    input[1] = 1;  // odd values through 1/2 and 1/4 shifts: rounding ties
    ExpectMatch(size, input, "impulse");
    for (int i = 0; i < size; ++i) input[i] = static_cast<int16_t>((i % 3 == 0) ? 16385 : -16383);
    ExpectMatch(size, input, "ties");
    std::fill(input.begin(), input.end(), 0);
    ExpectMatch(size, input, "zeros");
  }
}

// Only the reference tier is compiled for x86-64: this suite is empty there.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FftQ15Tier);
INSTANTIATE_TEST_SUITE_P(Kernels, FftQ15Tier, ::testing::ValuesIn(testing::NonReferenceEntryNames(RfftQ15Kernels())),
                         testing::ParamName);

// The reference against the exact DFT: |X[k] 2^e - DFT[k]| within the documented bound
// of fft_q15 (a few LSB of the block-floating-point result per stage).
TEST(FftQ15, ReferenceIsCloseToExactDft) {
  EF_SEEDED_RNG(rng);
  for (int size : {32, 512, 2048}) {
    std::uniform_int_distribution<int> dist(-20000, 20000);
    std::vector<int16_t> input(size);
    for (auto& v : input) v = static_cast<int16_t>(dist(rng));
    const Output out = RunKernel(&reference::rfft_q15, size, input);
    const double scale = std::ldexp(1.0, out.exponent);
    double max_error = 0.0;
    for (int k = 0; k <= size / 2; ++k) {
      std::complex<double> exact = 0.0;
      for (int n = 0; n < size; ++n)
        exact += static_cast<double>(input[n]) * std::polar(1.0, -2.0 * M_PI * k * n / size);
      const std::complex<double> got(out.bins[2 * k] * scale, out.bins[2 * k + 1] * scale);
      max_error = std::max(max_error, std::abs(got - exact));
    }
    int stages = 0;
    while ((2 << stages) <= size) ++stages;
    // Rounding noise of every stage, carried through the later ones: measured
    // 2.0 / 8.4 / 18.5 LSB for 32 / 512 / 2048 points; the bound is 2 stages^1.5.
    EXPECT_LE(max_error, 2.0 * std::pow(stages, 1.5) * scale) << "size " << size << " exponent " << out.exponent;
    std::printf("[edgefuse] rfft_q15 %d: exponent %d, max error %.2f LSB\n", size, out.exponent, max_error / scale);
  }
}

}  // namespace
}  // namespace edgefuse::core::kernels
