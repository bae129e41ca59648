// A V4L2 camera by device index (/dev/video<N>: USB webcams, and any board camera a
// V4L2 driver exposes directly) through OpenCV's V4L2 back end. A grabber thread
// dequeues frames as fast as the camera delivers them and keeps only the newest, so
// Read never returns a stale frame from the driver's queue; frames it replaces unread
// are counted as drops. A camera that stops delivering (unplugged) is reported, and
// the thread reopens it with a back-off until it returns.
//
//   std::string error;
//   auto camera = edgefuse::vision::V4l2CameraSource::Open(0, {.width = 640, .height = 480, .fps = 30}, {}, &error);
//   if (!camera) { ... "camera 0 (/dev/video0): no such device" ... }
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "modalities/vision/camera_spec.h"
#include "modalities/vision/frame_source.h"

namespace edgefuse::vision {

struct V4l2CameraOptions {
  int64_t frame_timeout_ns = 2'000'000'000;  // Read fails after this long without a frame
  int64_t reopen_delay_ns = 250'000'000;     // first wait before reopening; doubles up to 4 s
};

class V4l2CameraSource final : public FrameSource {
 public:
  // Opens /dev/video<index> at the requested size and rate (the driver may pick the
  // nearest it supports; info() tells what it chose). nullptr and a one-line error
  // when the device is missing or cannot stream.
  static std::unique_ptr<V4l2CameraSource> Open(int index, const CameraRequest& request,
                                                const V4l2CameraOptions& options, std::string* error);
  ~V4l2CameraSource() override;

  ReadStatus Read(Frame* frame) override;

 private:
  struct Grabber;
  V4l2CameraSource() = default;

  std::unique_ptr<Grabber> grabber_;
  V4l2CameraOptions options_;
  int64_t last_index_ = -1;
  int64_t first_timestamp_ns_ = -1;
};

}  // namespace edgefuse::vision
