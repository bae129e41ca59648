// Video files written by OpenCV (MJPG in .avi, mp4v in .mp4) read back frame for
// frame with their timestamps; a file shorter than its header says ends with a warning
// naming what was read; corrupt, empty and missing files end in a one-line error, never
// a hang or a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <random>
#include <vector>

#include "modalities/vision/file_sources.h"
#include "platform/clock.h"
#include "tests/support/media_files.h"
#include "tests/support/test_support.h"

namespace edgefuse::vision {
namespace {

constexpr int kFrames = 30;
constexpr double kFps = 15.0;
const cv::Size kSize(160, 120);

// Frame k shows a white bar at x = 4k on grey, so the decoded order can be checked.
cv::Mat NumberedFrame(int k) {
  cv::Mat frame(kSize, CV_8UC3, cv::Scalar(60, 90, 120));
  cv::rectangle(frame, cv::Rect(4 * k, 0, 4, kSize.height), cv::Scalar::all(255), cv::FILLED);
  return frame;
}

int FrameNumberOf(const cv::Mat& frame) {
  cv::Mat grey, column_sums;
  cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
  cv::reduce(grey, column_sums, 0, cv::REDUCE_SUM, CV_32S);
  cv::Point brightest;
  cv::minMaxLoc(column_sums, nullptr, nullptr, nullptr, &brightest);
  return brightest.x / 4;
}

std::string WriteVideo(const testing::ScratchDir& dir, const std::string& name, const char* fourcc) {
  const std::string path = dir.File(name);
  cv::VideoWriter writer(path, cv::CAP_FFMPEG, cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]),
                         kFps, kSize);
  EXPECT_TRUE(writer.isOpened()) << "OpenCV cannot write " << fourcc << " to " << path;
  for (int k = 0; k < kFrames; ++k) writer.write(NumberedFrame(k));
  writer.release();
  return path;
}

void Truncate(const std::string& path, double keep) {
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, static_cast<uintmax_t>(static_cast<double>(size) * keep));
}

struct Format {
  const char* file;
  const char* fourcc;
};

// Test names and messages show the fourcc, not the pointers.
void PrintTo(const Format& format, std::ostream* os) { *os << format.fourcc; }

class VideoFormat : public ::testing::TestWithParam<Format> {};

TEST_P(VideoFormat, ReadsBackEveryFrameWithItsTimestamp) {
  const auto [name, fourcc] = GetParam();
  testing::ScratchDir dir;
  const std::string path = WriteVideo(dir, name, fourcc);
  std::string error;
  auto video = VideoFileSource::Open(path, {}, &error);
  ASSERT_TRUE(video) << error;
  EXPECT_EQ(video->info().kind, "video");
  EXPECT_EQ(video->info().width, kSize.width);
  EXPECT_EQ(video->info().height, kSize.height);
  EXPECT_NEAR(video->info().fps, kFps, 1e-6);
  EXPECT_EQ(video->info().frame_count, kFrames);
  Frame frame;
  int64_t first_timestamp = 0;
  for (int k = 0; k < kFrames; ++k) {
    ASSERT_EQ(video->Read(&frame), ReadStatus::kOk) << "frame " << k << ": " << video->error();
    EXPECT_EQ(frame.index, k);
    EXPECT_EQ(FrameNumberOf(frame.bgr), k);
    const double expected_ns = k * 1e9 / kFps;
    EXPECT_NEAR(static_cast<double>(frame.media_time_ns), expected_ns, 1e6) << "frame " << k;
    if (k == 0) first_timestamp = frame.timestamp_ns;
    EXPECT_EQ(frame.timestamp_ns - first_timestamp, frame.media_time_ns);
  }
  EXPECT_EQ(video->Read(&frame), ReadStatus::kEnd);
  EXPECT_EQ(video->Read(&frame), ReadStatus::kEnd);
  EXPECT_EQ(video->stats().frames, kFrames);
  EXPECT_EQ(video->stats().errors, 0);
}

TEST_P(VideoFormat, TruncatedFileEndsWithAWarningSayingWhatWasRead) {
  // A file that ends early is the frames it holds: the header's count is an estimate.
  const auto [name, fourcc] = GetParam();
  testing::ScratchDir dir;
  const std::string path = WriteVideo(dir, name, fourcc);
  Truncate(path, 0.5);
  std::string error;
  auto video = VideoFileSource::Open(path, {}, &error);
  if (!video) {
    // mp4 keeps its index (moov) at the end: without it there is nothing to play.
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("corrupt, truncated"), std::string::npos) << error;
    std::printf("[edgefuse] %s cut in half: %s\n", name, error.c_str());
    return;
  }
  Frame frame;
  ReadStatus status;
  int frames = 0;
  while ((status = video->Read(&frame)) == ReadStatus::kOk) {
    ASSERT_LT(frames, kFrames);
    EXPECT_EQ(FrameNumberOf(frame.bgr), frames);
    ++frames;
  }
  ASSERT_EQ(status, ReadStatus::kEnd) << video->error();
  ASSERT_GT(frames, 0);
  ASSERT_LT(frames, kFrames) << "a file cut in half cannot hold every frame";
  EXPECT_EQ(video->Read(&frame), ReadStatus::kEnd);
  EXPECT_EQ(video->stats().errors, 0);
  char until[32];
  std::snprintf(until, sizeof until, "%.2f", (frames - 1) / kFps);
  EXPECT_EQ(video->warning(), path + ": the header announces " + std::to_string(kFrames) + " frames, " +
                                  std::to_string(frames) + " decoded (up to " + until + " s)");
  std::printf("[edgefuse] %s cut in half: %s\n", name, video->warning().c_str());
}

