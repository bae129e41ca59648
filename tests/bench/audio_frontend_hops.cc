// Runs the audio front-end for a given number of 10 ms hops, for instruction counts
// under QEMU (tests/bench/insn-count.sh --per-iter): set-up is the same for every hop
// count, so the difference of two runs is the cost of the hops alone.
//
//   tests/bench/insn-count.sh --cpu cortex-a72 --per-iter 200,1200 --
//       build/rpi4/tests/bench/audio_frontend_hops --precision fixed --hops @ITERS@   (one line)
//   EDGEFUSE_MAX_TIER=reference ... (the scalar FFT instead of NEON)
//   --stage fft: only the 512-point Q15 FFT of each hop (its share of the total)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/kernels/fft_q15/fft_q15.h"
#include "modalities/audio/log_mel_stream.h"
#include "modalities/audio/synthetic.h"

int main(int argc, char** argv) {
  long hops = 100;
  edgefuse::audio::Precision precision = edgefuse::audio::Precision::kFixed;
  bool fft_only = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--hops") == 0) {
      hops = std::strtol(argv[i + 1], nullptr, 10);
    } else if (std::strcmp(argv[i], "--stage") == 0) {
      fft_only = std::strcmp(argv[i + 1], "fft") == 0;
    } else if (std::strcmp(argv[i], "--precision") == 0) {
      if (!edgefuse::audio::ParsePrecision(argv[i + 1], &precision)) return 2;
    } else {
      std::fprintf(stderr, "usage: audio_frontend_hops [--hops N] [--precision f32|fixed] [--stage all|fft]\n");
      return 2;
    }
  }
  // One second of speech-like sound with noise: the same for every hop count.
  edgefuse::audio::SyntheticScene scene;
  scene.seed = 4;
  scene.events = {
      {.kind = edgefuse::audio::SyntheticKind::kSpeechLike, .duration_s = -1, .frequency_hz = 120, .amplitude = 0.3},
      {.kind = edgefuse::audio::SyntheticKind::kNoise, .duration_s = -1, .amplitude = 0.01}};
  std::vector<int16_t> signal(edgefuse::audio::kSampleRateHz);
  edgefuse::audio::RenderSynthetic(scene, 0, signal);
  const long frames = static_cast<long>(edgefuse::audio::NumFrames(signal.size()));

  if (fft_only) {
    const auto& plan = edgefuse::core::kernels::RfftQ15PlanFor(edgefuse::audio::kFftSize);
    const auto& fft = edgefuse::core::SelectKernel<edgefuse::core::kernels::RfftQ15Fn>(
        edgefuse::core::kernels::RfftQ15Kernels(), edgefuse::core::DefaultTierCap());
    alignas(16) int16_t work[edgefuse::audio::kFftSize];
    alignas(16) int16_t bins[2 * edgefuse::audio::kNumFftBins + 6];
    int64_t sum = 0;
    for (long i = 0; i < hops; ++i) {
      const int16_t* frame = signal.data() + (i % frames) * edgefuse::audio::kHopSamples;
      std::copy_n(frame, edgefuse::audio::kWindowSamples, work);
      std::fill(work + edgefuse::audio::kWindowSamples, work + edgefuse::audio::kFftSize, int16_t{0});
      sum += fft.fn(plan, work, bins) + bins[2 * (i % 257)];
    }
    std::printf("%ld FFTs (%s), checksum %lld\n", hops, fft.name, static_cast<long long>(sum));
    return 0;
  }
  edgefuse::audio::LogMelFrameProcessor processor(precision, edgefuse::core::DefaultTierCap());
  int64_t checksum = 0;
  for (long i = 0; i < hops; ++i) {
    const auto frame = processor.Process(signal.data() + (i % frames) * edgefuse::audio::kHopSamples, i);
    checksum += frame.log_mel_q10[i % edgefuse::audio::kNumMelBands] + frame.onset_q10;
  }
  std::printf("%ld hops (%s, FFT kernel %s), checksum %lld\n", hops, edgefuse::audio::PrecisionName(precision),
              processor.fft_kernel_name(), static_cast<long long>(checksum));
  return 0;
}
