#include "modalities/audio/synthetic.h"

#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "modalities/audio/frontend_settings.h"
#include "platform/text.h"

namespace edgefuse::audio {
namespace {

// Counter-based randomness: a pure function of (seed, stream, index).
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

double Uniform(uint64_t seed, uint64_t stream, int64_t index) {
  const uint64_t bits = Mix(seed ^ Mix(stream * 0x100000001b3ull ^ static_cast<uint64_t>(index)));
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;  // (0, 1)
}

double Gaussian(uint64_t seed, uint64_t stream, int64_t index) {
  const double u1 = Uniform(seed, 2 * stream, index), u2 = Uniform(seed, 2 * stream + 1, index);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double EventValue(const SyntheticScene& scene, size_t which, int64_t sample) {
  const SyntheticEvent& e = scene.events[which];
  const int64_t start = std::llround(e.start_s * kSampleRateHz);
  const double t = static_cast<double>(sample - start) / kSampleRateHz;
  if (sample < start) return 0.0;
  if (e.kind == SyntheticKind::kClick) {
    if (t >= 0.005) return 0.0;
    return e.amplitude * std::exp(-t / 0.001) * (2.0 * Uniform(scene.seed, which + 1000, sample) - 1.0);
  }
  if (e.duration_s >= 0.0 && sample >= start + std::llround(e.duration_s * kSampleRateHz)) return 0.0;
  switch (e.kind) {
    case SyntheticKind::kTone: return e.amplitude * std::sin(2.0 * M_PI * e.frequency_hz * t);
    case SyntheticKind::kNoise: return e.amplitude * Gaussian(scene.seed, which, sample);
    case SyntheticKind::kSpeechLike: {
      const double envelope = 0.5 - 0.5 * std::cos(2.0 * M_PI * 4.0 * t);
      const double phase = 2.0 * M_PI * e.frequency_hz * t + 0.3 * std::sin(2.0 * M_PI * 5.0 * t);  // vibrato
      double value = 0.0, norm = 0.0;
      for (int h = 1; h * e.frequency_hz <= 4000.0; ++h) {
        value += std::sin(h * phase) / h;
        norm += 1.0 / h;
      }
      return norm > 0.0 ? e.amplitude * envelope * value / norm : 0.0;
    }
    case SyntheticKind::kClick: break;
  }
  return 0.0;
}

}  // namespace

void RenderSynthetic(const SyntheticScene& scene, int64_t first_sample, std::span<int16_t> out) {
  const int64_t end =
      scene.duration_s < 0.0 ? std::numeric_limits<int64_t>::max() : std::llround(scene.duration_s * kSampleRateHz);
  // In blocks, each event visiting only the samples it can touch: a long scene has
  // hundreds of events and a block overlaps a few. Every sample still sums its events
  // in order (skipped events add exactly 0), so the result is the same bit for bit.
  constexpr size_t kBlock = 256;
  constexpr int64_t kClickSamples = kSampleRateHz / 200 + 1;  // 5 ms (EventValue checks exactly)
  std::array<double, kBlock> sum;
  for (size_t block = 0; block < out.size(); block += kBlock) {
    const size_t n = std::min(kBlock, out.size() - block);
    const int64_t lo = first_sample + static_cast<int64_t>(block);
    const int64_t hi = std::min(lo + static_cast<int64_t>(n), std::max(lo, end));  // samples [lo, hi) sound
    std::fill_n(sum.begin(), n, 0.0);
    for (size_t e = 0; e < scene.events.size(); ++e) {
      const SyntheticEvent& event = scene.events[e];
      const int64_t start = std::llround(event.start_s * kSampleRateHz);
      int64_t stop = std::numeric_limits<int64_t>::max();
      if (event.kind == SyntheticKind::kClick) {
        stop = start + kClickSamples;
      } else if (event.duration_s >= 0.0) {
        stop = start + std::llround(event.duration_s * kSampleRateHz);
      }
      const int64_t from = std::max(lo, start), to = std::min(hi, stop);
      for (int64_t sample = from; sample < to; ++sample)
        sum[static_cast<size_t>(sample - lo)] += EventValue(scene, e, sample);
    }
    for (size_t i = 0; i < n; ++i) {
      const double scaled = std::nearbyint(sum[i] * 32768.0);
      out[block + i] = static_cast<int16_t>(std::fmax(-32768.0, std::fmin(32767.0, scaled)));
    }
  }
}

bool ParseSyntheticScene(const std::string& text, SyntheticScene* scene, std::string* error) {
  std::stringstream events(text);
  std::string item;
  while (std::getline(events, item, ';')) {
    const size_t first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
    if (first == std::string::npos) continue;
    item = item.substr(first, last - first + 1);
    const size_t colon = item.find(':');
    if (colon == std::string::npos) {
      *error = "synthetic event " + platform::QuoteForMessage(item) + " has no ':' (e.g. tone:1000@0.5)";
      return false;
    }
    const std::string kind = item.substr(0, colon);
    SyntheticEvent event;
    event.duration_s = -1.0;
    if (kind == "tone") {
      event.kind = SyntheticKind::kTone;
    } else if (kind == "click") {
      event.kind = SyntheticKind::kClick;
    } else if (kind == "noise") {
      event.kind = SyntheticKind::kNoise;
    } else if (kind == "speech") {
      event.kind = SyntheticKind::kSpeechLike;
    } else {
      *error = "unknown synthetic event " + platform::QuoteForMessage(kind) + " (tone, click, noise, speech)";
      return false;
    }
    std::stringstream fields(item.substr(colon + 1));
    std::string field;
    bool first_field = true;
    while (std::getline(fields, field, ',')) {
      char* end = nullptr;
      if (first_field) {  // "F@A" for tone and speech, "A" for click and noise
        first_field = false;
        const size_t at = field.find('@');
        const bool has_frequency = event.kind == SyntheticKind::kTone || event.kind == SyntheticKind::kSpeechLike;
        if (has_frequency != (at != std::string::npos)) {
          *error = "synthetic " + kind + ": expected " + (has_frequency ? "FREQ@AMPLITUDE" : "AMPLITUDE");
          return false;
        }
        if (has_frequency) {
          event.frequency_hz = std::strtod(field.c_str(), &end);
          if (end != field.c_str() + at || !(event.frequency_hz > 0.0 && event.frequency_hz < 8000.0)) {
            *error = "synthetic " + kind + ": bad frequency in " + platform::QuoteForMessage(field) + " (0 < f < 8000)";
            return false;
          }
          field = field.substr(at + 1);
        }
        event.amplitude = std::strtod(field.c_str(), &end);
        if (end == field.c_str() || *end != '\0' || !(event.amplitude >= 0.0 && event.amplitude <= 1.0)) {
          *error =
              "synthetic " + kind + ": bad amplitude " + platform::QuoteForMessage(field) + " (0 .. 1 of full scale)";
          return false;
        }
        continue;
      }
      const size_t eq = field.find('=');
      const std::string key = eq == std::string::npos ? field : field.substr(0, eq);
      const double value = eq == std::string::npos ? NAN : std::strtod(field.c_str() + eq + 1, &end);
      if (eq == std::string::npos || *end != '\0' || !(value >= 0.0 && value < 1e6)) {
        *error = "synthetic " + kind + ": bad field " + platform::QuoteForMessage(field);
        return false;
      }
      if (key == "start" || key == "at") {
        event.start_s = value;
      } else if (key == "dur") {
        event.duration_s = value;
      } else {
        *error = "synthetic " + kind + ": unknown field " + platform::QuoteForMessage(key) + " (start, at, dur)";
        return false;
      }
    }
    if (first_field) {
      *error = "synthetic " + kind + ": missing amplitude";
      return false;
    }
    scene->events.push_back(event);
  }
  if (scene->events.empty() && text.find_first_not_of(" \t;") != std::string::npos) {
    *error = "no synthetic events in " + platform::QuoteForMessage(text);
    return false;
  }
  return true;
}

}  // namespace edgefuse::audio
