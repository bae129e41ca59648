#include "modalities/vision/synthetic_scene.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>
#include <utility>

namespace edgefuse::vision {
namespace {

uint64_t Mix(uint64_t x) {  // SplitMix64's finalizer
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

struct Rng {
  uint64_t state;
  uint64_t Next() { return Mix(state++ * 0x9E3779B97F4A7C15ull); }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Range(double lo, double hi) { return lo + (hi - lo) * Unit(); }
  int Int(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
};

// Triangle wave with period 1 and range [-1, 1]: constant speed, so a pulsing or
// flickering object changes by the same amount every frame.
double TriangleWave(double x) {
  const double u = x - std::floor(x);
  return u < 0.5 ? 4.0 * u - 1.0 : 3.0 - 4.0 * u;
}

// Bounces s (distance travelled) inside [-amplitude, amplitude].
double Bounce(double s, double amplitude) {
  return amplitude > 0 ? amplitude * TriangleWave(s / (4.0 * amplitude) + 0.25) : 0.0;
}

constexpr int kBackgroundLow = 40;    // scene values stay inside [40, 190], so exposure
constexpr int kBackgroundHigh = 190;  // gains up to 1.3 do not clip
constexpr double kFlickerPeriodFrames = 5.0;

}  // namespace

const char* ObjectMotionName(ObjectMotion motion) {
  switch (motion) {
    case ObjectMotion::kMove: return "move";
    case ObjectMotion::kPulse: return "pulse";
    case ObjectMotion::kFlicker: return "flicker";
  }
  return "?";
}

bool SceneTruth::AnyActive() const {
  return std::any_of(objects.begin(), objects.end(), [](const ObjectTruth& o) { return o.active; });
}

struct SyntheticScene::Object {
  int id = 0;
  ObjectMotion motion = ObjectMotion::kMove;
  cv::Point2d home;
  double half = 0;  // half of the side at rest
  double amplitude_x = 0, amplitude_y = 0, velocity_x = 0, velocity_y = 0;
  cv::Scalar colour, inner;
  Rng schedule_rng{0};
  std::vector<int64_t> toggles;  // frames where idle/active flips; idle before the first
  std::function<bool(int64_t)> activity;
  std::function<cv::Point2f(int64_t)> path;
  int64_t cached_t = 0;  // Phase(cached_t) == cached_phase
  int64_t cached_phase = 0;
};

struct SyntheticScene::Geometry {
  cv::Point2d centre;
  double half_x, half_y;
  double brightness;
  // Pixel geometry, the same for drawing and for the truth: a whole-pixel centre and
  // half sizes, and the box of every pixel they cover.
  cv::Point Centre() const {
    return {static_cast<int>(std::lround(centre.x)), static_cast<int>(std::lround(centre.y))};
  }
  cv::Size Half() const { return {static_cast<int>(std::lround(half_x)), static_cast<int>(std::lround(half_y))}; }
  cv::Rect Box() const {
    const cv::Point c = Centre();
    const cv::Size h = Half();
    return cv::Rect(c.x - h.width, c.y - h.height, 2 * h.width + 1, 2 * h.height + 1);
  }
};

SyntheticScene::SyntheticScene(const SceneConfig& config) : config_(config) {
  const int w = config_.width, h = config_.height;
  Rng rng{Mix(config_.seed)};

  // Background: smooth colour blobs plus fine grey texture, kept inside the low/high band.
  cv::Mat blobs(9, 12, CV_8UC3), grain(h / 8 + 1, w / 8 + 1, CV_8UC1);
  for (auto it = blobs.begin<cv::Vec3b>(); it != blobs.end<cv::Vec3b>(); ++it) {
    for (int c = 0; c < 3; ++c) (*it)[c] = static_cast<uint8_t>(rng.Int(kBackgroundLow + 20, kBackgroundHigh - 20));
  }
  for (auto it = grain.begin<uint8_t>(); it != grain.end<uint8_t>(); ++it) *it = static_cast<uint8_t>(rng.Int(0, 40));
  cv::Mat smooth, fine;
  cv::resize(blobs, smooth, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
  cv::resize(grain, fine, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
  cv::Mat fine3;
  cv::cvtColor(fine, fine3, cv::COLOR_GRAY2BGR);
  cv::add(smooth, fine3, background_);
  cv::subtract(background_, cv::Scalar::all(20), background_);
  cv::min(cv::max(background_, cv::Scalar::all(kBackgroundLow)), cv::Scalar::all(kBackgroundHigh), background_);

  // Objects: one per cell of a grid, so they rarely overlap.
  const int n = std::max(0, config_.objects);
  const int cols = std::max(1, static_cast<int>(std::ceil(std::sqrt(n * 4.0 / 3.0))));
  const int rows = std::max(1, (n + cols - 1) / cols);
  const double cell_w = static_cast<double>(w) / cols, cell_h = static_cast<double>(h) / rows;
  for (int k = 0; k < n; ++k) {
    auto object = std::make_unique<Object>();
    Rng orng{Mix(config_.seed ^ Mix(static_cast<uint64_t>(k) + 1))};
    object->id = k;
    object->motion = static_cast<ObjectMotion>(k % 3);
    const int column = k % cols, row = k / cols;
    object->home = {cell_w * (column + 0.5), cell_h * (row + 0.5)};
    object->half = std::min(cell_w, cell_h) * orng.Range(0.12, 0.18);
    object->amplitude_x = std::max(0.0, cell_w / 2 - object->half - 4);
    object->amplitude_y = std::max(0.0, cell_h / 2 - object->half - 4);
    const double speed = w * orng.Range(0.005, 0.009);  // 3.2-5.8 pixels per frame at 640 wide
    const double angle = orng.Range(0.2, 1.3);
    object->velocity_x = speed * std::cos(angle);
    object->velocity_y = speed * std::sin(angle);
    cv::Vec3d colour;
    for (int c = 0; c < 3; ++c) colour[c] = orng.Int(kBackgroundLow + 10, kBackgroundHigh);
    object->colour = cv::Scalar(colour[0], colour[1], colour[2]);
    object->inner = cv::Scalar(230 - colour[0], 230 - colour[1], 230 - colour[2]);
    object->schedule_rng = Rng{orng.Next()};
    objects_.push_back(std::move(object));
  }

  // Noise table: Irwin-Hall sums of 12 uniform bytes (standard deviation 256), scaled to
  // noise_sigma in integer arithmetic; each frame reads it from its own random offset.
  const size_t bytes = static_cast<size_t>(w) * h * 3;
  size_t size = 1 << 16;
  while (size < bytes) size <<= 1;
  if (config_.noise_sigma > 0) {
    noise_.resize(size);
    const int64_t sigma_q8 = std::llround(config_.noise_sigma * 256.0);
    Rng nrng{Mix(config_.seed ^ 0x6E6F697365ull)};
    for (auto& v : noise_) {
      uint64_t bits = nrng.Next();
      int64_t sum = 0;
      for (int i = 0; i < 8; ++i, bits >>= 8) sum += static_cast<int64_t>(bits & 0xFF);
      bits = nrng.Next();
      for (int i = 0; i < 4; ++i, bits >>= 8) sum += static_cast<int64_t>(bits & 0xFF);
      const int64_t scaled = ((sum - 1530) * sigma_q8 + (1 << 15)) >> 16;
      v = static_cast<int8_t>(std::clamp<int64_t>(scaled, -127, 127));
    }
  }
}

SyntheticScene::~SyntheticScene() = default;

int SyntheticScene::object_count() const { return static_cast<int>(objects_.size()); }

void SyntheticScene::SetActivity(int object, std::function<bool(int64_t)> active) {
  Object& o = *objects_.at(static_cast<size_t>(object));
  o.activity = std::move(active);
  o.cached_t = o.cached_phase = 0;
}

void SyntheticScene::SetPath(int object, std::function<cv::Point2f(int64_t)> centre) {
  Object& o = *objects_.at(static_cast<size_t>(object));
  o.path = std::move(centre);
  o.cached_t = o.cached_phase = 0;
}

bool SyntheticScene::ScheduledActive(Object& o, int64_t t) {
  // Idle 0.3-1.5 s, then active 1-3 s, and so on: toggles grow as far as t needs.
  while (o.toggles.empty() || o.toggles.back() <= t) {
    const bool next_is_active = o.toggles.size() % 2 == 0;
    const double seconds = next_is_active ? o.schedule_rng.Range(0.3, 1.5) : o.schedule_rng.Range(1.0, 3.0);
    const int64_t last = o.toggles.empty() ? 0 : o.toggles.back();
    o.toggles.push_back(last + std::max<int64_t>(1, std::llround(seconds * config_.fps)));
  }
  const auto flips = std::upper_bound(o.toggles.begin(), o.toggles.end(), t) - o.toggles.begin();
  return flips % 2 == 1;
}

bool SyntheticScene::IsActive(int object, int64_t t) { return ActiveAt(*objects_.at(static_cast<size_t>(object)), t); }

bool SyntheticScene::ActiveAt(Object& o, int64_t t) {
  if (t <= 0) return false;
  if (o.activity) return o.activity(t);
  if (o.path) return o.path(t) != o.path(t - 1);
  return !config_.idle && ScheduledActive(o, t);
}

int64_t SyntheticScene::Phase(Object& o, int64_t t) {
  // Phase = active frames so far; going back in time recounts from the start.
  if (t < o.cached_t) o.cached_t = o.cached_phase = 0;
  for (int64_t s = o.cached_t + 1; s <= t; ++s) o.cached_phase += ActiveAt(o, s) ? 1 : 0;
  o.cached_t = t;
  return o.cached_phase;
}

SyntheticScene::Geometry SyntheticScene::GeometryAt(Object& o, int64_t t) {
  const double phase = static_cast<double>(Phase(o, t));
  Geometry g{o.home, o.half, o.half, 1.0};
  if (o.path) {
    const cv::Point2f p = o.path(t);
    g.centre = {p.x, p.y};
  }
  switch (o.motion) {
    case ObjectMotion::kMove:
      if (!o.path) {
        g.centre.x += Bounce(phase * std::abs(o.velocity_x), o.amplitude_x);
        g.centre.y += Bounce(phase * std::abs(o.velocity_y), o.amplitude_y);
      }
      g.half_x = o.half;
      g.half_y = o.half * 0.8;
      break;
    case ObjectMotion::kPulse: {
      // Grows and shrinks by whole steps (1 px at 320 wide, 2 px at 640), so every
      // active frame changes the outline.
      const int64_t step = std::max<int64_t>(1, std::lround(o.half / 20.0));
      const int64_t m = std::max<int64_t>(2, std::lround(0.35 * o.half / static_cast<double>(step)));
      const int64_t k = static_cast<int64_t>(phase) % (2 * m);
      const int64_t centred = m - std::abs(k - m) - m / 2;  // whole steps around the rest size
      const double size = o.half + static_cast<double>(step * centred);
      g.half_x = g.half_y = std::round(size);
      break;
    }
    case ObjectMotion::kFlicker: {
      // A rising ramp that falls back at once: unlike a symmetric wave it changes on
      // every active frame.
      const double ramp = std::fmod(phase, kFlickerPeriodFrames) / (kFlickerPeriodFrames - 1);
      g.brightness = 0.25 + 0.75 * ramp;
      break;
    }
  }
  return g;
}

void SyntheticScene::Exposure(int64_t t, double* gain, double* offset) const {
  double g = 1.0, o = 0.0;
  if (config_.exposure_drift != 0 && config_.exposure_period_s > 0) {
    g = 1.0 + config_.exposure_drift *
                  std::sin(2.0 * std::numbers::pi * static_cast<double>(t) / (config_.exposure_period_s * config_.fps));
  }
  for (const auto& step : config_.exposure_steps) {
    if (t >= step.frame) {
      g *= step.gain;
      o = o * step.gain + step.offset;
    }
  }
  *gain = g;
  *offset = o;
}

void SyntheticScene::AddNoise(int64_t t, cv::Mat* bgr) const {
  if (noise_.empty()) return;
  const size_t mask = noise_.size() - 1;
  size_t offset = Mix(config_.seed ^ Mix(static_cast<uint64_t>(t))) & mask;
  for (int y = 0; y < bgr->rows; ++y) {
    uint8_t* row = bgr->ptr<uint8_t>(y);
    const size_t n = static_cast<size_t>(bgr->cols) * 3;
    size_t done = 0;
    while (done < n) {
      const size_t run = std::min(n - done, noise_.size() - offset);  // contiguous table run
      const int8_t* noise = noise_.data() + offset;
      uint8_t* p = row + done;
      for (size_t i = 0; i < run; ++i) p[i] = static_cast<uint8_t>(std::clamp(p[i] + noise[i], 0, 255));
      done += run;
      offset = (offset + run) & mask;
    }
  }
}

void SyntheticScene::Render(int64_t t, cv::Mat* bgr, SceneTruth* truth) {
  background_.copyTo(canvas_);
  truth->frame = t;
  truth->objects.resize(objects_.size());
  for (size_t k = 0; k < objects_.size(); ++k) {
    Object& o = *objects_[k];
    // t-1 first: the phase cache only runs forwards cheaply.
    const Geometry before = GeometryAt(o, std::max<int64_t>(0, t - 1));
    const Geometry now = GeometryAt(o, t);
    const cv::Rect previous = before.Box();
    const cv::Rect frame_rect(0, 0, config_.width, config_.height);
    const cv::Rect box = now.Box();
    ObjectTruth& out = truth->objects[k];
    out.id = static_cast<int>(k);
    out.motion = o.motion;
    out.box = box & frame_rect;
    out.changed = (box | previous) & frame_rect;
    // Active: driven this frame and visibly changed (rounding to whole pixels can hide
    // a sub-pixel step of a slow object).
    out.active = ActiveAt(o, t) && (box != previous || before.brightness != now.brightness);

    switch (o.motion) {
      case ObjectMotion::kMove: {
        cv::rectangle(canvas_, box, o.colour, cv::FILLED);
        const int bar = std::max(1, box.height / 7);
        for (int i = 1; i < 7; i += 2) {
          cv::rectangle(canvas_, cv::Rect(box.x, box.y + i * box.height / 7, box.width, bar), o.inner, cv::FILLED);
        }
        break;
      }
      case ObjectMotion::kPulse:
        cv::ellipse(canvas_, now.Centre(), now.Half(), 0, 0, 360, o.colour, cv::FILLED);
        cv::ellipse(canvas_, now.Centre(), now.Half() / 2, 0, 0, 360, o.inner, cv::FILLED);
        break;
      case ObjectMotion::kFlicker: cv::rectangle(canvas_, box, o.colour * now.brightness, cv::FILLED); break;
    }
  }

  // Exposure through a 256-entry table (exact and the same everywhere), then noise.
  Exposure(t, &truth->gain, &truth->offset);
  cv::Mat lut(1, 256, CV_8UC1);
  for (int v = 0; v < 256; ++v) {
    lut.at<uint8_t>(v) =
        static_cast<uint8_t>(std::clamp<int64_t>(std::llround(truth->gain * v + truth->offset), 0, 255));
  }
  cv::LUT(canvas_, lut, *bgr);
  AddNoise(t, bgr);
}

SyntheticSource::SyntheticSource(const SceneConfig& config, int64_t frames, bool realtime)
    : scene_(config), pacer_(realtime), frames_(frames) {
  info_.kind = "synthetic";
  info_.description = "synthetic scene, seed " + std::to_string(config.seed);
  info_.width = config.width;
  info_.height = config.height;
  info_.fps = config.fps;
  info_.frame_count = frames;
}

ReadStatus SyntheticSource::Read(Frame* frame) {
  auto media_time = [this](int64_t t) {
    return static_cast<int64_t>(std::llround(static_cast<double>(t) * 1e9 / info_.fps));
  };
  if (pacer_.realtime() && next_ > 0) {
    while ((frames_ < 0 || next_ + 1 < frames_) && pacer_.MediaTimeNow() >= media_time(next_ + 1)) {
      ++next_;
      ++stats_.drops;
    }
  }
  if (frames_ >= 0 && next_ >= frames_) return ReadStatus::kEnd;
  const int64_t t = next_++;
  scene_.Render(t, &frame->bgr, &truth_);
  pacer_.WaitUntilDue(media_time(t));
  frame->index = t;
  frame->media_time_ns = media_time(t);
  frame->timestamp_ns = pacer_.Stamp(frame->media_time_ns);
  ++stats_.frames;
  return ReadStatus::kOk;
}

}  // namespace edgefuse::vision
