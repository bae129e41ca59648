// The generated audio-visual scene. From the seed: the object count (3..6), which object
// sounds (one that moves or flickers), the sound kind, and an alternation of sounding stretches (1.5..3.5 s) and
// silences (0.8..1.8 s, about 30% of the time). A sounding stretch is a phrase: loud
// bursts (0.3..0.8 s) between a softer sustain (12 dB down, 0.3..0.7 s), as speech or a
// rattling machine; the sounding object is driven exactly on the frames of the loud
// bursts, so its motion and the sound's loudness share one schedule. The sound plays
// shifted by the A/V offset. A faint noise floor (-54 dBFS RMS) is always on.
#include "modalities/scene/av_scene.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "modalities/audio/synthetic.h"

namespace edgefuse::scene {
namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

double Uniform(uint64_t* state, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(SplitMix64(state) >> 11) * 0x1.0p-53;
}

struct Stretch {
  double begin_s;
  double end_s;
};

bool Within(const std::vector<Stretch>& stretches, double t_s) {
  auto it = std::upper_bound(stretches.begin(), stretches.end(), t_s,
                             [](double t, const Stretch& s) { return t < s.begin_s; });
  if (it == stretches.begin()) return false;
  --it;
  return t_s < it->end_s;
}

constexpr double kClickPeriodS = 0.05;
constexpr double kNoiseRms = 0.002;
constexpr double kEndlessHorizonS = 3600.0;

}  // namespace

const char* SoundKindName(SoundKind kind) {
  switch (kind) {
    case SoundKind::kClicks: return "clicks";
    case SoundKind::kTones: return "tones";
    case SoundKind::kSpeechLike: return "speech";
    case SoundKind::kAny: return "any";
  }
  return "any";
}

struct AvScene::Impl {
  AvSceneConfig config;
  int objects = 3;
  int source = 0;
  SoundKind kind = SoundKind::kTones;
  std::vector<Stretch> stretches;  // sounding, on the picture's clock
  std::vector<Stretch> bursts;     // loud parts of the stretches (the object moves)
  std::unique_ptr<vision::SyntheticScene> vision;
  audio::SyntheticScene audio;

  bool SoundingAt(double t_s) const { return Within(stretches, t_s); }
  bool LoudAt(double t_s) const { return Within(bursts, t_s); }
};

