// Google Benchmark for the f32_gemm family: every list entry the CPU supports, at the
// per-head QK^T and P·V shapes of the two pipeline configurations. Counter: MAC/s.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "core/kernels/f32_gemm/f32_gemm.h"
#include "platform/cpu_features.h"

namespace {

using edgefuse::core::F32GemmKernel;
using edgefuse::core::KernelEntry;

struct Shape {
  const char* name;
  size_t m, n, k;
  size_t a_stride, b_stride;  // floats: Q_h / V_h are column slices of [N, E]
};

// QK^T: Q_h [Nq, d] (row stride E) x K_h^T [d, Nk]; P·V: P_h [Nq, Nk] x V_h [Nk, d]
// (row stride E).
constexpr Shape kShapes[] = {
    {"qk_small", 8, 192, 16, 64, 192},
    {"pv_small", 8, 16, 192, 192, 64},
    {"qk_large", 64, 256, 32, 256, 256},
    {"pv_large", 64, 32, 256, 256, 256},
};

void BM_F32Gemm(benchmark::State& state, const KernelEntry<F32GemmKernel>* kernel, Shape shape) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> a(shape.m * shape.a_stride), b(shape.k * shape.b_stride), c(shape.m * shape.n);
  for (float& x : a) x = dist(rng);
  for (float& x : b) x = dist(rng);
  for (auto _ : state) {
    kernel->fn.fn(shape.m, shape.n, shape.k, a.data(), shape.a_stride * sizeof(float), b.data(),
                  shape.b_stride * sizeof(float), c.data(), shape.n * sizeof(float), 0.5f);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["MAC/s"] = benchmark::Counter(static_cast<double>(shape.m * shape.n * shape.k),
                                               benchmark::Counter::kIsIterationInvariantRate);
}

const bool kRegistered = [] {
  const auto& cpu = edgefuse::platform::DetectCpuFeatures();
  for (const auto& kernel : edgefuse::core::F32GemmKernels()) {
    if (!edgefuse::core::TierSupported(kernel.tier, cpu)) continue;
    for (const Shape& shape : kShapes) {
      benchmark::RegisterBenchmark((std::string(kernel.name) + "/" + shape.name).c_str(), BM_F32Gemm, &kernel, shape);
    }
  }
  return true;
}();

}  // namespace
