// Cameras for real where this machine allows it: GStreamer's videotestsrc runs through
// exactly the path a libcamera or Jetson camera takes (GstCameraSource: parse, element
// check, appsink drop=true max-buffers=1, arrival numbering, bus errors, reopening).
// Absent devices and missing elements give errors that name them.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "modalities/vision/camera_spec.h"
#include "modalities/vision/gst_camera_source.h"
#include "modalities/vision/gst_support.h"
#include "modalities/vision/open_source.h"
#include "platform/clock.h"

namespace edgefuse::vision {
namespace {

std::string TestPattern(int width, int height, int fps, const std::string& extra = "") {
  return "videotestsrc is-live=true" + extra + " ! video/x-raw,width=" + std::to_string(width) +
         ",height=" + std::to_string(height) + ",framerate=" + std::to_string(fps) + "/1 ! " + GstSinkSuffix();
}

TEST(GstCamera, VideotestsrcRunsThroughTheCameraPath) {
  std::printf("[edgefuse] GStreamer %s\n", GstVersionString().c_str());
  std::unique_ptr<FrameSource> camera;
  std::string error;
  SourceOptions options{.kind = SourceKind::kCamera, .target = "videotest:smpte", .camera = {160, 120, 30}};
  ASSERT_TRUE(OpenFrameSource(options, &camera, &error)) << error;
  EXPECT_EQ(camera->info().kind, "camera");
  EXPECT_TRUE(camera->info().live);
  Frame frame;
  int64_t last_index = -1, last_timestamp = 0;
  for (int k = 0; k < 5; ++k) {
    ASSERT_EQ(camera->Read(&frame), ReadStatus::kOk) << camera->error();
    const int64_t now = platform::MonotonicNowNs();
    EXPECT_EQ(frame.bgr.size(), cv::Size(160, 120));
    EXPECT_EQ(frame.bgr.type(), CV_8UC3);
    EXPECT_GT(frame.index, last_index);
    EXPECT_GT(frame.timestamp_ns, last_timestamp);
    EXPECT_LE(frame.timestamp_ns, now) << "stamped at capture, not in the future";
    EXPECT_GT(frame.timestamp_ns, now - 1'000'000'000);
    last_index = frame.index;
    last_timestamp = frame.timestamp_ns;
  }
  // SMPTE bars: the left bar is grey-white (B, G and R all high), the next one yellow (B low).
  EXPECT_GT(frame.bgr.at<cv::Vec3b>(10, 5)[0], 150);
  EXPECT_LT(frame.bgr.at<cv::Vec3b>(10, 30)[0], 60);
  EXPECT_GT(frame.bgr.at<cv::Vec3b>(10, 30)[2], 150);
  EXPECT_EQ(camera->stats().frames, 5);
}

TEST(GstCamera, ASlowConsumerGetsTheNewestFrameAndCountsTheDrops) {
  std::string error;
  auto camera = GstCameraSource::Open("videotest", TestPattern(64, 48, 100), {}, &error);
  ASSERT_TRUE(camera) << error;
  Frame frame;
  ASSERT_EQ(camera->Read(&frame), ReadStatus::kOk) << camera->error();
  const int64_t first = frame.index;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // 30 frames are produced meanwhile
  const int64_t asked = platform::MonotonicNowNs();
  ASSERT_EQ(camera->Read(&frame), ReadStatus::kOk) << camera->error();
  const int64_t skipped = frame.index - first - 1;
  std::printf("[edgefuse] after 300 ms asleep: frame %lld, %lld dropped, captured %.1f ms before it was asked for\n",
              static_cast<long long>(frame.index), static_cast<long long>(skipped), (asked - frame.timestamp_ns) / 1e6);
  EXPECT_GE(skipped, 10);
  EXPECT_EQ(camera->stats().drops, skipped) << "every frame the appsink dropped is counted";
  EXPECT_LT(asked - frame.timestamp_ns, 50'000'000) << "the frame read is the newest, not one queued 300 ms ago";
}

TEST(GstCamera, AMissingElementNamesItsPackage) {
  // The Jetson elements ship with NVIDIA's L4T, never with Debian.
  std::unique_ptr<FrameSource> camera;
  std::string error;
  EXPECT_FALSE(OpenFrameSource({.kind = SourceKind::kCamera, .target = "jetson-csi"}, &camera, &error));
  EXPECT_EQ(error,
            "camera 'jetson-csi': GStreamer elements 'nvarguscamerasrc', 'nvvidconv' are missing: install "
            "nvidia-l4t-gstreamer (NVIDIA JetPack)");

  auto unknown = GstCameraSource::Open("custom", "nosuchcamerasrc ! " + GstSinkSuffix(), {}, &error);
  EXPECT_FALSE(unknown);
  EXPECT_NE(error.find("'nosuchcamerasrc' is missing: no package known"), std::string::npos) << error;
  EXPECT_EQ(MissingGstElements("nosuchcamerasrc ! videoconvert ! fakesink"),
            std::vector<std::string>{"nosuchcamerasrc"});
}

TEST(GstCamera, TheLibcameraPresetReportsThatNoCameraIsAttached) {
  // Debian's gstreamer1.0-libcamera is a test dependency: libcamerasrc really starts
  // libcamera's camera manager here, which finds no camera on a build machine.
  if (!GstElementAvailable("libcamerasrc")) GTEST_SKIP() << "libcamerasrc is not installed (gstreamer1.0-libcamera)";
  std::unique_ptr<FrameSource> camera;
  std::string error;
  EXPECT_FALSE(OpenFrameSource({.kind = SourceKind::kCamera, .target = "libcamera"}, &camera, &error));
  EXPECT_NE(error.find("camera 'libcamera': could not start: "), std::string::npos) << error;
  EXPECT_NE(error.find("camera"), std::string::npos) << error;
  std::printf("[edgefuse] %s\n", error.c_str());
}

TEST(GstCamera, PipelinesThatCannotStartSayWhy) {
  std::string error;
  // A V4L2 camera that is not there, through GStreamer: fails when the pipeline starts.
  EXPECT_FALSE(GstCameraSource::Open("usb", "v4l2src device=/dev/video63 ! " + GstSinkSuffix(), {}, &error));
  EXPECT_NE(error.find("camera 'usb': could not start:"), std::string::npos) << error;
  EXPECT_NE(error.find("/dev/video63"), std::string::npos) << error;
  std::printf("[edgefuse] %s\n", error.c_str());

  EXPECT_FALSE(GstCameraSource::Open("x", "videotestsrc ! ! appsink", {}, &error));
  EXPECT_NE(error.find("bad GStreamer pipeline"), std::string::npos) << error;
  EXPECT_FALSE(GstCameraSource::Open("x", "videotestsrc ! fakesink", {}, &error));
  EXPECT_NE(error.find("no appsink"), std::string::npos) << error;

  std::unique_ptr<FrameSource> camera;
  EXPECT_FALSE(OpenFrameSource({.kind = SourceKind::kCamera, .target = "63"}, &camera, &error));
  EXPECT_EQ(error, "camera 63 (/dev/video63): no such device");
}

TEST(GstCamera, ACameraThatStopsIsReportedAndReopened) {
  std::string error;
  GstCameraOptions options;
  options.reopen_delay_ns = 10'000'000;
  // Each run of the pipeline ends after 3 frames, like a camera being unplugged.
  auto camera = GstCameraSource::Open("flaky", TestPattern(64, 48, 60, " num-buffers=3"), options, &error);
  ASSERT_TRUE(camera) << error;
  Frame frame;
  int64_t last = -1;
  for (int k = 0; k < 8; ++k) {
    ASSERT_EQ(camera->Read(&frame), ReadStatus::kOk) << camera->error();
    EXPECT_GT(frame.index, last);
    last = frame.index;
  }
  EXPECT_GE(camera->stats().reopens, 2);

  options.reopen = false;
  auto once = GstCameraSource::Open("once", TestPattern(64, 48, 60, " num-buffers=3"), options, &error);
  ASSERT_TRUE(once) << error;
  ReadStatus status;
  int frames = 0;
  while ((status = once->Read(&frame)) == ReadStatus::kOk) ASSERT_LE(++frames, 3);
  EXPECT_EQ(status, ReadStatus::kError);
  EXPECT_EQ(once->error(), "camera 'once' stopped: end of stream");
}

}  // namespace
}  // namespace edgefuse::vision