AvScene::AvScene(const AvSceneConfig& config) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.config = config;
  uint64_t rng = config.seed * 0x2545f4914f6cdd1dull + 0x51ed2701;
  s.objects = config.objects > 0 ? std::clamp(config.objects, 1, 16) : 3 + static_cast<int>(SplitMix64(&rng) % 4);
  // The sounding object moves (k % 3 == 0) or flickers (k % 3 == 2): a pulse changes
  // only its outline by 2 px a frame, too faint a cue under camera noise (README.md).
  std::vector<int> candidates;
  for (int k = 0; k < s.objects; ++k) {
    if (k % 3 != 1) candidates.push_back(k);
  }
  s.source = candidates[SplitMix64(&rng) % candidates.size()];
  s.kind = config.sound != SoundKind::kAny ? config.sound : static_cast<SoundKind>(SplitMix64(&rng) % 3);
  const double horizon = config.duration_s >= 0.0 ? config.duration_s : kEndlessHorizonS;
  // Alternate silence and sound; the first sound starts within the first second.
  double t = Uniform(&rng, 0.3, 1.0);
  while (t < horizon) {
    const double len = Uniform(&rng, 1.5, 3.5);
    const Stretch st{t, std::min(t + len, horizon)};
    s.stretches.push_back(st);
    for (double b = st.begin_s; b < st.end_s;) {
      const double loud = Uniform(&rng, 0.3, 0.8);
      s.bursts.push_back({b, std::min(b + loud, st.end_s)});
      b += loud + Uniform(&rng, 0.3, 0.7);
    }
    t += len + Uniform(&rng, 0.8, 1.8);
  }

  vision::SceneConfig vc{.width = config.width,
                         .height = config.height,
                         .fps = config.fps,
                         .seed = config.seed,
                         .objects = s.objects,
                         .noise_sigma = config.noise_sigma};
  s.vision = std::make_unique<vision::SyntheticScene>(vc);
  const double fps = config.fps;
  Impl* impl = impl_.get();
  s.vision->SetActivity(
      s.source, [impl, fps](int64_t frame) { return frame > 0 && impl->LoudAt(static_cast<double>(frame) / fps); });

  s.audio.seed = config.seed ^ 0xa0d10ull;
  s.audio.duration_s = config.duration_s >= 0.0 ? config.duration_s + std::max(0.0, config.av_offset_s) : -1.0;
  s.audio.events.push_back(
      {.kind = audio::SyntheticKind::kNoise, .start_s = 0.0, .duration_s = horizon + 1.0, .amplitude = kNoiseRms});
  const double tone_hz = Uniform(&rng, 400.0, 2000.0);
  const double f0 = Uniform(&rng, 100.0, 220.0);
  const double amplitude = Uniform(&rng, 0.2, 0.8);
  // Each stretch is its loud bursts at full amplitude and the sustain (a quarter of it)
  // between them, as separate events that do not overlap (no interference).
  auto add = [&](double begin, double len, double amp) {
    switch (s.kind) {
      case SoundKind::kClicks:
        for (double c = 0.0; c < len; c += kClickPeriodS) {
          s.audio.events.push_back({.kind = audio::SyntheticKind::kClick, .start_s = begin + c, .amplitude = amp});
        }
        break;
      case SoundKind::kTones:
        s.audio.events.push_back({.kind = audio::SyntheticKind::kTone,
                                  .start_s = begin,
                                  .duration_s = len,
                                  .frequency_hz = tone_hz,
                                  .amplitude = amp});
        break;
      default:
        s.audio.events.push_back({.kind = audio::SyntheticKind::kSpeechLike,
                                  .start_s = begin,
                                  .duration_s = len,
                                  .frequency_hz = f0,
                                  .amplitude = amp});
        break;
    }
  };
  size_t next_burst = 0;
  for (const Stretch& st : s.stretches) {
    double t_s = st.begin_s;
    while (next_burst < s.bursts.size() && s.bursts[next_burst].begin_s < st.end_s) {
      const Stretch& b = s.bursts[next_burst++];
      if (b.begin_s > t_s) add(t_s + config.av_offset_s, b.begin_s - t_s, amplitude / 4);
      add(b.begin_s + config.av_offset_s, b.end_s - b.begin_s, amplitude);
      t_s = b.end_s;
    }
    if (st.end_s > t_s) add(t_s + config.av_offset_s, st.end_s - t_s, amplitude / 4);
  }
}

AvScene::~AvScene() = default;

const AvSceneConfig& AvScene::config() const { return impl_->config; }
int AvScene::object_count() const { return impl_->objects; }
int AvScene::source_object() const { return impl_->source; }
SoundKind AvScene::sound() const { return impl_->kind; }

int64_t AvScene::frame_count() const {
  if (impl_->config.duration_s < 0.0) return -1;
  return static_cast<int64_t>(std::floor(impl_->config.duration_s * impl_->config.fps));
}

bool AvScene::AudibleAt(double t_s) const { return impl_->SoundingAt(t_s - impl_->config.av_offset_s); }

void AvScene::RenderFrame(int64_t n, cv::Mat* bgr, AvFrameTruth* truth) {
  impl_->vision->Render(n, bgr, &truth->scene);
  truth->frame = n;
  truth->source_object = impl_->source;
  truth->source_box = truth->scene.objects[static_cast<size_t>(impl_->source)].box;
  // Audible: the sound is on during some part of the frame's interval [n, n + 1) / fps,
  // on the audio's clock.
  const double begin = static_cast<double>(n) / impl_->config.fps - impl_->config.av_offset_s;
  const double end = static_cast<double>(n + 1) / impl_->config.fps - impl_->config.av_offset_s;
  auto it = std::lower_bound(impl_->stretches.begin(), impl_->stretches.end(), begin,
                             [](const Stretch& s, double t) { return s.end_s <= t; });
  truth->audible = it != impl_->stretches.end() && it->begin_s < end;
}

void AvScene::RenderAudio(int64_t first_sample, std::span<int16_t> out) const {
  audio::RenderSynthetic(impl_->audio, first_sample, out);
}

std::string AvScene::Describe() const {
  char line[160];
  std::snprintf(line, sizeof(line), "seed %llu: %d objects, source %d (%s), offset %+d ms",
                static_cast<unsigned long long>(impl_->config.seed), impl_->objects, impl_->source,
                SoundKindName(impl_->kind), static_cast<int>(std::lround(impl_->config.av_offset_s * 1000.0)));
  return line;
}

}  // namespace edgefuse::scene
