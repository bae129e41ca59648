#include "firmware/sinks/video_file_sink.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <opencv2/imgproc.hpp>

#include "platform/log.h"

namespace edgefuse::sinks {
namespace {

std::string LowerExtension(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string extension = path.substr(dot);
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

}  // namespace

bool ChooseVideoFourcc(const std::string& path, const std::string& fourcc, int* code, std::string* error) {
  std::string chosen = fourcc;
  if (chosen.empty()) {
    const std::string extension = LowerExtension(path);
    if (extension == ".avi") {
      chosen = "MJPG";
    } else if (extension == ".mp4") {
      chosen = "mp4v";
    } else {
      *error = path + ": unknown video extension \"" + extension + "\" (use .avi or .mp4, or give a FourCC)";
      return false;
    }
  }
  if (chosen.size() != 4 || !std::all_of(chosen.begin(), chosen.end(), [](char c) { return std::isprint(c); })) {
    *error = path + ": FourCC must be 4 printable characters, got \"" + chosen + "\"";
    return false;
  }
  *code = cv::VideoWriter::fourcc(chosen[0], chosen[1], chosen[2], chosen[3]);
  return true;
}

bool VideoFileSink::Open(std::string* error) {
  if (!ChooseVideoFourcc(options_.path, options_.fourcc, &fourcc_, error)) return false;
  if (!(options_.fps > 0.0)) {
    *error = options_.path + ": frame rate must be positive";
    return false;
  }
  // The writer opens at the first frame (it needs the size); find an unwritable path now.
  std::FILE* probe = std::fopen(options_.path.c_str(), "wb");
  if (probe == nullptr) {
    *error = options_.path + ": cannot create: " + std::strerror(errno);
    return false;
  }
  std::fclose(probe);
  reported_ = false;
  return true;
}

bool VideoFileSink::Process(const FusionResult& result) {
  const cv::Mat* picture = renderer_.Picture(result, options_.overlay, &picture_);
  if (picture == nullptr) return false;
  if (!writer_.isOpened()) {
    size_ = picture->size();
    if (!writer_.open(options_.path, fourcc_, options_.fps, size_, /*isColor=*/true)) {
      if (!reported_) EF_LOG_ERROR("video sink: %s: the video writer cannot open it", options_.path.c_str());
      reported_ = true;
      return false;
    }
  }
  if (picture->size() != size_) {
    cv::resize(*picture, scaled_, size_, 0, 0, cv::INTER_AREA);
    picture = &scaled_;
  }
  writer_.write(*picture);
  return true;
}

void VideoFileSink::Close() { writer_.release(); }

}  // namespace edgefuse::sinks
