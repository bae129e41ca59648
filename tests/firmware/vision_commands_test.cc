// `edgefuse features image` and `edgefuse devices` as a user runs them: output files,
// exit statuses and one-line errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "core/format/npy.h"
#include "core/json/json.h"
#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/files/tensor_files.h"
#include "modalities/vision/frontend_settings.h"
#include "tests/firmware/run_edgefuse.h"
#include "tests/support/test_support.h"

namespace edgefuse::app {
namespace {

std::string Temp(const std::string& name) {
  static const testing::ScratchDir dir;  // private to this process, removed at exit
  return dir.File(name);
}

TEST(FeaturesImage, WritesDequantizedTokensAndTruthForTheSyntheticScene) {
  const std::string out = Temp("tokens.npy"), truth = Temp("truth.jsonl");
  const CliResult run = RunEdgefuse({"features", "image", "--synthetic", "5", "--frames", "12", "--width", "320",
                                     "--height", "240", "--out", out, "--truth", truth});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_NE(run.out.find("12 x 192 x 8 float32"), std::string::npos) << run.out;
  core::NpyArray tokens;
  std::string error;
  ASSERT_TRUE(files::ReadNpyFile(out, &tokens, &error)) << error;
  EXPECT_EQ(tokens.dtype, core::NpyDType::kFloat32);
  EXPECT_EQ(tokens.shape, (std::vector<int64_t>{12, 192, 8}));
  EXPECT_EQ(tokens.f32[vision::frontend::kCentreX], 1.0f / 32) << "patch 0's centre";
  EXPECT_EQ(tokens.f32[vision::frontend::kMotion], 0.0f) << "no motion on the first frame";
  std::ifstream lines(truth);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    core::Json json;
    ASSERT_TRUE(core::ParseJson(line, &json, &error)) << error;
    EXPECT_EQ(json.Find("frame")->AsInt(), count++);
    EXPECT_EQ(json.Find("objects")->Items().size(), 3u);
  }
  EXPECT_EQ(count, 12);
  std::filesystem::remove(out);
  std::filesystem::remove(truth);
}

TEST(FeaturesImage, ReadsAVideoFileToTheEnd) {
  const std::string video = Temp("clip.avi"), out = Temp("video.npy");
  {
    cv::VideoWriter writer(video, cv::CAP_FFMPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, cv::Size(64, 48));
    ASSERT_TRUE(writer.isOpened());
    for (int k = 0; k < 7; ++k) writer.write(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(20 * k)));
  }
  const CliResult run = RunEdgefuse({"features", "image", "--video", video, "--out", out});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  core::NpyArray tokens;
  std::string error;
  ASSERT_TRUE(files::ReadNpyFile(out, &tokens, &error)) << error;
  EXPECT_EQ(tokens.shape, (std::vector<int64_t>{7, 192, 8}));
  std::filesystem::remove(video);
  std::filesystem::remove(out);
}

TEST(FeaturesImage, BadInputIsOneLineWithStatus2) {
  const std::string out = Temp("never.npy");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"features", "image", "--out", out}, "exactly one of"},
      {{"features", "image", "--synthetic", "1", "--video", "x.mp4", "--out", out}, "exactly one of"},
      {{"features", "image", "--synthetic", "1"}, "--out FILE is required"},
      {{"features", "image", "--video", "/nonexistent/clip.mp4", "--out", out},
       "/nonexistent/clip.mp4: No such file or directory"},
      {{"features", "image", "--synthetic", "1", "--grid", "15x12", "--out", out}, "multiple of 8"},
      {{"features", "image", "--synthetic", "1", "--grid", "sixteen", "--out", out}, "--grid wants WxH"},
      {{"features", "image", "--video", "x.mp4", "--truth", "t.jsonl", "--out", out}, "--truth needs --synthetic"},
      {{"features", "image", "--synthetic", "-3", "--out", out}, "--synthetic wants a seed"},
      {{"features", "sound"}, "unknown kind 'sound'"},
  };
  for (const auto& [args, message] : cases) {
    const CliResult run = RunEdgefuse(args);
    EXPECT_EQ(run.status, kExitUsage) << run.err;
    EXPECT_NE(run.err.find(message), std::string::npos) << run.err;
    EXPECT_EQ(Lines(run.err), 1) << run.err;
  }
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(FeaturesImage, ACameraThatCannotOpenIsADeviceFailure) {
  const CliResult run = RunEdgefuse({"features", "image", "--camera", "/dev/video63", "--out", Temp("cam.npy")});
  EXPECT_EQ(run.status, kExitFailure);
  EXPECT_EQ(run.err, "edgefuse: camera 63 (/dev/video63): no such device\n");
}

TEST(Devices, ListsCamerasAndPresetsAsJson) {
  const CliResult run = RunEdgefuse({"devices", "--json"});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  core::Json json;
  std::string error;
  ASSERT_TRUE(core::ParseJson(run.out, &json, &error)) << error;
  const core::Json* cameras = json.Find("cameras");
  ASSERT_NE(cameras, nullptr);
  ASSERT_TRUE(cameras->IsArray());
  bool videotest_usable = false;
  for (const auto& camera : cameras->Items()) {
    if (camera.Find("name")->AsString() == "videotest") videotest_usable = camera.Find("usable")->AsBool();
  }
  EXPECT_TRUE(videotest_usable) << "gstreamer1.0-plugins-base is a dependency";
  const CliResult text = RunEdgefuse({"devices"});
  EXPECT_EQ(text.status, kExitOk);
  EXPECT_NE(text.out.find("videotest"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace edgefuse::app
