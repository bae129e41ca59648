#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "modalities/vision/file_sources.h"
#include "platform/file.h"

namespace edgefuse::vision {
namespace {

constexpr int kMaxSequenceFrames = 10'000'000;

bool IsImageFile(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* known : {".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".pgm", ".pnm", ".tif", ".tiff", ".webp"}) {
    if (ext == known) return true;
  }
  return false;
}

// True when pattern holds exactly one integer conversion (%d, %5d, %05d) and no other %.
bool IsPrintfPattern(const std::string& pattern) {
  int conversions = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j]))) ++j;
    if (j >= pattern.size() || pattern[j] != 'd') return false;
    ++conversions;
    i = j;
  }
  return conversions == 1;
}

std::string Format(const std::string& pattern, int index) {
  char buffer[4096];
  const int n = std::snprintf(buffer, sizeof buffer, pattern.c_str(), index);  // NOLINT: checked by IsPrintfPattern
  return n > 0 && static_cast<size_t>(n) < sizeof buffer ? std::string(buffer) : std::string();
}

}  // namespace

std::unique_ptr<ImageSequenceSource> ImageSequenceSource::Open(const std::string& target,
                                                               const FileSourceOptions& options, std::string* error) {
  if (!(options.fps > 0)) {
    *error = target + ": the frame rate of an image sequence must be positive";
    return nullptr;
  }
  std::unique_ptr<ImageSequenceSource> source(new ImageSequenceSource(options));
  std::error_code ec;
  if (std::filesystem::is_directory(target, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(target, ec)) {
      if (entry.is_regular_file(ec) && IsImageFile(entry.path())) source->files_.push_back(entry.path().string());
    }
    std::sort(source->files_.begin(), source->files_.end());
    if (source->files_.empty()) {
      *error = target + ": no image files (.png, .jpg, .bmp, .ppm, .tif, .webp) in this directory";
      return nullptr;
    }
  } else if (IsPrintfPattern(target)) {
    const int start = std::filesystem::exists(Format(target, 0), ec) ? 0 : 1;
    for (int i = start; i < kMaxSequenceFrames; ++i) {
      std::string file = Format(target, i);
      if (file.empty() || !std::filesystem::exists(file, ec)) break;
      source->files_.push_back(std::move(file));
    }
    if (source->files_.empty()) {
      *error = target + ": no file matches (looked for " + Format(target, 0) + " and " + Format(target, 1) + ")";
      return nullptr;
    }
  } else {
    *error = target + ": not a directory, and not a pattern with one %d (e.g. frames/img_%04d.png)";
    return nullptr;
  }
  SourceInfo& info = source->info_;
  info.kind = "images";
  info.description = target;
  info.fps = options.fps;
  info.frame_count = static_cast<int64_t>(source->files_.size());
  return source;
}

ReadStatus ImageSequenceSource::Read(Frame* frame) {
  auto media_time = [this](size_t k) {
    return static_cast<int64_t>(std::llround(static_cast<double>(k) * 1e9 / fps_));
  };
  if (pacer_.realtime() && next_ > 0) {
    // Skip overdue frames without decoding them.
    while (next_ + 1 < files_.size() && pacer_.MediaTimeNow() >= media_time(next_ + 1)) {
      ++next_;
      ++stats_.drops;
    }
  }
  if (next_ >= files_.size()) return ReadStatus::kEnd;
  // A frame that fails is skipped by the next Read, so a caller may go on past it.
  const size_t k = next_++;
  const std::string& file = files_[k];
  std::string why;
  if (!platform::ReadFileBytes(file, &bytes_, &why)) return Fail(why);
  // A fresh image per frame: decoding into the reused frame->bgr (imdecode's dst) leaves
  // it untouched and non-empty when the data is no image, so failures would pass unseen.
  cv::Mat decoded = cv::imdecode(bytes_, cv::IMREAD_COLOR);
  if (decoded.empty() || decoded.type() != CV_8UC3) {
    return Fail(file + ": not a readable image (corrupt, truncated or unsupported format)");
  }
  cv::swap(frame->bgr, decoded);
  if (info_.width == 0) {
    info_.width = frame->bgr.cols;
    info_.height = frame->bgr.rows;
  } else if (frame->bgr.cols != info_.width || frame->bgr.rows != info_.height) {
    return Fail(file + ": " + std::to_string(frame->bgr.cols) + "x" + std::to_string(frame->bgr.rows) +
                ", but the sequence started at " + std::to_string(info_.width) + "x" + std::to_string(info_.height));
  }
  const int64_t t = media_time(k);
  pacer_.WaitUntilDue(t);
  frame->index = static_cast<int64_t>(k);
  frame->media_time_ns = t;
  frame->timestamp_ns = pacer_.Stamp(t);
  ++stats_.frames;
  return ReadStatus::kOk;
}

}  // namespace edgefuse::vision
