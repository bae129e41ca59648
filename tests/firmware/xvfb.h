// Test support for the window sink: a private Xvfb X server on a free display, and
// a screenshot of its root window (xwd, decoded here) as a BGR image.
//
//   edgefuse::testing::Xvfb xvfb;
//   std::string error;
//   if (!xvfb.Start(&error)) GTEST_SKIP() << error;   // "Xvfb is not installed ..."
//   setenv("DISPLAY", xvfb.display().c_str(), 1);
//   cv::Mat screen;
//   ASSERT_TRUE(xvfb.Screenshot(&screen, &error)) << error;
#pragma once

#include <sys/types.h>

#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace edgefuse::testing {

class Xvfb {
 public:
  Xvfb() = default;
  ~Xvfb() { Stop(); }
  Xvfb(const Xvfb&) = delete;
  Xvfb& operator=(const Xvfb&) = delete;

  // Whether Xvfb and xwd are on PATH; false with what to install.
  static bool Available(std::string* error);
  // Starts Xvfb (800x600, 24-bit) on a free display it picks itself (-displayfd) and
  // waits until it accepts connections.
  bool Start(std::string* error);
  void Stop();
  const std::string& display() const { return display_; }  // ":90"
  // The root window, through `xwd -root`.
  bool Screenshot(cv::Mat* bgr, std::string* error) const;

 private:
  pid_t pid_ = -1;
  std::string display_;
};

// Decodes an X window dump (ZPixmap, 24 or 32 bits per pixel, true colour).
bool DecodeXwd(const std::vector<uint8_t>& bytes, cv::Mat* bgr, std::string* error);

}  // namespace edgefuse::testing
