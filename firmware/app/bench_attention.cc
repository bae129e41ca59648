// `edgefuse bench attention`: the cross-attention block N times on fixed pseudo-random
// data (the same on every run and every machine), printing the time per call.
//
//   edgefuse bench attention --precision f32 --heads 8 --nq 64 --nk 256 --dim 256 --iters 100
//
// Set-up (weights, inputs, Create, one warm-up call) is the same for any --iters, so
// instruction counts at two iteration counts differ by exactly the calls.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "core/attention/attention.h"
#include "core/attention/calibration.h"
#include "firmware/app/bench.h"
#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "platform/clock.h"

namespace edgefuse::app {
namespace {

constexpr OptionSpec kOptions[] = {
    {"precision", "P", "f32, int8 or int16"},
    {"heads", "H", "head count"},
    {"nq", "NQ", "query tokens"},
    {"nk", "NK", "context tokens"},
    {"dim", "E", "embed dim (a multiple of H)"},
    {"kdim", "K", "context features (default E)"},
    {"iters", "N", "timed calls"},
    {"threads", "T", "worker threads (default 1)"},
};

int Error(const std::string& message) { return UsageError("bench attention: " + message); }

// SplitMix64: fixed values everywhere (the standard library's distributions are
// implementation-defined).
class FixedRandom {
 public:
  explicit FixedRandom(uint64_t seed) : state_(seed) {}
  // Uniform in [-bound, bound).
  float Uniform(float bound) {
    state_ += 0x9E3779B97F4A7C15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return bound * (static_cast<float>(z >> 40) * 0x1.0p-23f - 1.0f);
  }
  std::vector<float> Values(size_t count, float bound) {
    std::vector<float> v(count);
    for (float& x : v) x = Uniform(bound);
    return v;
  }

 private:
  uint64_t state_;
};

}  // namespace

int RunBenchAttention(int argc, char** argv) {
  ParsedArgs args;
  if (int status = ParseArgs("bench attention", kOptions, argc, argv, &args); status >= 0) return status;
  for (const char* required : {"precision", "heads", "nq", "nk", "dim", "iters"}) {
    if (!args.Has(required)) return Error(std::string("--") + required + " is required");
  }
  core::AttentionPrecision precision;
  if (!core::ParseAttentionPrecision(args.Get("precision"), &precision)) {
    return Error("--precision must be f32, int8 or int16, not '" + args.Get("precision") + "'");
  }
  long heads, nq, nk, e, kdim = 0, iters, threads = 1;
  constexpr long kMaxDim = 1 << 14, kMaxTokens = 1 << 16;
  if (!ParseInt(args.Get("heads"), 1, kMaxDim, &heads)) return Error("--heads must be in [1, 16384]");
  if (!ParseInt(args.Get("nq"), 1, kMaxTokens, &nq)) return Error("--nq must be in [1, 65536]");
  if (!ParseInt(args.Get("nk"), 1, kMaxTokens, &nk)) return Error("--nk must be in [1, 65536]");
  if (!ParseInt(args.Get("dim"), 1, kMaxDim, &e)) return Error("--dim must be in [1, 16384]");
  if (args.Has("kdim") && !ParseInt(args.Get("kdim"), 1, kMaxDim, &kdim)) return Error("--kdim must be in [1, 16384]");
  if (!ParseInt(args.Get("iters"), 0, 1L << 30, &iters)) return Error("--iters must be a non-negative integer");
  if (args.Has("threads") && !ParseInt(args.Get("threads"), 1, 256, &threads)) {
    return Error("--threads must be in [1, 256]");
  }
  if (kdim == 0) kdim = e;
  if (e % heads != 0) return Error("--heads " + std::to_string(heads) + " does not divide --dim " + std::to_string(e));

  // PyTorch-like scales: xavier-uniform projections, small biases, inputs in [-1, 1).
  FixedRandom random(0xED6EF05E);
  core::AttentionWeights weights;
  weights.embed_dim = static_cast<int>(e);
  weights.kdim = static_cast<int>(kdim);
  const auto ue = static_cast<size_t>(e), uk = static_cast<size_t>(kdim);
  weights.q_weight = random.Values(ue * ue, std::sqrt(6.0f / static_cast<float>(2 * e)));
  weights.k_weight = random.Values(ue * uk, std::sqrt(6.0f / static_cast<float>(e + kdim)));
  weights.v_weight = random.Values(ue * uk, std::sqrt(6.0f / static_cast<float>(e + kdim)));
  weights.out_weight = random.Values(ue * ue, 1.0f / std::sqrt(static_cast<float>(e)));
  weights.q_bias = random.Values(ue, 0.1f);
  weights.k_bias = random.Values(ue, 0.1f);
  weights.v_bias = random.Values(ue, 0.1f);
  weights.out_bias = random.Values(ue, 0.1f);
  const std::vector<float> query = random.Values(static_cast<size_t>(nq) * ue, 1.0f);
  const std::vector<float> context = random.Values(static_cast<size_t>(nk) * uk, 1.0f);

  core::AttentionConfig config;
  config.embed_dim = static_cast<int>(e);
  config.num_heads = static_cast<int>(heads);
  config.kdim = static_cast<int>(kdim);
  config.max_query_tokens = static_cast<int>(nq);
  config.max_context_tokens = static_cast<int>(nk);
  config.precision = precision;
  config.threads = static_cast<int>(threads);
  std::string error;
  core::AttentionRanges ranges;
  if (precision != core::AttentionPrecision::kF32) {
    const core::CalibrationSample sample{query, context, {}};
    if (!core::CalibrateAttention(config, weights, {&sample, 1}, &ranges, &error)) return Error(error);
  }
  std::unique_ptr<core::CrossAttention> block = core::CrossAttention::Create(config, weights, &ranges, &error);
  if (!block) return Error(error);
  std::vector<float> out(static_cast<size_t>(nq) * ue);
  const core::AttentionInputs inputs{query, context, {}};
  if (!block->Run(inputs, {out}, &error)) return Error(error);  // warm-up, part of the set-up

  const int64_t start = platform::MonotonicNowNs();
  for (long i = 0; i < iters; ++i) block->Run(inputs, {out}, &error);
  const int64_t elapsed = platform::MonotonicNowNs() - start;

  const double macs = static_cast<double>(nq) * static_cast<double>(e) * static_cast<double>(e) * 2 +
                      static_cast<double>(nk) * static_cast<double>(kdim) * static_cast<double>(e) * 2 +
                      static_cast<double>(nq) * static_cast<double>(nk) * static_cast<double>(e) * 2;
  const double per_call_ms = iters > 0 ? platform::NsToMs(elapsed) / static_cast<double>(iters) : 0.0;
  std::printf(
      "attention %s H=%ld E=%ld kdim=%ld Nq=%ld Nk=%ld threads=%ld: %.4f ms per call (%ld calls), "
      "%.1f M MAC per call, %.2f GMAC/s [%s]\n",
      core::AttentionPrecisionName(precision), heads, e, kdim, nq, nk, threads, per_call_ms, iters, macs * 1e-6,
      per_call_ms > 0 ? macs / (per_call_ms * 1e6) : 0.0, block->Describe().c_str());
  return kExitOk;
}

}  // namespace edgefuse::app
