#include "modalities/vision/opencv_info.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/videoio/registry.hpp>

namespace edgefuse::vision {

platform::LibraryInfo OpenCvInfo() {
  platform::LibraryInfo info;
  info.name = "OpenCV";
  info.version = cv::getVersionString();
  info.source = "library";
  info.path = platform::SharedLibraryPathOf(reinterpret_cast<const void*>(&cv::getVersionString));
  return info;
}

std::vector<std::string> OpenCvCaptureBackends() {
  std::vector<std::string> names;
  for (cv::VideoCaptureAPIs api : cv::videoio_registry::getStreamBackends()) {
    names.push_back(cv::videoio_registry::getBackendName(api));
  }
  return names;
}

}  // namespace edgefuse::vision
