// Synthetic audio at the pipeline rate: tones, clicks at given times, noise, speech-like
// bursts (amplitude-modulated harmonic tones) and silence, deterministic from a seed.
// Every sample is a pure function of (scene, sample index), so any chunking renders the
// same signal; the demo uses it to make an object "sound" in sync with its motion.
//
//   edgefuse::audio::SyntheticScene scene;
//   scene.seed = 7;
//   scene.events.push_back({.kind = SyntheticKind::kTone, .start_s = 0, .duration_s = 1,
//                           .frequency_hz = 1000, .amplitude = 0.5});
//   scene.events.push_back({.kind = SyntheticKind::kClick, .start_s = 0.25, .amplitude = 0.8});
//   int16_t chunk[160];
//   edgefuse::audio::RenderSynthetic(scene, /*first_sample=*/0, chunk);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace edgefuse::audio {

enum class SyntheticKind {
  kTone,        // amplitude * sin(2 pi f (t - start))
  kClick,       // 5 ms exponentially decaying (tau 1 ms) noise burst: a broadband onset
  kNoise,       // Gaussian white noise, amplitude = RMS
  kSpeechLike,  // harmonics of f0 (1/h amplitudes, up to 4 kHz), 4 Hz syllable envelope
};

struct SyntheticEvent {
  SyntheticKind kind = SyntheticKind::kTone;
  double start_s = 0.0;
  double duration_s = 0.0;    // ignored for clicks
  double frequency_hz = 0.0;  // tone frequency or speech f0
  double amplitude = 0.0;     // fraction of full scale (peak; RMS for noise)
};

struct SyntheticScene {
  uint64_t seed = 1;
  std::vector<SyntheticEvent> events;  // summed, then rounded and saturated to int16
  double duration_s = -1.0;            // end of the stream; negative: endless
};

// Samples [first_sample, first_sample + out.size()) at kSampleRateHz.
void RenderSynthetic(const SyntheticScene& scene, int64_t first_sample, std::span<int16_t> out);

// Parses a scene description, events separated by ';' (used by the command line):
//   "tone:1000@0.5,start=0,dur=2; click:0.8,at=0.25; noise:0.01; speech:140@0.3,start=1,dur=1"
// Events without start/dur span the whole stream. False with a one-line reason.
bool ParseSyntheticScene(const std::string& text, SyntheticScene* scene, std::string* error);

}  // namespace edgefuse::audio
