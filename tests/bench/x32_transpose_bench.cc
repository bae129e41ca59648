// Google Benchmark for the x32_transpose family: every list entry the CPU supports, at
// the per-head key layouts of the two pipeline shapes (K_h [Nk, d] with row stride E).
// Counter: elements/s.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/kernels/x32_transpose/x32_transpose.h"
#include "platform/cpu_features.h"

namespace {

struct Shape {
  const char* name;
  size_t rows, cols, in_stride;
};
constexpr Shape kShapes[] = {{"keys_small_192x16", 192, 16, 64}, {"keys_large_256x32", 256, 32, 256}};

void BM_X32Transpose(benchmark::State& state, edgefuse::core::X32TransposeFn fn, Shape shape) {
  std::vector<float> in(shape.rows * shape.in_stride, 1.0f), out(shape.rows * shape.cols);
  for (auto _ : state) {
    fn(shape.rows, shape.cols, in.data(), shape.in_stride * 4, out.data(), shape.rows * 4);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.counters["elements/s"] =
      benchmark::Counter(static_cast<double>(shape.rows * shape.cols), benchmark::Counter::kIsIterationInvariantRate);
}

const bool kRegistered = [] {
  const auto& cpu = edgefuse::platform::DetectCpuFeatures();
  for (const auto& kernel : edgefuse::core::X32TransposeKernels()) {
    if (!edgefuse::core::TierSupported(kernel.tier, cpu)) continue;
    for (const Shape& shape : kShapes) {
      benchmark::RegisterBenchmark((std::string(kernel.name) + "/" + shape.name).c_str(), BM_X32Transpose, kernel.fn,
                                   shape);
    }
  }
  return true;
}();

}  // namespace
