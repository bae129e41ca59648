// The video file sink: what it records reads back with the right frame count and
// size (.avi Motion JPEG and .mp4 MPEG-4), and bad paths fail Start in one line.
#include "firmware/sinks/video_file_sink.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <opencv2/videoio.hpp>

#include "tests/support/test_support.h"

namespace edgefuse::sinks {
namespace {

void RecordAndReadBack(const std::string& extension, bool overlay) {
  const testing::ScratchDir dir;
  const std::string path = dir.File("recorded" + extension);
  constexpr int kFrames = 12;
  {
    VideoFileSink sink({.path = path, .fps = 15.0, .overlay = overlay, .queue = {.capacity = 2, .lossless = true}});
    std::string error;
    ASSERT_TRUE(sink.Start(&error)) << error;
    FusionResult result;
    result.frame = cv::Mat(120, 160, CV_8UC3);
    for (int i = 0; i < kFrames; ++i) {
      result.frame.setTo(cv::Scalar(20 * i % 256, 100, 200));
      result.frame_index = i;
      result.source = {.present = true, .x = 0.3f, .y = 0.6f, .confidence = 0.5f};
      sink.Consume(result);
    }
    sink.Stop();
    EXPECT_EQ(sink.stats().written, static_cast<uint64_t>(kFrames));
    EXPECT_EQ(sink.stats().dropped, 0u);
  }
  cv::VideoCapture capture(path);
  ASSERT_TRUE(capture.isOpened()) << path;
  int frames = 0;
  cv::Mat frame;
  while (capture.read(frame)) {
    EXPECT_EQ(frame.size(), cv::Size(160, 120));
    ++frames;
  }
  EXPECT_EQ(frames, kFrames) << path;
  EXPECT_EQ(static_cast<int>(capture.get(cv::CAP_PROP_FRAME_COUNT)), kFrames) << path;
  EXPECT_NEAR(capture.get(cv::CAP_PROP_FPS), 15.0, 0.01);
  unlink(path.c_str());
}

TEST(VideoFileSink, AviMotionJpegReadsBack) { RecordAndReadBack(".avi", /*overlay=*/true); }
TEST(VideoFileSink, Mp4ReadsBack) { RecordAndReadBack(".mp4", /*overlay=*/false); }

TEST(VideoFileSink, BadPathsFailStart) {
  std::string error;
  VideoFileSink unknown({.path = "out.mkv2"});
  EXPECT_FALSE(unknown.Start(&error));
  EXPECT_EQ(error, "out.mkv2: unknown video extension \".mkv2\" (use .avi or .mp4, or give a FourCC)");
  VideoFileSink missing_dir({.path = "/nonexistent/out.avi"});
  EXPECT_FALSE(missing_dir.Start(&error));
  EXPECT_EQ(error, "/nonexistent/out.avi: cannot create: No such file or directory");
  VideoFileSink bad_fourcc({.path = "out.avi", .fourcc = "MJPEG"});
  EXPECT_FALSE(bad_fourcc.Start(&error));
  EXPECT_EQ(error, "out.avi: FourCC must be 4 printable characters, got \"MJPEG\"");
}

}  // namespace
}  // namespace edgefuse::sinks
