// The demo's window under Xvfb: `edgefuse demo` on the generated scene with a
// display opens the window sink, and screenshots of the X server taken while it runs
// show the attention heatmap: strongly coloured (jet) pixels that the same run
// without the heatmap (sinks.overlay.alpha = 0) does not have. Host only (Xvfb, xwd).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "tests/firmware/xvfb.h"

extern "C" const char* __lsan_default_suppressions() { return "leak:libdbus-1.so\n"; }

namespace edgefuse::app {
namespace {

// The largest fraction of strongly coloured pixels (HSV saturation > 150, value >
// 80) over the screenshots taken while the demo ran.
double HeatmapFraction(testing::Xvfb& xvfb, const std::string& alpha, int* screenshots) {
  const std::string video = ::testing::TempDir() + "edgefuse_demo_window_" + alpha + ".avi";
  std::vector<std::string> args = {"edgefuse",    "demo",
                                   "--synthetic", "--window",
                                   "--record",    video,
                                   "--set",       "sources.synthetic.duration_s=20",
                                   "--set",       "sinks.overlay.alpha=" + alpha};
  std::atomic<bool> done{false};
  int status = -1;
  std::thread demo([&] {
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    status = Main(static_cast<int>(argv.size()), argv.data());
    done.store(true);
  });
  double best = 0.0;
  *screenshots = 0;
  std::string error;
  // The first screenshot after the window had time to appear.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  while (!done.load()) {
    cv::Mat screen, hsv, mask;
    if (!xvfb.Screenshot(&screen, &error)) break;
    ++*screenshots;
    cv::cvtColor(screen, hsv, cv::COLOR_BGR2HSV);
    cv::inRange(hsv, cv::Scalar(0, 150, 80), cv::Scalar(180, 255, 255), mask);
    best = std::max(best, static_cast<double>(cv::countNonZero(mask)) / static_cast<double>(mask.total()));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  demo.join();
  EXPECT_EQ(status, kExitOk);
  return best;
}

TEST(DemoWindow, ShowsTheHeatmapUnderXvfb) {
  testing::Xvfb xvfb;
  std::string error;
  if (!xvfb.Start(&error)) GTEST_SKIP() << error;
  setenv("DISPLAY", xvfb.display().c_str(), 1);
  unsetenv("WAYLAND_DISPLAY");
  int with_shots = 0, without_shots = 0;
  const double with_heatmap = HeatmapFraction(xvfb, "0.5", &with_shots);
  const double without_heatmap = HeatmapFraction(xvfb, "0", &without_shots);
  unsetenv("DISPLAY");
  std::printf("coloured pixels: %.4f with the heatmap (%d screenshots), %.4f without (%d)\n", with_heatmap, with_shots,
              without_heatmap, without_shots);
  ASSERT_GE(with_shots, 1);
  EXPECT_GT(with_heatmap, 0.02);
  EXPECT_GT(with_heatmap, 3.0 * without_heatmap + 0.01);
}

}  // namespace
}  // namespace edgefuse::app
