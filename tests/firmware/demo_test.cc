// `edgefuse demo` and `edgefuse run` in-process, without camera or microphone: the
// generated scene at full speed into the annotated video file (read back with
// OpenCV), the summary, and one-line errors for bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <opencv2/videoio.hpp>
#include <string>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/fusion/fusion_model.h"
#include "platform/file.h"
#include "platform/video_devices.h"
#include "tests/firmware/run_edgefuse.h"
#include "tests/support/test_support.h"

namespace edgefuse::app {
namespace {

int CountFrames(const std::string& path) {
  cv::VideoCapture capture(path);
  if (!capture.isOpened()) return -1;
  int frames = 0;
  cv::Mat frame;
  while (capture.read(frame)) {
    EXPECT_EQ(frame.cols, 320);
    EXPECT_EQ(frame.rows, 240);
    ++frames;
  }
  return frames;
}

// Runs in a fresh private directory and returns to the previous one afterwards.
class InTempDir {
 public:
  InTempDir() : previous_(std::filesystem::current_path()) { std::filesystem::current_path(scratch_.path()); }
  ~InTempDir() { std::filesystem::current_path(previous_); }
  std::filesystem::path dir() const { return scratch_.path(); }

 private:
  std::filesystem::path previous_;
  testing::ScratchDir scratch_;
};

const std::vector<std::string> kSmall = {"--set", "sources.video.width=320",       "--set", "sources.video.height=240",
                                         "--set", "sources.synthetic.duration_s=4"};

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(DemoCommand, GeneratedSceneWritesTheAnnotatedVideoAndASummary) {
  InTempDir dir;
  const CliResult run = RunEdgefuse(With({"demo", "--synthetic", "--no-window"}, kSmall));
  ASSERT_EQ(run.status, kExitOk) << run.err;
  const std::string video = (dir.dir() / "edgefuse-demo.avi").string();
  ASSERT_TRUE(std::filesystem::exists(video)) << run.out;
  EXPECT_EQ(CountFrames(video), 120);
  EXPECT_NE(run.out.find("frames: 120 fused of 120 captured"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("latency capture to result: p50 "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("drops: 0 frames"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("localization (after 2 s): "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("sink video: 120 written, 0 dropped, 0 errors -> edgefuse-demo.avi"), std::string::npos)
      << run.out;
}

TEST(DemoCommand, RecordPathAndSeedFromTheConfiguration) {
  InTempDir dir;
  const std::string path = (dir.dir() / "seven.avi").string();
  const CliResult run =
      RunEdgefuse(With({"demo", "--synthetic", "--no-window", "--seed", "7", "--record", path}, kSmall));
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(CountFrames(path), 120);
  EXPECT_FALSE(std::filesystem::exists(dir.dir() / "edgefuse-demo.avi"));
  EXPECT_NE(run.out.find("seed 7:"), std::string::npos) << run.out;
}

TEST(DemoCommand, AutoWithoutCameraUsesTheGeneratedScene) {
  for (const auto& device : platform::ListVideoDevices()) {
    if (device.capture) GTEST_SKIP() << "this machine has a camera (" << device.path << ")";
  }
  InTempDir dir;
  const CliResult run = RunEdgefuse(With({"demo", "--no-window"}, kSmall));
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_NE(run.out.find("demo: generated scene"), std::string::npos) << run.out;
  EXPECT_EQ(CountFrames((dir.dir() / "edgefuse-demo.avi").string()), 120);
}

TEST(DemoCommand, BadInputIsOneLineAndStatusTwo) {
  CliResult run = RunEdgefuse({"demo", "--set", "sources.synthetic.duration_s=soon"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(Lines(run.err), 1) << run.err;
  run = RunEdgefuse({"run", "--video", "/nonexistent/clip.mp4", "--audio", "/nonexistent/a.wav"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(Lines(run.err), 1) << run.err;
  EXPECT_NE(run.err.find("video source: "), std::string::npos) << run.err;
  run = RunEdgefuse({"run", "--nonsense"});
  EXPECT_EQ(run.status, kExitUsage);
  run = RunEdgefuse({"demo", "--set", "fusion.model=/nonexistent/fusion.safetensors"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(Lines(run.err), 1) << run.err;
  EXPECT_NE(run.err.find("fusion.model: /nonexistent/fusion.safetensors"), std::string::npos) << run.err;
}

TEST(RunCommand, LearnedFusionWeightsFromAModelFile) {
  // The built-in weights saved as a model file: the run takes them in place of its own.
  const testing::ScratchDir dir;
  const std::string model = dir.File("model.safetensors");
  std::string error;
  ASSERT_TRUE(platform::WriteFileBytes(model, fusion::SerializeFusionModel(fusion::BuiltinFusionModel(60)), &error))
      << error;
  const std::string jsonl = dir.File("run.jsonl");
  CliResult run = RunEdgefuse(
      With({"run", "--synthetic", "--no-window", "--duration", "1", "--jsonl", jsonl, "--set",
            "sources.video.width=160", "--set", "sources.video.height=120", "--set", "fusion.model=" + model},
           {}));
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_NE(run.out.find("sink jsonl: "), std::string::npos) << run.out;
  // A model for another window is refused before anything opens.
  ASSERT_TRUE(platform::WriteFileBytes(model, fusion::SerializeFusionModel(fusion::BuiltinFusionModel(30)), &error))
      << error;
  run = RunEdgefuse({"run", "--synthetic", "--no-window", "--duration", "1", "--set", "fusion.model=" + model});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(Lines(run.err), 1) << run.err;
  EXPECT_NE(run.err.find("embed_dim 60"), std::string::npos) << run.err;
}

TEST(RunCommand, PacedGeneratedSceneForADuration) {
  const testing::ScratchDir dir;
  const std::string jsonl = dir.File("run.jsonl");
  const CliResult run = RunEdgefuse(With({"run", "--synthetic", "--no-window", "--duration", "1", "--jsonl", jsonl,
                                          "--set", "sources.video.width=160", "--set", "sources.video.height=120"},
                                         {}));
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_NE(run.out.find("run: generated scene"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("sink jsonl: "), std::string::npos) << run.out;
}

}  // namespace
}  // namespace edgefuse::app
