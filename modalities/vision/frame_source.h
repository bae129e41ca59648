// Frame sources: cameras (V4L2 by index, GStreamer pipelines and board presets), video
// files, image sequences and the synthetic scene, behind one pull interface. Every
// frame is 8-bit BGR, stamped on the monotonic clock at capture (DESIGN.md §2). Live
// cameras keep only the newest frame: when the consumer falls behind, older frames are
// dropped and counted. Read reuses the caller's Frame, so in steady state (same size)
// no frame memory is allocated.
//
//   std::unique_ptr<edgefuse::vision::FrameSource> source;
//   std::string error;
//   if (!edgefuse::vision::OpenFrameSource({.kind = SourceKind::kVideo, .target = "clip.mp4"}, &source,
//                                          &error)) { ... one-line error ... }
//   edgefuse::vision::Frame frame;
//   for (;;) {
//     const ReadStatus status = source->Read(&frame);
//     if (status == ReadStatus::kEnd) break;
//     if (status == ReadStatus::kError) { ... source->error() ...; break; }  // cameras: may retry
//     use(frame.bgr, frame.timestamp_ns, frame.index);
//   }
//   ... source->stats().drops ...
#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <string>

namespace edgefuse::vision {

struct Frame {
  cv::Mat bgr;                // CV_8UC3; reallocated only when the size changes
  int64_t timestamp_ns = 0;   // capture time on platform::MonotonicNowNs's clock
  int64_t index = 0;          // position in the source's sequence; a gap of k means k drops
  int64_t media_time_ns = 0;  // time since the first frame (files: the frame's media time)
};

enum class ReadStatus {
  kOk,     // frame holds a new frame
  kEnd,    // a file, sequence or finite scene has no more frames
  kError,  // see error(); a camera keeps trying to reopen and a later Read may succeed
};

struct SourceStats {
  int64_t frames = 0;   // frames returned by Read
  int64_t drops = 0;    // frames the source produced that no Read returned (newest wins)
  int64_t reopens = 0;  // times a camera was reopened after it failed or disappeared
  int64_t errors = 0;   // Reads that returned kError
};

struct SourceInfo {
  std::string kind;         // "camera", "video", "images", "synthetic"
  std::string description;  // what was opened: the pipeline, the file, the pattern
  int width = 0;            // of the frames, when known before the first Read (else 0)
  int height = 0;
  double fps = 0;            // nominal frame rate, 0 if unknown
  int64_t frame_count = -1;  // finite sources: frames expected; -1 for live or unknown
  bool live = false;         // a camera: frames arrive whether or not they are read
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  FrameSource(const FrameSource&) = delete;
  FrameSource& operator=(const FrameSource&) = delete;

  // Blocks until the next frame (live: the newest one) or an error. Never throws.
  virtual ReadStatus Read(Frame* frame) = 0;

  const SourceInfo& info() const { return info_; }
  const SourceStats& stats() const { return stats_; }
  // Why the last Read returned kError (one line), or "".
  const std::string& error() const { return error_; }

 protected:
  FrameSource() = default;
  ReadStatus Fail(std::string message);

  SourceInfo info_;
  SourceStats stats_;
  std::string error_;
};

// Real-time pacing for finite sources: frame k is due at anchor + its media time. In
// real-time mode Due() sleeps until then; Behind() tells how many frames are already
// overdue, which a source skips (and counts as drops) the way a camera would.
class Pacer {
 public:
  explicit Pacer(bool realtime) : realtime_(realtime) {}
  bool realtime() const { return realtime_; }
  // The timestamp of a frame at media_time_ns, anchoring the clock at the first call.
  int64_t Stamp(int64_t media_time_ns);
  // Sleeps until media_time_ns is due (real-time mode only).
  void WaitUntilDue(int64_t media_time_ns);
  // Media time that is due now (anchored), or 0 before the first frame.
  int64_t MediaTimeNow() const;

 private:
  bool realtime_;
  bool anchored_ = false;
  int64_t anchor_ns_ = 0;
};

}  // namespace edgefuse::vision
