// Finite frame sources read from disk: a video file (any format OpenCV's FFmpeg back
// end decodes) and an image sequence (a directory of images, or a printf pattern such
// as frames/img_%04d.png). Frame k carries its media time (files: the decoder's
// presentation time; sequences: k / fps) and is stamped at the first frame's monotonic
// time plus that media time (files: CAP_PROP_POS_MSEC, so a variable-frame-rate clip
// keeps its real timing). With real-time pacing, Read waits until a frame is due,
// and skips frames that are already overdue (counted as drops), as a camera would.
// A container's frame count is an estimate: a file that ends before (or after) the
// count its header announces ends normally, with a one-line warning (logged, and in
// warning()) saying what was read. A file with no decodable frame, or a frame that
// does not decode to BGR, ends with a one-line error; never a hang or a crash.
// Videos decode into the caller's Frame without allocating once it has the size; image
// sequences allocate each decoded image (see image_sequence_source.cc).
//
//   std::string error;
//   auto video = edgefuse::vision::VideoFileSource::Open("clip.mp4", {.realtime = false}, &error);
//   if (!video) { ... "clip.mp4: not a video OpenCV's FFmpeg back end can read ..." ... }
#pragma once

#include <memory>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "modalities/vision/frame_source.h"

namespace edgefuse::vision {

// Keeps FFmpeg's own log lines (through OpenCV) off stderr, unless OPENCV_FFMPEG_DEBUG
// asks for them. VideoFileSource::Open calls it; anything that opens a cv::VideoCapture
// or cv::VideoWriter with the FFmpeg back end before it should call it first.
void QuietFfmpegLog();

struct FileSourceOptions {
  bool realtime = false;  // pace frames at their media time
  double fps = 30.0;      // image sequences: the frame rate their timestamps assume
};

class VideoFileSource final : public FrameSource {
 public:
  static std::unique_ptr<VideoFileSource> Open(const std::string& path, const FileSourceOptions& options,
                                               std::string* error);
  ReadStatus Read(Frame* frame) override;
  // After the end: "clip.mp4: the header announces 250 frames, 249 decoded (up to
  // 8.30 s)" when the count differs from the header's, else "".
  const std::string& warning() const { return warning_; }

 private:
  VideoFileSource(std::string path, const FileSourceOptions& options)
      : path_(std::move(path)), pacer_(options.realtime) {}
  int64_t MediaTimeOfLastRead() const;

  std::string path_;
  cv::VideoCapture capture_;
  Pacer pacer_;
  int64_t next_index_ = 0;  // index of the next frame the decoder returns
  int64_t last_media_time_ns_ = -1;
  bool ended_ = false;
  std::string warning_;
};

class ImageSequenceSource final : public FrameSource {
 public:
  // target: a directory (its image files in name order) or a printf pattern with one
  // integer conversion (%d, %04d), numbered from 0 or 1 up to the first gap.
  static std::unique_ptr<ImageSequenceSource> Open(const std::string& target, const FileSourceOptions& options,
                                                   std::string* error);
  ReadStatus Read(Frame* frame) override;

 private:
  explicit ImageSequenceSource(const FileSourceOptions& options) : pacer_(options.realtime), fps_(options.fps) {}

  std::vector<std::string> files_;
  std::vector<uint8_t> bytes_;  // the encoded image, reused
  Pacer pacer_;
  double fps_;
  size_t next_ = 0;
};

}  // namespace edgefuse::vision
