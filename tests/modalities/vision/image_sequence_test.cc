// Image sequences: a directory of images or a numbered pattern, in order, stamped at
// k / fps; unreadable images and size changes give errors that name the file.
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "modalities/vision/file_sources.h"
#include "tests/support/test_support.h"

namespace edgefuse::vision {
namespace {

void WriteImages(const testing::ScratchDir& dir, const char* pattern, int first, int count, cv::Size size = {32, 24}) {
  for (int k = first; k < first + count; ++k) {
    char name[64];
    std::snprintf(name, sizeof name, pattern, k);
    ASSERT_TRUE(cv::imwrite(dir.File(name), cv::Mat(size, CV_8UC3, cv::Scalar(k, 2 * k, 3 * k))));
  }
}

TEST(ImageSequenceSource, ReadsAPatternFromOneWithTimestamps) {
  testing::ScratchDir dir;
  WriteImages(dir, "img_%03d.png", 1, 5);
  WriteImages(dir, "img_%03d.png", 7, 2);  // after a gap: not part of the sequence
  std::string error;
  auto images = ImageSequenceSource::Open(dir.File("img_%03d.png"), {.fps = 10.0}, &error);
  ASSERT_TRUE(images) << error;
  EXPECT_EQ(images->info().frame_count, 5);
  Frame frame;
  for (int k = 0; k < 5; ++k) {
    ASSERT_EQ(images->Read(&frame), ReadStatus::kOk) << images->error();
    EXPECT_EQ(frame.index, k);
    EXPECT_EQ(frame.media_time_ns, k * 100'000'000);
    EXPECT_EQ(frame.bgr.at<cv::Vec3b>(0, 0), cv::Vec3b(k + 1, 2 * (k + 1), 3 * (k + 1)));  // lossless PNG
  }
  EXPECT_EQ(images->Read(&frame), ReadStatus::kEnd);
}

TEST(ImageSequenceSource, ReadsADirectoryInNameOrder) {
  testing::ScratchDir dir;
  WriteImages(dir, "b_%d.png", 2, 1);
  WriteImages(dir, "a_%d.png", 1, 1);
  { std::ofstream(dir.File("notes.txt")) << "not an image"; }
  std::string error;
  auto images = ImageSequenceSource::Open(dir.path(), {}, &error);
  ASSERT_TRUE(images) << error;
  Frame frame;
  ASSERT_EQ(images->Read(&frame), ReadStatus::kOk);
  EXPECT_EQ(frame.bgr.at<cv::Vec3b>(0, 0)[0], 1);
  ASSERT_EQ(images->Read(&frame), ReadStatus::kOk);
  EXPECT_EQ(frame.bgr.at<cv::Vec3b>(0, 0)[0], 2);
  EXPECT_EQ(images->Read(&frame), ReadStatus::kEnd);
}

TEST(ImageSequenceSource, NamesTheFileThatCannotBeRead) {
  testing::ScratchDir dir;
  WriteImages(dir, "f%d.png", 0, 3);
  WriteImages(dir, "f%d.png", 3, 1, {64, 48});
  { std::ofstream(dir.File("f1.png")) << "\x89PNG truncated"; }
  std::string error;
  auto images = ImageSequenceSource::Open(dir.File("f%d.png"), {}, &error);
  ASSERT_TRUE(images) << error;
  Frame frame;
  EXPECT_EQ(images->Read(&frame), ReadStatus::kOk);
  EXPECT_EQ(images->Read(&frame), ReadStatus::kError);
  EXPECT_NE(images->error().find("f1.png: not a readable image"), std::string::npos) << images->error();
  EXPECT_EQ(images->Read(&frame), ReadStatus::kOk) << "a caller may go on past a bad frame";
  EXPECT_EQ(images->Read(&frame), ReadStatus::kError);
  EXPECT_NE(images->error().find("f3.png: 64x48, but the sequence started at 32x24"), std::string::npos)
      << images->error();
}

TEST(ImageSequenceSource, RejectsTargetsThatAreNotSequences) {
  testing::ScratchDir dir;
  std::string error;
  EXPECT_FALSE(ImageSequenceSource::Open(dir.path(), {}, &error));
  EXPECT_NE(error.find("no image files"), std::string::npos) << error;
  EXPECT_FALSE(ImageSequenceSource::Open(dir.File("x_%04d.png"), {}, &error));
  EXPECT_NE(error.find("no file matches"), std::string::npos) << error;
  EXPECT_FALSE(ImageSequenceSource::Open(dir.File("x_%s.png"), {}, &error));
  EXPECT_NE(error.find("one %d"), std::string::npos) << error;
  EXPECT_FALSE(ImageSequenceSource::Open(dir.File("x_%d_%d.png"), {}, &error));
  EXPECT_FALSE(ImageSequenceSource::Open(dir.path(), {.fps = 0}, &error));
  EXPECT_NE(error.find("frame rate"), std::string::npos) << error;
}

}  // namespace
}  // namespace edgefuse::vision
