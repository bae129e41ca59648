// `edgefuse features audio --wav IN.wav --out MEL.npy [--precision f32|fixed]
//  [--activity ACT.npy]`: the log-mel front-end on a WAV file (any PCM/float encoding,
// rate 8-96 kHz, channels down-mixed), resampled to 16 kHz. MEL.npy is float32
// [frames, 40], ln(max(E_m, 1e-10)); the fixed path writes its Q10 values dequantized.
// ACT.npy is float32 [frames, 2]: frame energy and onset strength (nat).
#include <cstdio>

#include "core/format/npy.h"
#include "firmware/app/cli.h"
#include "firmware/app/features.h"
#include "firmware/files/tensor_files.h"
#include "modalities/audio/log_mel_stream.h"
#include "modalities/audio/paced_source.h"
#include "platform/text.h"

namespace edgefuse::app {

int RunFeaturesAudio(int argc, char** argv) {
  static constexpr OptionSpec kOptions[] = {
      {"wav", "IN.wav", "input WAV file (PCM 8/16/24/32-bit or float, 8-96 kHz, any channels)"},
      {"out", "MEL.npy", "log-mel output, float32 [frames, 40]"},
      {"precision", "f32|fixed", "front-end implementation (default f32)"},
      {"activity", "ACT.npy", "also write frame energy and onset strength, float32 [frames, 2]"},
  };
  ParsedArgs args;
  if (int status = ParseArgs("features audio", kOptions, argc, argv, &args); status >= 0) return status;
  if (!args.Has("wav") || !args.Has("out")) return UsageError("features audio: --wav and --out are required");
  audio::Precision precision = audio::Precision::kFloat;
  if (!audio::ParsePrecision(args.Get("precision", "f32"), &precision)) {
    return UsageError("features audio: --precision must be f32 or fixed, not '" + args.Get("precision") + "'");
  }

  std::string error;
  auto source = audio::WavSource::Open(args.Get("wav"), {}, &error);
  if (source == nullptr) return UsageError(error);
  if (source->file().clipped_samples > 0) {
    std::fprintf(stderr, "edgefuse: warning: %s: %llu float samples outside [-1, 1) were clipped\n",
                 platform::OneLine(args.Get("wav")).c_str(),
                 static_cast<unsigned long long>(source->file().clipped_samples));
  }
  if (!source->Start(&error)) return UsageError(error);
  std::vector<int16_t> samples;
  std::vector<int16_t> chunk(16000);
  for (;;) {
    const audio::AudioRead read = source->Read(chunk, 0);
    samples.insert(samples.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(read.samples));
    if (read.end_of_stream || read.samples == 0) break;
  }

  const audio::LogMelResult result = audio::ComputeLogMel(samples, precision);
  const auto frames = static_cast<int64_t>(result.frames);
  if (!files::WriteNpyFile(args.Get("out"), core::NpyArray::Float32({frames, audio::kNumMelBands}, result.log_mel),
                           &error)) {
    std::fprintf(stderr, "edgefuse: %s\n", platform::OneLine(error).c_str());
    return kExitFailure;
  }
  if (args.Has("activity")) {
    std::vector<float> activity;
    for (size_t i = 0; i < result.frames; ++i) {
      activity.push_back(audio::DequantizeQ10(result.energy_q10[i]));
      activity.push_back(audio::DequantizeQ10(result.onset_q10[i]));
    }
    if (!files::WriteNpyFile(args.Get("activity"), core::NpyArray::Float32({frames, 2}, activity), &error)) {
      std::fprintf(stderr, "edgefuse: %s\n", platform::OneLine(error).c_str());
      return kExitFailure;
    }
  }
  std::fprintf(stderr, "edgefuse: %s: %lld frames x %d bands (%s) -> %s\n",
               platform::OneLine(source->Describe()).c_str(), static_cast<long long>(frames), audio::kNumMelBands,
               audio::PrecisionName(precision), platform::OneLine(args.Get("out")).c_str());
  return kExitOk;
}

}  // namespace edgefuse::app
