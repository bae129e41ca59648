// The overlay in a window on the board's screen (OpenCV HighGUI). HighGUI wants every
// call on one thread: the sink's thread renders the overlay and hands each picture to
// a process-wide GUI thread, which shows it and keeps the event loop turning between
// frames (so the sink can also be stopped and started again). Start fails cleanly, with the reason
// in one line, when there is no display to open, instead of letting the GUI toolkit
// abort the process; the caller then streams MJPEG instead (see sink_factory.h).
// Closing the window or pressing q or Esc sets StopRequested().
//
//   edgefuse::sinks::WindowSink window({.title = "edgefuse"});
//   std::string error;
//   if (!window.Start(&error)) EF_LOG_WARN("no window: %s", error.c_str());
#pragma once

#include <atomic>
#include <opencv2/core/mat.hpp>
#include <string>

#include "firmware/sinks/overlay.h"
#include "firmware/sinks/sink.h"

namespace edgefuse::sinks {

struct WindowSinkOptions {
  std::string title = "edgefuse";
  bool fullscreen = false;
  bool overlay = true;  // show the overlay, or the plain video
  OverlayStyle style;
  SinkQueueOptions queue = {.capacity = 2};
};

// Whether a window can open here: an X display that accepts a connection, or a
// Wayland compositor when Qt is told to use it (QT_QPA_PLATFORM=wayland). False with
// the reason in *reason.
bool WindowDisplayAvailable(std::string* reason);

class WindowSink final : public AsyncSink {
 public:
  explicit WindowSink(WindowSinkOptions options)
      : AsyncSink(options.queue), options_(std::move(options)), renderer_(options_.style) {}
  ~WindowSink() override { Stop(); }
  const char* name() const override { return "window"; }
  bool StopRequested() const override { return stop_requested_.load(); }

 private:
  bool Open(std::string* error) override;
  bool Process(const FusionResult& result) override;
  void Close() override;
  int idle_interval_ms() const override { return 30; }
  void Idle() override { PollEvents(); }
  void PollEvents();  // from the sink's thread
  void PumpEvents();  // on the GUI thread: waitKey, and the window's state

  WindowSinkOptions options_;
  OverlayRenderer renderer_;
  cv::Mat picture_;
  bool open_ = false;
  bool shown_ = false;  // a frame has been shown
  std::atomic<bool> stop_requested_{false};
};

}  // namespace edgefuse::sinks