TEST_P(VideoFormat, CompleteFileHasNoWarning) {
  const auto [name, fourcc] = GetParam();
  testing::ScratchDir dir;
  std::string error;
  auto video = VideoFileSource::Open(WriteVideo(dir, name, fourcc), {}, &error);
  ASSERT_TRUE(video) << error;
  Frame frame;
  while (video->Read(&frame) == ReadStatus::kOk) {
  }
  EXPECT_EQ(video->warning(), "");
}

INSTANTIATE_TEST_SUITE_P(OpenCvWritten, VideoFormat,
                         ::testing::Values(Format{"clip.avi", "MJPG"}, Format{"clip.mp4", "mp4v"}),
                         [](const auto& info) { return std::string(info.param.fourcc); });

TEST(VideoFileSource, VariableFrameRateKeepsThePresentationTimes) {
  // Frames 20 to 90 ms apart (Matroska stamps in ms), as a phone writes them.
  std::vector<int64_t> pts;
  const int64_t steps_ms[] = {20, 90, 33, 45, 21, 66};
  for (int64_t k = 0, t = 0; k < 24; t += steps_ms[k % 6] * 1'000'000, ++k) pts.push_back(t);
  testing::ScratchDir dir;
  const std::string path = dir.File("vfr.mkv");
  std::string error;
  ASSERT_TRUE(testing::WriteTimestampedVideo(path, pts, {}, &error)) << error;
  auto video = VideoFileSource::Open(path, {}, &error);
  ASSERT_TRUE(video) << error;
  Frame frame;
  for (size_t k = 0; k < pts.size(); ++k) {
    ASSERT_EQ(video->Read(&frame), ReadStatus::kOk) << "frame " << k << ": " << video->error();
    EXPECT_EQ(frame.media_time_ns, pts[k]) << "frame " << k;
    EXPECT_EQ(FrameNumberOf(frame.bgr), static_cast<int>(k)) << "frame " << k;
  }
  EXPECT_EQ(video->Read(&frame), ReadStatus::kEnd) << video->error();
}

TEST(VideoFileSource, MediaTimeCountsFromTheFirstFrame) {
  // A stream that starts 0.5 s into the file (as after a cut): frame 0 is at media
  // time 0, the origin modalities/audio/media_audio.h aligns a file's sound to.
  const std::vector<int64_t> pts = {500'000'000, 540'000'000, 600'000'000, 640'000'000};
  testing::ScratchDir dir;
  const std::string path = dir.File("late.mkv");
  std::string error;
  ASSERT_TRUE(testing::WriteTimestampedVideo(path, pts, {}, &error)) << error;
  auto video = VideoFileSource::Open(path, {}, &error);
  ASSERT_TRUE(video) << error;
  Frame frame;
  for (const int64_t t : pts) {
    ASSERT_EQ(video->Read(&frame), ReadStatus::kOk) << video->error();
    EXPECT_EQ(frame.media_time_ns, t - pts[0]);
  }
}

TEST(VideoFileSource, RejectsFilesThatAreNotVideos) {
  testing::ScratchDir dir;
  std::string error;
  EXPECT_FALSE(VideoFileSource::Open(dir.File("missing.mp4"), {}, &error));
  EXPECT_EQ(error, dir.File("missing.mp4") + ": No such file or directory");
  EXPECT_FALSE(VideoFileSource::Open(dir.path(), {}, &error));
  EXPECT_NE(error.find("not a regular file"), std::string::npos) << error;
  { std::ofstream(dir.File("empty.avi")); }
  EXPECT_FALSE(VideoFileSource::Open(dir.File("empty.avi"), {}, &error));
  EXPECT_NE(error.find("empty file"), std::string::npos) << error;

  EF_SEEDED_RNG(rng);
  std::string noise(20000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  { std::ofstream(dir.File("noise.mp4"), std::ios::binary) << noise; }
  EXPECT_FALSE(VideoFileSource::Open(dir.File("noise.mp4"), {}, &error));
  EXPECT_NE(error.find("not a video"), std::string::npos) << error;

  // A real video whose first 4 KiB were overwritten: the container is unreadable.
  const std::string path = WriteVideo(dir, "garbled.avi", "MJPG");
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.write(noise.data(), 4096);
  }
  auto video = VideoFileSource::Open(path, {}, &error);
  if (video) {
    // Either nothing decodes (an error), or what does is said in the warning.
    Frame frame;
    ReadStatus status;
    int frames = 0;
    while ((status = video->Read(&frame)) == ReadStatus::kOk) ASSERT_LT(++frames, kFrames) << "garbled file read whole";
    EXPECT_NE(status, ReadStatus::kOk);
    error = status == ReadStatus::kError ? video->error() : video->warning();
  }
  EXPECT_NE(error.find(path), std::string::npos) << error;
  std::printf("[edgefuse] garbled header: %s\n", error.c_str());
}

TEST(VideoFileSource, RealTimePacingWaitsForEachFrame) {
  testing::ScratchDir dir;
  const std::string path = WriteVideo(dir, "paced.avi", "MJPG");
  std::string error;
  auto video = VideoFileSource::Open(path, {.realtime = true}, &error);
  ASSERT_TRUE(video) << error;
  Frame frame;
  const int64_t start = platform::MonotonicNowNs();
  for (int k = 0; k < 4; ++k) ASSERT_EQ(video->Read(&frame), ReadStatus::kOk);
  // Frame 3 is due 3/15 s after frame 0.
  EXPECT_GE(platform::MonotonicNowNs() - start, 190'000'000);
  EXPECT_EQ(video->stats().drops, 0);
}

}  // namespace
}  // namespace edgefuse::vision
