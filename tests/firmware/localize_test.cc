// `edgefuse scene` then `edgefuse localize`, in-process: the output format line by line,
// and the error cases (one line on stderr, exit status 2).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

#include "firmware/app/cli.h"
#include "firmware/fusion/fusion_model.h"
#include "platform/file.h"
#include "tests/firmware/run_edgefuse.h"
#include "tests/support/test_support.h"

namespace edgefuse::app {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class LocalizeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::ScratchDir();
    const CliResult run =
        RunEdgefuse({"scene", "--seed", "5", "--duration", "3", "--offset-ms", "30", "--out-video", dir_->File("s.avi"),
                     "--out-audio", dir_->File("s.wav"), "--truth", dir_->File("t.jsonl")});
    ASSERT_EQ(run.status, kExitOk) << run.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static testing::ScratchDir* dir_;
};
testing::ScratchDir* LocalizeTest::dir_ = nullptr;

TEST_F(LocalizeTest, SceneWritesTruthPerFrame) {
  const auto truth = ReadLines(dir_->File("t.jsonl"));
  ASSERT_EQ(truth.size(), 90u);
  const std::regex line(
      R"(\{"frame": \d+, "t": [0-9.]+, "audible": (true|false), "source_object": \d, "box": \[\d+, \d+, \d+, \d+\]\})");
  for (const auto& l : truth) EXPECT_TRUE(std::regex_match(l, line)) << l;
}

TEST_F(LocalizeTest, OneJsonLinePerFrame) {
  const CliResult run = RunEdgefuse({"localize", "--video", dir_->File("s.avi"), "--audio", dir_->File("s.wav"),
                                     "--out", dir_->File("r.jsonl"), "--audio-offset", "30"});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(Lines(run.err), 1) << run.err;
  EXPECT_NE(run.err.find("90 frames"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("real time"), std::string::npos) << run.err;
  const auto lines = ReadLines(dir_->File("r.jsonl"));
  ASSERT_EQ(lines.size(), 90u);
  const std::regex format(
      R"(\{"t": ([0-9]+\.[0-9]{6}), "source": (true|false), "x": ([0-9.]+), "y": ([0-9.]+), "confidence": ([0-9.]+)\})");
  int sources = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(lines[i], m, format)) << lines[i];
    EXPECT_NEAR(std::stod(m[1]), static_cast<double>(i) / 30.0, 1e-5);
    for (int g = 3; g <= 5; ++g) {
      EXPECT_GE(std::stod(m[g]), 0.0) << lines[i];
      EXPECT_LE(std::stod(m[g]), 1.0) << lines[i];
    }
    sources += m[2] == "true" ? 1 : 0;
  }
  // The scene sounds for most of its 3 s: the fusion reports a source after warming up.
  EXPECT_GT(sources, 10);
}

TEST_F(LocalizeTest, ModelFileWithTheBuiltinWeightsGivesTheBuiltinResults) {
  std::string error;
  ASSERT_TRUE(platform::WriteFileBytes(dir_->File("m.safetensors"),
                                       fusion::SerializeFusionModel(fusion::BuiltinFusionModel(60)), &error))
      << error;
  const std::vector<std::string> common = {"localize", "--video",           dir_->File("s.avi"),
                                           "--audio",  dir_->File("s.wav"), "--audio-offset",
                                           "30",       "--precision",       "f32"};
  std::vector<std::string> builtin = common, learned = common;
  builtin.insert(builtin.end(), {"--out", dir_->File("b.jsonl")});
  learned.insert(learned.end(), {"--out", dir_->File("m.jsonl"), "--model", dir_->File("m.safetensors")});
  ASSERT_EQ(RunEdgefuse(builtin).status, kExitOk);
  const CliResult run = RunEdgefuse(learned);
  ASSERT_EQ(run.status, kExitOk) << run.err;
  const auto a = ReadLines(dir_->File("b.jsonl")), b = ReadLines(dir_->File("m.jsonl"));
  ASSERT_EQ(a.size(), 90u);
  ASSERT_EQ(b.size(), 90u);
  // The same map; the position (the map's soft argmax here, the values there) agrees
  // to the printed 4 decimals up to a last-digit rounding.
  const std::regex format(R"(\{"t": ([0-9.]+), "source": (true|false), "x": ([0-9.]+), "y": ([0-9.]+), .*)");
  for (size_t i = 0; i < a.size(); ++i) {
    std::smatch ma, mb;
    ASSERT_TRUE(std::regex_match(a[i], ma, format)) << a[i];
    ASSERT_TRUE(std::regex_match(b[i], mb, format)) << b[i];
    EXPECT_EQ(ma[2], mb[2]) << i;
    EXPECT_NEAR(std::stod(ma[3]), std::stod(mb[3]), 1.5e-4) << i;
    EXPECT_NEAR(std::stod(ma[4]), std::stod(mb[4]), 1.5e-4) << i;
  }
}

TEST_F(LocalizeTest, ErrorsAreOneLineWithStatus2) {
  const std::string out = dir_->File("e.jsonl");
  const std::vector<std::vector<std::string>> cases = {
      {"localize", "--video", dir_->File("missing.avi"), "--audio", dir_->File("s.wav"), "--out", out},
      {"localize", "--video", dir_->File("s.avi"), "--audio", dir_->File("missing.wav"), "--out", out},
      {"localize", "--video", dir_->File("s.avi"), "--audio", dir_->File("short.wav"), "--out", out},
      {"localize", "--video", dir_->File("s.wav"), "--audio", dir_->File("s.wav"), "--out", out},
      {"localize", "--video", dir_->File("s.avi"), "--audio", dir_->File("s.wav")},
      {"localize", "--video", dir_->File("s.avi"), "--audio", dir_->File("s.wav"), "--out", out, "--precision", "f64"},
      {"localize", "--video", dir_->File("s.avi"), "--audio", dir_->File("s.wav"), "--out", out, "--window-frames",
       "3"},
      {"scene", "--seed", "1", "--out-video", dir_->File("x.avi"), "--out-audio", dir_->File("x.wav"), "--objects",
       "9"},
      {"localize", "--video", dir_->File("s.avi"), "--audio", dir_->File("s.wav"), "--out", out, "--model",
       dir_->File("missing.safetensors")},
      {"localize", "--video", dir_->File("s.avi"), "--audio", dir_->File("s.wav"), "--out", out, "--model",
       dir_->File("s.wav")},
  };
  {
    // A WAV truncated inside its header.
    std::ifstream in(dir_->File("s.wav"), std::ios::binary);
    std::string bytes(30, '\0');
    in.read(bytes.data(), 30);
    std::ofstream(dir_->File("short.wav"), std::ios::binary).write(bytes.data(), 30);
  }
  for (const auto& args : cases) {
    const CliResult run = RunEdgefuse(args);
    EXPECT_EQ(run.status, kExitUsage) << args[2] << ": " << run.err;
    EXPECT_EQ(Lines(run.err), 1) << run.err;
  }
}

}  // namespace
}  // namespace edgefuse::app
