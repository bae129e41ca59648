// A deterministic synthetic camera: a textured background and several objects that
// move, pulse or flicker on independent schedules, under camera noise and a slowly
// drifting exposure (plus optional exposure steps), with per-frame ground truth:
// each object's box and whether it is active. Frame t is a pure function of the
// configuration (seed included) and t, the same on x86-64 and aarch64: the randomness
// is integer (SplitMix64), the noise comes from an integer table, and the OpenCV calls
// are bit-exact ones (INTER_LINEAR resizing, drawing, LUT; not INTER_CUBIC).
//
// An object is driven (IsActive) on the frames its schedule, or an outside driver,
// says; the truth marks it active on the frames where it then visibly changed between
// t-1 and t (moved, pulsed or flickered by at least a pixel or a grey level). An
// object that is not driven stands still. The demo pairs an object with a
// synthetic sound by driving its activity (or its path) from the sound's schedule:
//
//   edgefuse::vision::SyntheticScene scene({.seed = 7});
//   scene.SetActivity(0, [&](int64_t t) { return sound.IsOn(t); });   // object 0 moves while the sound plays
//   cv::Mat bgr;
//   edgefuse::vision::SceneTruth truth;
//   scene.Render(42, &bgr, &truth);
//   if (truth.objects[0].active) { ... truth.objects[0].changed is where the frame changed ... }
//   bool on = scene.IsActive(0, 42);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <opencv2/core.hpp>
#include <vector>

#include "modalities/vision/frame_source.h"

namespace edgefuse::vision {

enum class ObjectMotion { kMove, kPulse, kFlicker };
const char* ObjectMotionName(ObjectMotion motion);  // "move", "pulse", "flicker"

struct ExposureStep {
  int64_t frame;  // from this frame on, the exposure is multiplied by gain and offset is added
  double gain;
  double offset;
};

struct SceneConfig {
  int width = 640;
  int height = 480;
  double fps = 30.0;
  uint64_t seed = 1;
  int objects = 3;                  // object k moves (k % 3 == 0), pulses (1) or flickers (2)
  double noise_sigma = 2.0;         // camera noise, grey levels per channel (0: none)
  double exposure_drift = 0.05;     // amplitude of the slow exposure gain wave (0: none)
  double exposure_period_s = 10.0;  // its period
  std::vector<ExposureStep> exposure_steps;
  bool idle = false;  // every object idle unless SetActivity says otherwise (still scenes)
};

struct ObjectTruth {
  int id = 0;
  ObjectMotion motion = ObjectMotion::kMove;
  cv::Rect box;         // the object's bounding box in this frame (clipped to the frame)
  cv::Rect changed;     // box united with the previous frame's box: where it changed the image
  bool active = false;  // driven and visibly changed since the previous frame
};

struct SceneTruth {
  int64_t frame = 0;
  double gain = 1.0;  // exposure of this frame: pixel = gain * scene + offset (+ noise)
  double offset = 0.0;
  std::vector<ObjectTruth> objects;
  bool AnyActive() const;
};

class SyntheticScene {
 public:
  explicit SyntheticScene(const SceneConfig& config);
  ~SyntheticScene();
  SyntheticScene(const SyntheticScene&) = delete;
  SyntheticScene& operator=(const SyntheticScene&) = delete;

  const SceneConfig& config() const { return config_; }
  int object_count() const;

  // Renders frame t (t >= 0) into bgr (reused when it has the size) and its truth.
  // Any order of t works; sequential t is the fast path.
  void Render(int64_t t, cv::Mat* bgr, SceneTruth* truth);

  // Whether object k is driven at frame t (false at t = 0): it then moves, pulses or
  // flickers from frame t-1 to t.
  bool IsActive(int object, int64_t t);

  // Replaces object k's own schedule: it is active exactly on the frames where
  // active(t) is true. Call before rendering (it resets the object's state cache).
  void SetActivity(int object, std::function<bool(int64_t t)> active);
  // Drives object k's centre (pixels) directly; it is active when the centre moved.
  void SetPath(int object, std::function<cv::Point2f(int64_t t)> centre);

 private:
  struct Object;
  struct Geometry;
  Geometry GeometryAt(Object& object, int64_t t);
  int64_t Phase(Object& object, int64_t t);
  bool ActiveAt(Object& object, int64_t t);
  bool ScheduledActive(Object& object, int64_t t);
  void Exposure(int64_t t, double* gain, double* offset) const;
  void AddNoise(int64_t t, cv::Mat* bgr) const;

  SceneConfig config_;
  cv::Mat background_;
  cv::Mat canvas_;
  std::vector<int8_t> noise_;  // Gaussian-like noise table, size a power of two
  std::vector<std::unique_ptr<Object>> objects_;
};

// The scene as a FrameSource: frames 0..frames-1 (frames < 0: endless), stamped at the
// first frame's monotonic time plus t / fps, optionally paced in real time (overdue
// frames are skipped and counted as drops). truth() is the last frame's ground truth.
class SyntheticSource final : public FrameSource {
 public:
  SyntheticSource(const SceneConfig& config, int64_t frames, bool realtime);
  ReadStatus Read(Frame* frame) override;
  SyntheticScene& scene() { return scene_; }
  const SceneTruth& truth() const { return truth_; }

 private:
  SyntheticScene scene_;
  SceneTruth truth_;
  Pacer pacer_;
  int64_t frames_;
  int64_t next_ = 0;
};

}  // namespace edgefuse::vision
