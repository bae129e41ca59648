// A camera behind a GStreamer pipeline ending in appsink (drop=true max-buffers=1):
// libcamera and Jetson CSI presets, USB webcams through v4l2src, videotestsrc in
// tests, or any pipeline a user writes. The newest frame wins; a pad probe on the
// appsink numbers every frame that reaches it, so frames the appsink dropped are
// counted exactly. Frames are stamped with their capture time (buffer PTS on the
// pipeline's monotonic system clock), or their arrival time when that is unusable.
// A pipeline that posts an error or ends is reported and reopened with a back-off.
//
//   std::string error;
//   auto camera = edgefuse::vision::GstCameraSource::Open("videotest", spec.pipeline, {}, &error);
//   if (!camera) { ... "camera 'libcamera': GStreamer element 'libcamerasrc' is missing: install
//   gstreamer1.0-libcamera" ... }
//   edgefuse::vision::Frame frame;
//   while (camera->Read(&frame) == edgefuse::vision::ReadStatus::kOk) { ... }
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "modalities/vision/frame_source.h"

namespace edgefuse::vision {

struct GstCameraOptions {
  int64_t frame_timeout_ns = 2'000'000'000;   // Read fails after this long without a frame
  int64_t start_timeout_ns = 10'000'000'000;  // the pipeline must reach PLAYING within this
  int64_t reopen_delay_ns = 250'000'000;      // first wait before reopening; doubles up to 4 s
  bool reopen = true;                         // false: a stopped camera stays stopped
};

class GstCameraSource final : public FrameSource {
 public:
  // Parses the pipeline, names any missing element and its package, finds the appsink
  // (named kGstSinkName, else the first appsink), and starts it. nullptr with a
  // one-line error ("camera '<name>': ...") when any step fails.
  static std::unique_ptr<GstCameraSource> Open(const std::string& name, const std::string& pipeline,
                                               const GstCameraOptions& options, std::string* error);
  ~GstCameraSource() override;

  ReadStatus Read(Frame* frame) override;

 private:
  struct Pipeline;
  GstCameraSource(std::string name, std::string pipeline, const GstCameraOptions& options);
  bool Start(std::string* error);
  void Stop();
  // Tears the pipeline down after it failed, logs why, and schedules a reopen.
  void Lost(const std::string& why);

  std::string name_;
  std::string description_;
  GstCameraOptions options_;
  std::unique_ptr<Pipeline> pipeline_;
  int64_t next_index_ = 0;   // sequence number of the next frame to reach the appsink
  int64_t last_index_ = -1;  // of the last frame Read returned
  int64_t first_timestamp_ns_ = -1;
  int64_t reopen_at_ns_ = 0;  // when to try reopening a lost pipeline
  int64_t reopen_delay_ns_ = 0;
  std::string lost_reason_;  // why the pipeline is down ("" while it runs)
};

}  // namespace edgefuse::vision
