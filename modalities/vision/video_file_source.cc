#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "modalities/vision/file_sources.h"
#include "platform/log.h"

namespace edgefuse::vision {
namespace {

// Decoders can report a garbage frame count for broken files; bound what we trust.
constexpr double kMaxPlausibleFrames = 1e9;
constexpr double kMaxPlausibleMs = 1e12;  // 31 years: beyond, a timestamp is garbage

}  // namespace

void QuietFfmpegLog() {
  // OpenCV's FFmpeg back end reads this once, when it is first used: FFmpeg's own
  // lines ("[mjpeg @ 0x...] overread 8") would break edgefuse's one-line messages.
  // OPENCV_FFMPEG_DEBUG or an explicit OPENCV_FFMPEG_LOGLEVEL still turn them on.
  if (std::getenv("OPENCV_FFMPEG_DEBUG") == nullptr) setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", /*overwrite=*/0);
}

std::unique_ptr<VideoFileSource> VideoFileSource::Open(const std::string& path, const FileSourceOptions& options,
                                                       std::string* error) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    *error = path + ": No such file or directory";
    return nullptr;
  }
  if (!std::filesystem::is_regular_file(status)) {
    *error = path + ": not a regular file";
    return nullptr;
  }
  if (std::filesystem::file_size(path, ec) == 0) {
    *error = path + ": empty file";
    return nullptr;
  }
  QuietFfmpegLog();
  std::unique_ptr<VideoFileSource> source(new VideoFileSource(path, options));
  if (!source->capture_.open(path, cv::CAP_FFMPEG) || !source->capture_.isOpened()) {
    *error = path + ": not a video OpenCV's FFmpeg back end can read (corrupt, truncated or unsupported format)";
    return nullptr;
  }
  SourceInfo& info = source->info_;
  info.kind = "video";
  info.description = path;
  info.width = static_cast<int>(source->capture_.get(cv::CAP_PROP_FRAME_WIDTH));
  info.height = static_cast<int>(source->capture_.get(cv::CAP_PROP_FRAME_HEIGHT));
  info.fps = source->capture_.get(cv::CAP_PROP_FPS);
  const double count = source->capture_.get(cv::CAP_PROP_FRAME_COUNT);
  info.frame_count = count > 0 && count < kMaxPlausibleFrames ? static_cast<int64_t>(std::llround(count)) : -1;
  if (info.width <= 0 || info.height <= 0) {
    *error = path + ": the file has no video stream with a frame size";
    return nullptr;
  }
  return source;
}

int64_t VideoFileSource::MediaTimeOfLastRead() const {
  // The decoder's presentation time of the frame just read (FFmpeg's best-effort
  // timestamp, from the stream's start). Files without timestamps, and frames whose
  // timestamp is missing (OpenCV then reports 0, or garbage), fall back to the nominal
  // rate.
  const double ms = capture_.get(cv::CAP_PROP_POS_MSEC);
  const int64_t index = next_index_ - 1;
  if (std::isfinite(ms) && ms >= 0 && ms < kMaxPlausibleMs && (ms > 0 || index == 0)) {
    return static_cast<int64_t>(std::llround(ms * 1e6));
  }
  const double fps = info_.fps > 0 ? info_.fps : 30.0;
  return static_cast<int64_t>(std::llround(static_cast<double>(index) * 1e9 / fps));
}

ReadStatus VideoFileSource::Read(Frame* frame) {
  if (ended_) return ReadStatus::kEnd;
  // Real time: skip (grab without decoding to BGR) the frames that are already overdue.
  if (pacer_.realtime() && last_media_time_ns_ >= 0 && info_.fps > 0) {
    const int64_t period = static_cast<int64_t>(1e9 / info_.fps);
    while (pacer_.MediaTimeNow() >= last_media_time_ns_ + 2 * period && capture_.grab()) {
      ++next_index_;
      ++stats_.drops;
      last_media_time_ns_ = MediaTimeOfLastRead();
    }
  }
  if (!capture_.read(frame->bgr) || frame->bgr.empty()) {
    ended_ = true;
    const int64_t decoded = next_index_;
    if (decoded == 0) return Fail(path_ + ": no frame could be decoded (corrupt or truncated file)");
    if (info_.frame_count > 0 && decoded != info_.frame_count) {
      // A container's frame count is an estimate (from its duration and nominal rate,
      // or an index that counts frames the decoder drops): the frames decoded are the
      // file. Said once, as a warning, with what was read.
      char until[32];
      std::snprintf(until, sizeof until, "%.2f", static_cast<double>(last_media_time_ns_) * 1e-9);
      warning_ = path_ + ": the header announces " + std::to_string(info_.frame_count) + " frames, " +
                 std::to_string(decoded) + " decoded (up to " + until + " s)";
      EF_LOG_WARN("%s", warning_.c_str());
    }
    return ReadStatus::kEnd;
  }
  if (frame->bgr.type() != CV_8UC3) {
    ended_ = true;
    return Fail(path_ + ": frame " + std::to_string(next_index_) + " did not decode to 8-bit BGR");
  }
  ++next_index_;
  const int64_t media_time = MediaTimeOfLastRead();
  last_media_time_ns_ = media_time;
  pacer_.WaitUntilDue(media_time);
  frame->index = next_index_ - 1;
  frame->media_time_ns = media_time;
  frame->timestamp_ns = pacer_.Stamp(media_time);
  ++stats_.frames;
  return ReadStatus::kOk;
}

}  // namespace edgefuse::vision
