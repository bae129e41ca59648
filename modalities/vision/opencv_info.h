// The OpenCV library this process runs with, for `edgefuse info`, and the
// video-capture back ends it was built with (GStreamer, V4L2, FFmpeg, ...).
#pragma once

#include <string>
#include <vector>

#include "platform/shared_library.h"

namespace edgefuse::vision {

platform::LibraryInfo OpenCvInfo();
std::vector<std::string> OpenCvCaptureBackends();

}  // namespace edgefuse::vision
