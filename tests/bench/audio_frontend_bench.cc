// Host timings of the audio front-end per 10 ms hop: the float reference, the fixed
// path at every kernel tier this CPU has, the Q15 FFT kernels alone, and resampling of
// 10 ms of 48 kHz audio. (Under QEMU, count instructions with audio_frontend_hops.)
#include <benchmark/benchmark.h>

#include <vector>

#include "core/kernels/fft_q15/fft_q15.h"
#include "modalities/audio/log_mel_stream.h"
#include "modalities/audio/resampler.h"
#include "modalities/audio/synthetic.h"

namespace edgefuse::audio {
namespace {

std::vector<int16_t> Signal(int rate_scale = 1) {
  SyntheticScene scene;
  scene.seed = 4;
  scene.events = {
      {.kind = SyntheticKind::kSpeechLike, .duration_s = -1, .frequency_hz = 120.0 / rate_scale, .amplitude = 0.3},
      {.kind = SyntheticKind::kNoise, .duration_s = -1, .amplitude = 0.01}};
  std::vector<int16_t> signal(kSampleRateHz * rate_scale);
  RenderSynthetic(scene, 0, signal);
  return signal;
}

void Hops(benchmark::State& state, Precision precision, core::Tier cap) {
  const std::vector<int16_t> signal = Signal();
  const long frames = static_cast<long>(NumFrames(signal.size()));
  LogMelFrameProcessor processor(precision, cap);
  long i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(processor.Process(signal.data() + (i % frames) * kHopSamples, i).onset_q10);
    ++i;
  }
  state.counters["hops/s"] = benchmark::Counter(static_cast<double>(i), benchmark::Counter::kIsRate);
  state.SetLabel(precision == Precision::kFixed ? processor.fft_kernel_name() : "double");
}

void RegisterAll() {
  benchmark::RegisterBenchmark("log_mel_hop/f32",
                               [](benchmark::State& s) { Hops(s, Precision::kFloat, core::Tier::kReference); });
  for (const auto& entry : core::kernels::RfftQ15Kernels()) {
    if (!core::TierSupported(entry.tier, platform::DetectCpuFeatures())) continue;
    const core::Tier tier = entry.tier;
    benchmark::RegisterBenchmark((std::string("log_mel_hop/fixed/") + core::TierName(tier)).c_str(),
                                 [tier](benchmark::State& s) { Hops(s, Precision::kFixed, tier); });
    const auto fn = entry.fn;
    benchmark::RegisterBenchmark((std::string("rfft_q15_512/") + entry.name).c_str(), [fn](benchmark::State& s) {
      const auto& plan = core::kernels::RfftQ15PlanFor(512);
      const std::vector<int16_t> signal = Signal();
      std::vector<int16_t> work(512), bins(514);
      for (auto _ : s) {
        std::copy_n(signal.begin() + 1000, 512, work.begin());
        benchmark::DoNotOptimize(fn(plan, work.data(), bins.data()));
      }
      s.counters["ffts/s"] = benchmark::Counter(static_cast<double>(s.iterations()), benchmark::Counter::kIsRate);
    });
  }
  benchmark::RegisterBenchmark("resample_48k_10ms", [](benchmark::State& s) {
    const std::vector<int16_t> signal = Signal(3);
    Resampler resampler(48000);
    std::vector<int16_t> out(resampler.MaxOutputFor(480));
    size_t pos = 0;
    for (auto _ : s) {
      benchmark::DoNotOptimize(resampler.Process(std::span<const int16_t>(signal).subspan(pos, 480), out));
      pos = (pos + 480) % (signal.size() - 480);
    }
  });
}

const bool kRegistered = (RegisterAll(), true);

}  // namespace
}  // namespace edgefuse::audio
