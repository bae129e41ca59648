// Records the overlay (or the plain video) to a file with OpenCV's VideoWriter:
// Motion JPEG in .avi by default, MPEG-4 Part 2 ("mp4v") for .mp4, or any FourCC the
// installed backend accepts. The frame size is the first frame's; later frames of
// another size are scaled to it.
//
//   edgefuse::sinks::VideoFileSink sink({.path = "demo.avi", .fps = 30});
//   std::string error;
//   if (!sink.Start(&error)) { ... "demo.xyz: unknown video extension ..." ... }
#pragma once

#include <opencv2/core/mat.hpp>
#include <opencv2/videoio.hpp>
#include <string>

#include "firmware/sinks/overlay.h"
#include "firmware/sinks/sink.h"

namespace edgefuse::sinks {

struct VideoFileSinkOptions {
  std::string path;
  std::string fourcc;   // "" chooses by extension: .avi MJPG, .mp4 mp4v
  double fps = 30.0;    // the file's nominal frame rate
  bool overlay = true;  // record the overlay, or the plain video
  OverlayStyle style;
  SinkQueueOptions queue;
};

// The FourCC for a path: options' fourcc when set (exactly 4 characters), else by
// extension. False with a one-line *error for an unknown extension or a bad FourCC.
bool ChooseVideoFourcc(const std::string& path, const std::string& fourcc, int* code, std::string* error);

class VideoFileSink final : public AsyncSink {
 public:
  explicit VideoFileSink(VideoFileSinkOptions options)
      : AsyncSink(options.queue), options_(std::move(options)), renderer_(options_.style) {}
  ~VideoFileSink() override { Stop(); }
  const char* name() const override { return "video"; }

 private:
  bool Open(std::string* error) override;
  bool Process(const FusionResult& result) override;
  void Close() override;

  VideoFileSinkOptions options_;
  OverlayRenderer renderer_;
  cv::VideoWriter writer_;
  int fourcc_ = 0;
  cv::Size size_;
  cv::Mat picture_;
  cv::Mat scaled_;
  bool reported_ = false;
};

}  // namespace edgefuse::sinks
