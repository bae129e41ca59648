// f32_gemm tester: every entry of the kernel list against the reference, bit for bit,
// over shapes around the 8x8 register tile, with strided rows; and the reference
// against its definition (one fused multiply-add chain per output) and against float64.
#include "core/kernels/f32_gemm/f32_gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "platform/cpu_features.h"
#include "tests/core/kernels/kernel_test_util.h"
#include "tests/support/test_support.h"

namespace edgefuse::core {
namespace {

constexpr float kGuard = 1234.5f;  // in C's padding: a kernel must never write there

struct Problem {
  size_t m, n, k;
  size_t a_stride, b_stride, c_stride;  // in floats
  std::vector<float> a, b;
  float alpha;
};

Problem MakeProblem(std::mt19937_64& rng, size_t m, size_t n, size_t k) {
  std::uniform_int_distribution<size_t> pad(0, 3);
  Problem p{m, n, k, k + pad(rng), n + pad(rng), n + pad(rng), {}, {}, 0.0f};
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_int_distribution<int> special(0, 63);
  const auto fill = [&](std::vector<float>* v, size_t count) {
    v->resize(count);
    for (float& x : *v) {
      switch (special(rng)) {
        case 0: x = 0.0f; break;
        case 1: x = -0.0f; break;
        case 2: x = std::numeric_limits<float>::denorm_min() * 37.0f; break;  // subnormal products must not flush
        case 3: x = -3e4f; break;                                             // cancellation
        default: x = normal(rng);
      }
    }
  };
  fill(&p.a, m * p.a_stride);
  fill(&p.b, k * p.b_stride);
  p.alpha = std::uniform_real_distribution<float>(0.05f, 2.0f)(rng);
  return p;
}

std::vector<float> RunKernel(const KernelEntry<F32GemmKernel>& kernel, const Problem& p) {
  std::vector<float> c(p.m * p.c_stride, kGuard);
  kernel.fn.fn(p.m, p.n, p.k, p.a.data(), p.a_stride * sizeof(float), p.b.data(), p.b_stride * sizeof(float), c.data(),
               p.c_stride * sizeof(float), p.alpha);
  return c;
}

bool SameBits(float x, float y) { return std::memcmp(&x, &y, sizeof x) == 0; }

TEST(F32Gemm, ListEndsWithTheReference) {
  const auto list = F32GemmKernels();
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.back().tier, Tier::kReference);
  for (const auto& entry : list) std::printf("[f32_gemm] %s (%s)\n", entry.name, TierName(entry.tier));
}

// One instance per non-reference entry of the list.
class F32GemmTier : public ::testing::TestWithParam<std::string> {
 protected:
  const KernelEntry<F32GemmKernel>& kernel() const { return testing::EntryNamed(F32GemmKernels(), GetParam()); }
  const KernelEntry<F32GemmKernel>& reference() const { return testing::ReferenceEntry(F32GemmKernels()); }
};

TEST_P(F32GemmTier, MatchesTheReferenceBitForBit) {
  const auto& kernel = this->kernel();
  EF_SKIP_UNSUPPORTED_KERNEL(kernel);
  EF_SEEDED_RNG(rng);
  const auto& reference = this->reference();
  {
    for (size_t m : {1, 2, 3, 7, 8, 9, 15, 16, 17}) {
      for (size_t n : {1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 33}) {
        for (size_t k : {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33}) {
          const Problem p = MakeProblem(rng, m, n, k);
          const std::vector<float> got = RunKernel(kernel, p), want = RunKernel(reference, p);
          for (size_t i = 0; i < m; ++i) {
            for (size_t j = 0; j < p.c_stride; ++j) {
              const float g = got[i * p.c_stride + j], w = want[i * p.c_stride + j];
              if (j >= n) {
                ASSERT_TRUE(SameBits(g, kGuard)) << "wrote past column " << n << " at " << m << "x" << n << "x" << k;
              } else {
                ASSERT_TRUE(SameBits(g, w)) << "C[" << i << "][" << j << "] = " << g << ", reference " << w << " at "
                                            << m << "x" << n << "x" << k;
              }
            }
          }
        }
      }
    }
  }
}

TEST_P(F32GemmTier, MatchesTheReferenceAtAttentionShapes) {
  const auto& kernel = this->kernel();
  EF_SKIP_UNSUPPORTED_KERNEL(kernel);
  EF_SEEDED_RNG(rng);
  // QK^T and P·V per head at the small (d = 16, Nq = 8, Nk = 192) and large
  // (d = 32, Nq = 64, Nk = 256) pipeline shapes.
  const size_t shapes[][3] = {{8, 192, 16}, {8, 16, 192}, {64, 256, 32}, {64, 32, 256}};
  for (const auto& [m, n, k] : shapes) {
    const Problem p = MakeProblem(rng, m, n, k);
    EXPECT_EQ(RunKernel(kernel, p), RunKernel(reference(), p)) << kernel.name << " " << m << "x" << n << "x" << k;
  }
}

// Only the reference tier is compiled for x86-64: this suite is empty there.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(F32GemmTier);
INSTANTIATE_TEST_SUITE_P(Kernels, F32GemmTier, ::testing::ValuesIn(testing::NonReferenceEntryNames(F32GemmKernels())),
                         testing::ParamName);

TEST(F32Gemm, ReferenceIsOneFmaChainPerOutputThenAlpha) {
  EF_SEEDED_RNG(rng);
  const Problem p = MakeProblem(rng, 5, 11, 29);
  const std::vector<float> c = RunKernel(F32GemmKernels().back(), p);
  for (size_t i = 0; i < p.m; ++i) {
    for (size_t j = 0; j < p.n; ++j) {
      float acc = 0.0f;
      for (size_t kk = 0; kk < p.k; ++kk) acc = std::fma(p.a[i * p.a_stride + kk], p.b[kk * p.b_stride + j], acc);
      ASSERT_TRUE(SameBits(c[i * p.c_stride + j], acc * p.alpha)) << i << ", " << j;
    }
  }
}

TEST(F32Gemm, ReferenceIsCloseToFloat64) {
  EF_SEEDED_RNG(rng);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const size_t m = 9, n = 21, k = 256;
  std::vector<float> a(m * k), b(k * n), c(m * n);
  for (float& x : a) x = normal(rng);
  for (float& x : b) x = normal(rng);
  F32GemmKernels().back().fn.fn(m, n, k, a.data(), k * 4, b.data(), n * 4, c.data(), n * 4, 0.5f);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      double want = 0.0, magnitude = 0.0;
      for (size_t kk = 0; kk < k; ++kk) {
        want += static_cast<double>(a[i * k + kk]) * b[kk * n + j];
        magnitude += std::abs(static_cast<double>(a[i * k + kk]) * b[kk * n + j]);
      }
      // Sequential float summation: |error| <= k * eps * sum |terms| (a loose, classic bound).
      EXPECT_LE(std::abs(c[i * n + j] - 0.5 * want), 0.5 * k * 6e-8 * magnitude) << i << ", " << j;
    }
  }
}

TEST(F32Gemm, SelectRespectsTheTierCap) {
  EXPECT_EQ(SelectF32Gemm(Tier::kReference).tier, Tier::kReference);
  const auto& best = SelectF32Gemm(Tier::kNeonDot);
  EXPECT_TRUE(TierSupported(best.tier, platform::DetectCpuFeatures()));
  std::printf("[f32_gemm] selected: %s\n", best.name);
}

}  // namespace
}  // namespace edgefuse::core
