// Google Benchmark for the cross-attention block at the two pipeline shapes:
// small (H=4, E=64, Nq=8, Nk=192) and large (H=8, E=256, Nq=64, Nk=256), float32 with
// 1 and 2 threads, with and without the averaged attention weights, and int8 / 16x8
// (calibrated on the benchmark's inputs). Counter: MAC/s (projections + QK^T + P·V).
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/attention/attention.h"
#include "core/attention/calibration.h"

namespace {

using edgefuse::core::AttentionConfig;
using edgefuse::core::AttentionPrecision;
using edgefuse::core::AttentionWeights;
using edgefuse::core::CrossAttention;

struct Shape {
  const char* name;
  int heads, e, nq, nk;
};
constexpr Shape kShapes[] = {{"small_H4_E64_Nq8_Nk192", 4, 64, 8, 192}, {"large_H8_E256_Nq64_Nk256", 8, 256, 64, 256}};

std::vector<float> Uniform(std::mt19937& rng, size_t count, float bound) {
  std::uniform_real_distribution<float> dist(-bound, bound);
  std::vector<float> v(count);
  for (float& x : v) x = dist(rng);
  return v;
}

void BM_Attention(benchmark::State& state, Shape shape, AttentionPrecision precision, int threads, bool weights_out) {
  std::mt19937 rng(7);
  const auto e = static_cast<size_t>(shape.e);
  AttentionWeights w;
  w.embed_dim = w.kdim = shape.e;
  const float bound = std::sqrt(3.0f / static_cast<float>(e));
  w.q_weight = Uniform(rng, e * e, bound);
  w.k_weight = Uniform(rng, e * e, bound);
  w.v_weight = Uniform(rng, e * e, bound);
  w.out_weight = Uniform(rng, e * e, bound);
  w.q_bias = w.k_bias = w.v_bias = w.out_bias = Uniform(rng, e, 0.1f);
  AttentionConfig config;
  config.embed_dim = config.kdim = shape.e;
  config.num_heads = shape.heads;
  config.max_query_tokens = shape.nq;
  config.max_context_tokens = shape.nk;
  config.threads = threads;
  config.precision = precision;
  const std::vector<float> query = Uniform(rng, static_cast<size_t>(shape.nq) * e, 1.0f);
  const std::vector<float> context = Uniform(rng, static_cast<size_t>(shape.nk) * e, 1.0f);
  std::string error;
  edgefuse::core::AttentionRanges ranges;
  const edgefuse::core::CalibrationSample sample{query, context, {}};
  if (precision != AttentionPrecision::kF32 &&
      !edgefuse::core::CalibrateAttention(config, w, {&sample, 1}, &ranges, &error)) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::unique_ptr<CrossAttention> block = CrossAttention::Create(config, w, &ranges, &error);
  if (!block) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::vector<float> out(query.size()), attn(weights_out ? static_cast<size_t>(shape.nq * shape.nk) : 0);
  for (auto _ : state) {
    if (!block->Run({query, context, {}}, {out, attn}, &error)) state.SkipWithError(error.c_str());
    benchmark::DoNotOptimize(out.data());
  }
  const double macs =
      2.0 * shape.nq * shape.e * shape.e + 2.0 * shape.nk * shape.e * shape.e + 2.0 * shape.nq * shape.nk * shape.e;
  state.counters["MAC/s"] = benchmark::Counter(macs, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(block->Describe());
}

const bool kRegistered = [] {
  for (AttentionPrecision precision :
       {AttentionPrecision::kF32, AttentionPrecision::kInt8, AttentionPrecision::kInt16}) {
    for (const Shape& shape : kShapes) {
      for (int threads : {1, 2}) {
        for (bool weights_out : {false, true}) {
          if (precision != AttentionPrecision::kF32 && weights_out) continue;
          const std::string name = std::string("attention_") + edgefuse::core::AttentionPrecisionName(precision) + "/" +
                                   shape.name + "/threads:" + std::to_string(threads) +
                                   (weights_out ? "/with_weights" : "");
          benchmark::RegisterBenchmark(name.c_str(), BM_Attention, shape, precision, threads, weights_out)
              ->UseRealTime();
        }
      }
    }
  }
  return true;
}();

}  // namespace
