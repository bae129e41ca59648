#include "tests/bench/kernel_cases.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <optional>
#include <random>

#include "core/kernels/batch_matmul/batch_matmul.h"
#include "core/kernels/fully_connected/fully_connected.h"
#include "core/kernels/requantization/requantize.h"
#include "core/kernels/softmax/fixed_point.h"
#include "core/kernels/softmax/softmax.h"
#include "core/ops/softmax.h"
#include "platform/cpu_features.h"

namespace edgefuse::bench {
namespace {

using namespace core::kernels;

struct Attention {
  const char* name;
  size_t heads, e, dh, nq, nk;
};
constexpr Attention kShapes[] = {{"large", 8, 256, 32, 64, 256}, {"small", 4, 64, 16, 8, 192}};

template <class T>
std::shared_ptr<std::vector<T>> Random(size_t size, int32_t min, int32_t max, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int32_t> dist(min, max);
  auto v = std::make_shared<std::vector<T>>(size);
  for (T& x : *v) x = static_cast<T>(dist(rng));
  return v;
}

// Rows of softmax probabilities in int16 (sum ~ 32768 / 65536 of the output scale):
// what P V multiplies. zero_point -32768 gives the int8 -> int16 softmax's encoding.
std::shared_ptr<std::vector<int16_t>> Probabilities(size_t rows, size_t n, size_t stride, int32_t zero_point,
                                                    uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> weight(1.0);
  auto p = std::make_shared<std::vector<int16_t>>(rows * stride, static_cast<int16_t>(zero_point));
  const double unit = zero_point == 0 ? 32767.0 : 65535.0;
  for (size_t i = 0; i < rows; ++i) {
    std::vector<double> w(n);
    double sum = 0;
    for (double& x : w) sum += (x = std::pow(weight(rng), 3.0));
    for (size_t j = 0; j < n; ++j)
      (*p)[i * stride + j] = static_cast<int16_t>(std::lround(w[j] / sum * unit) + zero_point);
  }
  return p;
}

struct AlignedBuffer {
  std::vector<uint64_t> words;
  explicit AlignedBuffer(size_t bytes) : words(bytes / 8 + 2) {}
  void* data() { return words.data(); }
};

// A GEMM-shaped case: A [m, k] with stride, B as held, packed once at preparation.
template <class Ukernel, class A, class B, class Out, class Params, class PackInput>
std::function<void()> PrepareGemm(const Ukernel* k, size_t m, size_t n, size_t depth, size_t a_stride, size_t b_stride,
                                  RhsLayout layout, const Params& params, bool per_channel, bool with_bias,
                                  bool pack_only, std::optional<int32_t> probabilities = {}, bool symmetric_b = false) {
  // probabilities: A is rows of softmax output (P V), encoded with that zero point.
  // symmetric_b: B in [-max, max], as symmetric weights are quantized.
  const size_t b_rows = layout == RhsLayout::kNK ? n : depth;
  auto a = Random<A>(m * a_stride, -100, 100, 1);
  if constexpr (sizeof(A) == 2) {
    a = probabilities ? Probabilities(m, depth, a_stride, *probabilities, 1)
                      : Random<A>(m * a_stride, -32768, 32767, 1);
  }
  auto b = Random<B>(b_rows * b_stride, symmetric_b ? -std::numeric_limits<B>::max() : std::numeric_limits<B>::min(),
                     std::numeric_limits<B>::max(), 2);
  using Bias = std::remove_const_t<std::remove_pointer_t<decltype(PackInput::bias)>>;
  auto bias = Random<Bias>(n, -1000, 1000, 3);
  auto q = std::make_shared<std::vector<QuantizedMultiplier>>(n, params.multiplier);
  auto packed = std::make_shared<AlignedBuffer>(k->packed_size(n, depth));
  auto c = std::make_shared<std::vector<Out>>(m * n);
  auto input = std::make_shared<PackInput>();
  input->rhs = {b->data(), b_stride * sizeof(B), layout};
  input->n = n;
  input->k = depth;
  input->bias = with_bias ? bias->data() : nullptr;
  input->channel_multipliers = per_channel ? q->data() : nullptr;
  k->pack(*input, params, packed->data());
  if (pack_only) {
    return [k, input, params, packed, b, bias, q] { k->pack(*input, params, packed->data()); };
  }
  return [=] {
    k->gemm(m, n, depth, a->data(), a_stride * sizeof(A), packed->data(), c->data(), n * sizeof(Out), params);
  };
}

core::kernels::Qs8GemmParams Qs8Params(QuantizedMultiplier q) {
  Qs8GemmParams p;
  p.lhs_zero_point = 3;  // asymmetric activations on both sides, as TFLite's int8
  p.rhs_zero_point = -5;
  p.multiplier = q;
  p.output_zero_point = -2;
  return p;
}

Qs16GemmParams Qs16Params(QuantizedMultiplier q, int32_t lhs_zp, int32_t rhs_zp, bool int8_out) {
  Qs16GemmParams p;
  p.lhs_zero_point = lhs_zp;
  p.rhs_zero_point = rhs_zp;
  p.multiplier = q;
  if (int8_out) {
    p.output_min = -128;
    p.output_max = 127;
  }
  return p;
}

template <class Fn>
void AddEntries(std::vector<KernelCase>* cases, const char* family, std::span<const core::KernelEntry<Fn>> list,
                const std::string& shape, double macs, bool has_pack,
                std::function<std::function<void()>(const core::KernelEntry<Fn>&, bool)> prepare) {
  for (const auto& entry : list) {
    cases->push_back({family, entry.name, shape, entry.tier, macs, has_pack,
                      [prepare, &entry](bool pack_only) { return prepare(entry, pack_only); }});
  }
}

}  // namespace

std::vector<KernelCase> KernelCases(const std::string& prefix) {
  std::vector<KernelCase> cases;
  const QuantizedMultiplier q8 = QuantizeMultiplier(0.0012), q16 = QuantizeMultiplier(0.00003);
  for (const Attention& s : kShapes) {
    const std::string suffix = std::string("-") + s.name;
    // Requantization of the query projection's accumulators.
    AddEntries<Qs32Qs8RequantizeFn>(
        &cases, "requantize_qs32_qs8", kQs32Qs8RequantizeKernels, "rq" + suffix, double(s.nq * s.e), false,
        [s, q8](const auto& entry, bool) {
          auto acc = Random<int32_t>(s.nq * s.e, -200000, 200000, 4);
          auto out = std::make_shared<std::vector<int8_t>>(s.nq * s.e);
          auto cm = std::make_shared<ChannelMultipliers>(std::vector<QuantizedMultiplier>(s.e, q8));
          const Qs32Qs8RequantizeParams p{
              cm->multiplier.data(), cm->left_shift.data(), cm->right_shift.data(), 1, -128, 127};
          return std::function<void()>(
              [=, fn = entry.fn] { fn(s.nq, s.e, acc->data(), s.e * 4, out->data(), s.e, p); });
        });
    // Fully connected: the query projection [Nq x E] x [E x E], with the int8 block's
    // weights: symmetric per channel (in [-127, 127], zero point 0).
    Qs8GemmParams fc8 = Qs8Params(q8);
    fc8.rhs_zero_point = 0;
    AddEntries<const FullyConnectedQs8Kernel*>(
        &cases, "fully_connected_qs8", kFullyConnectedQs8Kernels, "fc" + suffix, double(s.nq * s.e * s.e), false,
        [s, fc8](const auto& entry, bool) {
          return PrepareGemm<Qs8GemmUkernel, int8_t, int8_t, int8_t, Qs8GemmParams, Qs8PackInput>(
              entry.fn, s.nq, s.e, s.e, s.e, s.e, RhsLayout::kNK, fc8, true, true, false, {}, true);
        });
    AddEntries<const FullyConnectedQs16Kernel*>(
        &cases, "fully_connected_qs16_qs8", kFullyConnectedQs16Kernels, "fc" + suffix, double(s.nq * s.e * s.e), false,
        [s, q16](const auto& entry, bool) {
          return PrepareGemm<FullyConnectedQs16Kernel, int16_t, int8_t, int16_t, Qs16GemmParams, Qs16PackInput>(
              entry.fn, s.nq, s.e, s.e, s.e, s.e, RhsLayout::kNK, Qs16Params(q16, 0, 0, false), true, true, false);
        });
    // Batch matmul, one head: Q K^T and P V.
    const double qk_macs = double(s.nq * s.nk * s.dh), pv_macs = double(s.nq * s.dh * s.nk);
    AddEntries<const BatchMatmulQs8Kernel*>(
        &cases, "batch_matmul_qs8", kBatchMatmulQs8Kernels, "qk" + suffix, qk_macs, true,
        [s, q8](const auto& entry, bool pack_only) {
          return PrepareGemm<Qs8GemmUkernel, int8_t, int8_t, int8_t, Qs8GemmParams, Qs8PackInput>(
              entry.fn, s.nq, s.nk, s.dh, s.e, s.e, RhsLayout::kNK, Qs8Params(q8), false, false, pack_only);
        });
    // The same with K symmetric (zero point 0): no row term.
    AddEntries<const BatchMatmulQs8Kernel*>(
        &cases, "batch_matmul_qs8", kBatchMatmulQs8Kernels, "qk0" + suffix, qk_macs, true,
        [s, q8](const auto& entry, bool pack_only) {
          Qs8GemmParams params = Qs8Params(q8);
          params.rhs_zero_point = 0;
          return PrepareGemm<Qs8GemmUkernel, int8_t, int8_t, int8_t, Qs8GemmParams, Qs8PackInput>(
              entry.fn, s.nq, s.nk, s.dh, s.e, s.e, RhsLayout::kNK, params, false, false, pack_only);
        });
    AddEntries<const BatchMatmulQs8Kernel*>(
        &cases, "batch_matmul_qs8", kBatchMatmulQs8Kernels, "pv" + suffix, pv_macs, true,
        [s, q8](const auto& entry, bool pack_only) {
          return PrepareGemm<Qs8GemmUkernel, int8_t, int8_t, int8_t, Qs8GemmParams, Qs8PackInput>(
              entry.fn, s.nq, s.dh, s.nk, s.nk, s.e, RhsLayout::kKN, Qs8Params(q8), false, false, pack_only);
        });
    AddEntries<const BatchMatmulQs16Kernel*>(
        &cases, "batch_matmul_qs16", kBatchMatmulQs16Kernels, "qk" + suffix, qk_macs, true,
        [s, q16](const auto& entry, bool pack_only) {
          return PrepareGemm<BatchMatmulQs16Kernel, int16_t, int16_t, int16_t, Qs16GemmParams, Qs16PackInput>(
              entry.fn, s.nq, s.nk, s.dh, s.e, s.e, RhsLayout::kNK, Qs16Params(q16, 0, 0, false), false, false,
              pack_only);
        });
    AddEntries<const BatchMatmulQs16Kernel*>(
        &cases, "batch_matmul_qs16", kBatchMatmulQs16Kernels, "pv" + suffix, pv_macs, true,
        [s, q16](const auto& entry, bool pack_only) {
          return PrepareGemm<BatchMatmulQs16Kernel, int16_t, int16_t, int16_t, Qs16GemmParams, Qs16PackInput>(
              entry.fn, s.nq, s.dh, s.nk, s.nk, s.e, RhsLayout::kKN, Qs16Params(q16, 0, 0, false), false, false,
              pack_only, 0);
        });
    AddEntries<const BatchMatmulQs16Qs8Kernel*>(
        &cases, "batch_matmul_qs16_qs8", kBatchMatmulQs16Qs8Kernels, "pv" + suffix, pv_macs, true,
        [s](const auto& entry, bool pack_only) {
          // P from an int8 -> int16 softmax (zero point -32768), V int8 with a zero point.
          return PrepareGemm<BatchMatmulQs16Qs8Kernel, int16_t, int8_t, int8_t, Qs16GemmParams, Qs16PackInput>(
              entry.fn, s.nq, s.dh, s.nk, s.nk, s.e, RhsLayout::kKN,
              Qs16Params(QuantizeMultiplier(1.0 / 65536 * 0.05 / 0.04), -32768, -5, true), false, false, pack_only,
              -32768);
        });
    // Softmax over the scores of one head.
    auto softmax_case = [s](auto list_tag, const auto& entry) {
      using In = typename decltype(list_tag)::first_type;
      using Out = typename decltype(list_tag)::second_type;
      std::string error;
      auto plan = std::shared_ptr<core::ops::Softmax<In, Out>>(core::ops::Softmax<In, Out>::Create(
          {.input_scale = sizeof(In) == 1 ? 0.08f : 0.0003f}, &error, core::Tier::kReference));
      auto x = Random<In>(s.nq * s.nk, std::numeric_limits<In>::min(), std::numeric_limits<In>::max(), 5);
      auto y = std::make_shared<std::vector<Out>>(s.nq * s.nk);
      return std::function<void()>([=, fn = entry.fn] {
        fn(s.nq, s.nk, x->data(), s.nk * sizeof(In), nullptr, 0, y->data(), s.nk * sizeof(Out), plan->params());
      });
    };
    const double sm = double(s.nq * s.nk);
    AddEntries<SoftmaxQs8Fn>(
        &cases, "softmax_qs8", kSoftmaxQs8Kernels, "sm" + suffix, sm, false,
        [softmax_case](const auto& e, bool) { return softmax_case(std::pair<int8_t, int8_t>{}, e); });
    AddEntries<SoftmaxQs8Qs16Fn>(
        &cases, "softmax_qs8_qs16", kSoftmaxQs8Qs16Kernels, "sm" + suffix, sm, false,
        [softmax_case](const auto& e, bool) { return softmax_case(std::pair<int8_t, int16_t>{}, e); });
    AddEntries<SoftmaxQs16Fn>(
        &cases, "softmax_qs16", kSoftmaxQs16Kernels, "sm" + suffix, sm, false,
        [softmax_case](const auto& e, bool) { return softmax_case(std::pair<int16_t, int16_t>{}, e); });
  }
  std::vector<KernelCase> kept;
  for (auto& c : cases) {
    if (c.family.rfind(prefix, 0) == 0) kept.push_back(std::move(c));
  }
  return kept;
}

void RegisterKernelBenchmarks(const std::string& family_prefix) {
  for (const KernelCase& c : KernelCases(family_prefix)) {
    for (bool pack_only : {false, true}) {
      if (pack_only && !c.has_pack) continue;
      const std::string name = c.family + "/" + c.kernel + "/" + c.shape + (pack_only ? "/pack" : "");
      benchmark::RegisterBenchmark(name.c_str(), [c, pack_only](benchmark::State& state) {
        if (!core::TierSupported(c.tier, platform::DetectCpuFeatures())) {
          state.SkipWithError(("this CPU lacks the " + std::string(core::TierName(c.tier)) + " tier").c_str());
          return;
        }
        const std::function<void()> call = c.prepare(pack_only);
        for (auto _ : state) call();
        if (!pack_only) {
          state.counters[c.family.rfind("softmax", 0) == 0 || c.family.rfind("requantize", 0) == 0 ? "elements/s"
                                                                                                   : "MAC/s"] =
              benchmark::Counter(c.macs, benchmark::Counter::kIsIterationInvariantRate);
        }
      });
    }
  }
}

}  // namespace edgefuse::bench
