// The demo's window under Xvfb: `edgefuse demo` on the generated scene with a
// display opens the window sink; screenshots of the X server taken while it runs
// must show the overlay with its attention heatmap. The run is deterministic, so
// the same demo recorded with the heatmap (alpha 0.5, the windowed run itself) and
// without it (alpha 0) gives, for every frame, the picture with and without the
// heatmap. Each screenshot is matched to its frame, and where the heatmap colours
// that frame (chroma with > chroma without; the overlay's text is black and white)
// the window's pixels must carry the colour. Host only (Xvfb, xwd).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <thread>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "tests/firmware/xvfb.h"
#include "tests/support/test_support.h"

extern "C" const char* __lsan_default_suppressions() { return "leak:libdbus-1.so\n"; }

namespace edgefuse::app {
namespace {

std::vector<std::string> DemoArgs(const std::string& alpha, const std::string& video, bool window) {
  return {"edgefuse",    "demo",
          "--synthetic", window ? "--window" : "--no-window",
          "--record",    video,
          "--set",       "sources.video.width=320",
          "--set",       "sources.video.height=240",
          "--set",       "sources.synthetic.duration_s=20",
          "--set",       "sinks.overlay.alpha=" + alpha};
}

int RunMain(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  return Main(static_cast<int>(argv.size()), argv.data());
}

std::vector<cv::Mat> ReadFrames(const std::string& path) {
  std::vector<cv::Mat> frames;
  cv::VideoCapture capture(path);
  cv::Mat frame;
  while (capture.read(frame)) frames.push_back(frame.clone());
  return frames;
}

// max - min over the channels, per pixel.
cv::Mat Chroma(const cv::Mat& bgr) {
  std::vector<cv::Mat> c;
  cv::split(bgr, c);
  cv::Mat hi = cv::max(cv::max(c[0], c[1]), c[2]), lo = cv::min(cv::min(c[0], c[1]), c[2]);
  cv::Mat chroma;
  cv::subtract(hi, lo, chroma);
  return chroma;
}

TEST(DemoWindow, ShowsTheOverlayWithItsHeatmapUnderXvfb) {
  testing::Xvfb xvfb;
  std::string error;
  if (!xvfb.Start(&error)) GTEST_SKIP() << error;
  setenv("DISPLAY", xvfb.display().c_str(), 1);
  unsetenv("WAYLAND_DISPLAY");
  const testing::ScratchDir dir;
  const std::string with_path = dir.File("heat.avi");
  const std::string without_path = dir.File("plain.avi");

  ASSERT_EQ(RunMain(DemoArgs("0", without_path, false)), kExitOk);
  std::atomic<bool> done{false};
  int status = -1;
  std::thread demo([&] {
    status = RunMain(DemoArgs("0.5", with_path, true));
    done.store(true);
  });
  std::vector<cv::Mat> screenshots;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  while (!done.load() && screenshots.size() < 40) {
    cv::Mat screen;
    if (!xvfb.Screenshot(&screen, &error)) break;
    screenshots.push_back(screen);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  demo.join();
  unsetenv("DISPLAY");
  ASSERT_EQ(status, kExitOk);
  ASSERT_FALSE(screenshots.empty()) << error;

  const std::vector<cv::Mat> with = ReadFrames(with_path), without = ReadFrames(without_path);
  ASSERT_EQ(with.size(), 600u);
  ASSERT_EQ(without.size(), 600u);

  // Where the window is and which frame each screenshot shows: the recorded frame
  // closest to the screenshot (coarse search over positions on the first usable one).
  cv::Point at(-1, -1);
  int matched = 0, coloured = 0;
  for (const cv::Mat& screen : screenshots) {
    double best = 1e30;
    size_t best_k = 0;
    if (at.x < 0) {
      cv::Mat small_screen;
      cv::resize(screen, small_screen, {}, 0.25, 0.25, cv::INTER_AREA);
      for (size_t k = 0; k < with.size(); k += 1) {
        cv::Mat small_frame, score;
        cv::resize(with[k], small_frame, {}, 0.25, 0.25, cv::INTER_AREA);
        cv::matchTemplate(small_screen, small_frame, score, cv::TM_SQDIFF_NORMED);
        double value;
        cv::Point where;
        cv::minMaxLoc(score, &value, nullptr, &where, nullptr);
        if (value < best) {
          best = value;
          best_k = k;
          at = where * 4;
        }
      }
      // Refine the position at full resolution.
      const cv::Rect around(std::max(0, at.x - 6), std::max(0, at.y - 6), 320 + 12, 240 + 12);
      cv::Mat score;
      cv::matchTemplate(screen(around & cv::Rect(0, 0, screen.cols, screen.rows)), with[best_k], score,
                        cv::TM_SQDIFF_NORMED);
      cv::Point where;
      cv::minMaxLoc(score, nullptr, nullptr, &where, nullptr);
      at = around.tl() + where;
    }
    const cv::Mat shown = screen(cv::Rect(at, cv::Size(320, 240)));
    best = 1e30;
    for (size_t k = 0; k < with.size(); ++k) {
      const double d = cv::norm(shown, with[k], cv::NORM_L1) / static_cast<double>(shown.total() * 3);
      if (d < best) {
        best = d;
        best_k = k;
      }
    }
    if (best > 6.0) continue;  // between two frames, or not drawn yet
    ++matched;
    // The heatmap's pixels in this frame, and whether the window shows them.
    const cv::Mat chroma_with = Chroma(with[best_k]), chroma_without = Chroma(without[best_k]);
    cv::Mat gain, mask;
    cv::subtract(chroma_with, chroma_without, gain, cv::noArray(), CV_16S);
    mask = gain > 40;
    const int heat = cv::countNonZero(mask);
    if (heat < 200) continue;  // no heatmap in this frame (a uniform map)
    const double shown_chroma = cv::mean(Chroma(shown), mask)[0];
    const double plain = cv::mean(chroma_without, mask)[0], heated = cv::mean(chroma_with, mask)[0];
    std::printf(
        "screenshot matches frame %zu (mean difference %.2f): %d heatmap pixels, chroma %.0f shown, "
        "%.0f with the heatmap, %.0f without\n",
        best_k, best, heat, shown_chroma, heated, plain);
    EXPECT_GT(shown_chroma, plain + 0.7 * (heated - plain));
    ++coloured;
  }
  std::printf("%zu screenshots, %d matched a frame, %d with the heatmap\n", screenshots.size(), matched, coloured);
  EXPECT_GE(matched, 1);
  EXPECT_GE(coloured, 1);
}

}  // namespace
}  // namespace edgefuse::app
