// The window sink on a real (virtual) X server: Xvfb on a free display, frames with
// a known overlay shown, a screenshot of the root window, and the heatmap found
// where the attention peaks. Without a display, Start fails in one line and the sink
// factory streams MJPEG instead. Host only: the test drives host programs (Xvfb, xwd).
#include "firmware/sinks/window_sink.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <thread>

#include "firmware/sinks/sink_factory.h"
#include "platform/net/socket.h"
#include "tests/firmware/xvfb.h"
#include "tests/support/test_support.h"

// LeakSanitizer (host-asan preset): Qt's D-Bus integration, loaded by HighGUI, leaves
// one libdbus buffer behind at exit. Not ours; the name is the sanitizer's hook.
extern "C" const char* __lsan_default_suppressions() { return "leak:libdbus-1.so\n"; }

namespace edgefuse::sinks {
namespace {

// Sets or unsets environment variables for one test, restoring them afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = getenv(name);
    had_ = old != nullptr;
    if (had_) old_ = old;
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (had_) {
      setenv(name_, old_.c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  bool had_;
  std::string old_;
};

constexpr int kPeakX = 12, kPeakY = 3;  // the attention peak, in a 16 x 12 grid

FusionResult KnownResult(int64_t index) {
  FusionResult result;
  result.frame = cv::Mat(240, 320, CV_8UC3, cv::Scalar(110, 110, 110));
  result.frame_index = index;
  result.attention.Reset(16, 12);
  double sum = 0.0;
  for (int y = 0; y < 12; ++y) {
    for (int x = 0; x < 16; ++x) {
      const double d2 = (x - kPeakX) * (x - kPeakX) + (y - kPeakY) * (y - kPeakY);
      result.attention.weights[y * 16 + x] = static_cast<float>(std::exp(-d2 / 2.0));
      sum += result.attention.weights[y * 16 + x];
    }
  }
  for (float& w : result.attention.weights) w = static_cast<float>(w / sum);
  result.audio = {.level_dbfs = -20.0f, .noise_floor_dbfs = -60.0f};
  result.metrics.fps = 30.0;
  return result;
}

TEST(WindowSink, ShowsTheHeatmapUnderXvfb) {
  testing::Xvfb xvfb;
  std::string error;
  if (!xvfb.Start(&error)) GTEST_SKIP() << error;
  ScopedEnv display("DISPLAY", xvfb.display().c_str());
  ScopedEnv wayland("WAYLAND_DISPLAY", nullptr);

  WindowSink sink({.title = "edgefuse window test"});
  // A first run, stopped: the window must open again (Qt deadlocks when a second
  // thread opens a window, hence the sink's one GUI thread).
  ASSERT_TRUE(sink.Start(&error)) << error;
  sink.Consume(KnownResult(0));
  sink.Stop();
  ASSERT_TRUE(sink.Start(&error)) << error;
  // About a second of frames at 30 fps, as a pipeline would deliver them.
  for (int i = 0; i < 30; ++i) {
    sink.Consume(KnownResult(i));
    std::this_thread::sleep_for(std::chrono::milliseconds(33));
  }
  cv::Mat screen;
  ASSERT_TRUE(xvfb.Screenshot(&screen, &error)) << error;
  EXPECT_FALSE(sink.StopRequested());
  sink.Stop();
  EXPECT_GE(sink.stats().written, 1u);
  EXPECT_EQ(sink.stats().errors, 0u);

  // Where on the screen the window put the frame: the best match of the expected overlay.
  cv::Mat expected;
  ASSERT_TRUE(RenderOverlay(KnownResult(0), OverlayStyle(), &expected));
  cv::Mat score;
  cv::matchTemplate(screen, expected, score, cv::TM_CCOEFF_NORMED);
  double best = 0.0;
  cv::Point at;
  cv::minMaxLoc(score, nullptr, &best, nullptr, &at);
  EXPECT_GT(best, 0.98) << "the overlay is not on the screen";
  const cv::Mat shown = screen(cv::Rect(at, expected.size()));

  // Colour statistics: reddest where the map peaks (jet's top), plain grey far from it.
  const cv::Scalar peak = cv::mean(shown(cv::Rect(kPeakX * 20 + 5, kPeakY * 20 + 5, 10, 10)));
  const cv::Scalar cold = cv::mean(shown(cv::Rect(2 * 20, 9 * 20, 20, 20)));
  EXPECT_GT(peak[2] - peak[0], 60.0) << "peak BGR " << peak;
  EXPECT_NEAR(cold[2] - cold[0], 0.0, 4.0) << "cold BGR " << cold;
  std::printf("overlay found at (%d, %d), match %.4f; peak BGR (%.0f, %.0f, %.0f), cold BGR (%.0f, %.0f, %.0f)\n", at.x,
              at.y, best, peak[0], peak[1], peak[2], cold[0], cold[1], cold[2]);
  if (HasFailure()) {
    // Kept for inspection: a directory of its own that outlives the test.
    std::string path = ::testing::TempDir() + "edgefuse-window-test-XXXXXX";
    if (mkdtemp(path.data()) == nullptr) return;
    path += "/screen.png";
    cv::imwrite(path, screen);
    ADD_FAILURE() << "screenshot saved to " << path;
  }
}

TEST(WindowSink, NoDisplayFailsStartInOneLine) {
  ScopedEnv display("DISPLAY", nullptr);
  ScopedEnv wayland("WAYLAND_DISPLAY", nullptr);
  WindowSink sink({});
  std::string error;
  EXPECT_FALSE(sink.Start(&error));
  EXPECT_EQ(error, "no display: DISPLAY and WAYLAND_DISPLAY are unset");
  {
    ScopedEnv unreachable("DISPLAY", ":139");  // no server there (the Xvfb helper stops at :139)
    EXPECT_FALSE(sink.Start(&error));
    EXPECT_EQ(error, "cannot open X display ':139'");
  }
  ScopedEnv wayland_only("WAYLAND_DISPLAY", "wayland-77");
  ScopedEnv qpa("QT_QPA_PLATFORM", nullptr);
  EXPECT_FALSE(sink.Start(&error));
  EXPECT_EQ(error,
            "WAYLAND_DISPLAY is set but DISPLAY is not: the window needs X11 or XWayland (or QT_QPA_PLATFORM=wayland)");
}

int FreePort() {
  platform::net::TcpListener listener;
  std::string error;
  EXPECT_TRUE(listener.Listen("127.0.0.1", 0, &error)) << error;
  return listener.port();
}

TEST(SinkFactory, WindowFallsBackToMjpegWithoutADisplay) {
  ScopedEnv display("DISPLAY", nullptr);
  ScopedEnv wayland("WAYLAND_DISPLAY", nullptr);
  config::Config config;
  config.sinks.mjpeg.bind = "127.0.0.1";
  config.sinks.mjpeg.port = FreePort();
  const testing::ScratchDir dir;
  config.sinks.jsonl.path = dir.File("factory.jsonl");
  SinkSet sinks;
  std::string error;
  ASSERT_TRUE(StartSinks(config, {}, &sinks, &error)) << error;
  ASSERT_EQ(sinks.sinks().size(), 2u);
  EXPECT_STREQ(sinks.sinks()[0]->name(), "mjpeg");
  EXPECT_STREQ(sinks.sinks()[1]->name(), "jsonl");
  EXPECT_EQ(sinks.Find("window"), nullptr);
  sinks.Consume(KnownResult(0));
  sinks.Stop();
  EXPECT_EQ(sinks.Find("jsonl")->stats().written, 1u);
  EXPECT_FALSE(sinks.StopRequested());
}

TEST(SinkFactory, AFailingSinkStopsTheOthers) {
  config::Config config;
  config.sinks.window.mode = config::WindowMode::kOff;
  config.sinks.mjpeg.enabled = true;
  config.sinks.mjpeg.bind = "127.0.0.1";
  config.sinks.mjpeg.port = FreePort();
  config.sinks.video.path = "/nonexistent/run.avi";
  SinkSet sinks;
  std::string error;
  EXPECT_FALSE(StartSinks(config, {}, &sinks, &error));
  EXPECT_EQ(error, "video sink: /nonexistent/run.avi: cannot create: No such file or directory");
  EXPECT_TRUE(sinks.empty());
  // The MJPEG server that had started is gone: its port is free again.
  platform::net::TcpListener again;
  EXPECT_TRUE(again.Listen("127.0.0.1", config.sinks.mjpeg.port, &error)) << error;
}

}  // namespace
}  // namespace edgefuse::sinks
