// `edgefuse localize` (and `run`) on media files as phones and cameras write them,
// in-process: the sound taken from the video file itself when --audio is not given, the
// frames placed at their presentation times (variable frame rate), a header whose
// frame count is wrong (a warning, exit 0), and the files that remain errors (no
// decodable frame, no sound track: one line, exit status 2).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <regex>
#include <string>
#include <vector>

#include "firmware/app/cli.h"
#include "modalities/audio/wav.h"
#include "modalities/vision/file_sources.h"
#include "platform/file.h"
#include "tests/firmware/run_edgefuse.h"
#include "tests/support/media_files.h"
#include "tests/support/test_support.h"

namespace edgefuse::app {
namespace {

// The test writes videos through OpenCV before edgefuse opens any: FFmpeg's log is
// quieted first, as VideoFileSource::Open does, so stderr holds edgefuse's lines only.
const bool kFfmpegQuiet = (vision::QuietFfmpegLog(), true);

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The "t" of every result line.
std::vector<double> Times(const std::vector<std::string>& lines) {
  const std::regex format(
      R"(\{"t": (-?[0-9]+\.[0-9]{6}), "source": (true|false), "x": [0-9.]+, "y": [0-9.]+, "confidence": [0-9.]+\})");
  std::vector<double> t;
  for (const auto& line : lines) {
    std::smatch m;
    EXPECT_TRUE(std::regex_match(line, m, format)) << line;
    t.push_back(m.empty() ? -1.0 : std::stod(m[1]));
  }
  return t;
}

// A 440 Hz tone of `seconds` at 16 kHz, as a branch for a muxed sound track.
std::string ToneBranch(double seconds) {
  const int buffers = static_cast<int>(std::ceil(seconds * 16000 / 800));
  return "audiotestsrc wave=sine freq=440 volume=0.4 samplesperbuffer=800 num-buffers=" + std::to_string(buffers) +
         " ! audio/x-raw,rate=16000,channels=1 ! audioconvert ! mux.";
}

void WriteWavTone(const std::string& path, double seconds) {
  std::vector<int16_t> samples(static_cast<size_t>(seconds * 16000));
  for (size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<int16_t>(8000 * std::sin(i * 0.17));
  std::string error;
  ASSERT_TRUE(platform::WriteFileBytes(path, audio::SerializeWavPcm16(samples, 16000), &error)) << error;
}

// MJPG in AVI through OpenCV: its header announces every frame written.
void WriteAvi(const std::string& path, int frames) {
  cv::VideoWriter writer(path, cv::CAP_FFMPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15.0, cv::Size(160, 120));
  ASSERT_TRUE(writer.isOpened()) << path;
  for (int k = 0; k < frames; ++k) {
    cv::Mat frame(120, 160, CV_8UC3, cv::Scalar(60, 90, 120));
    cv::rectangle(frame, cv::Rect(4 * k, 0, 4, 120), cv::Scalar::all(255), cv::FILLED);
    writer.write(frame);
  }
}

int DecodableFrames(const std::string& path) {
  cv::VideoCapture capture(path, cv::CAP_FFMPEG);
  int frames = 0;
  for (cv::Mat frame; capture.read(frame);) ++frames;
  return frames;
}

TEST(LocalizeMedia, VariableFrameRateKeepsTheContainerTimestamps) {
  // Intervals of 20 to 90 ms, as a phone writes when the light changes, with the
  // file's own sound: no --audio.
  std::vector<int64_t> pts;
  int64_t t = 0;
  const int64_t steps_ms[] = {33, 20, 90, 33, 45, 33, 66, 21};
  for (int k = 0; k < 60; ++k, t += steps_ms[k % 8] * 1'000'000) pts.push_back(t);
  testing::ScratchDir dir;
  const std::string clip = dir.File("vfr.mkv");
  std::string error;
  ASSERT_TRUE(testing::WriteTimestampedVideo(clip, pts, {.audio_branch = ToneBranch(3.0)}, &error)) << error;

  const CliResult run = RunEdgefuse({"localize", "--video", clip, "--out", dir.File("r.jsonl")});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  // Matroska has no frame count: OpenCV's estimate (duration x nominal rate) is off
  // for a variable rate, which is a warning before the summary.
  EXPECT_LE(Lines(run.err), 2) << run.err;
  EXPECT_EQ(run.err.find("error"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("edgefuse: localize: 60 frames"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("sound: audio track of " + clip), std::string::npos) << run.err;
  const std::vector<double> times = Times(ReadLines(dir.File("r.jsonl")));
  ASSERT_EQ(times.size(), pts.size());
  for (size_t k = 0; k < pts.size(); ++k) {
    EXPECT_NEAR(times[k], static_cast<double>(pts[k]) * 1e-9, 1.5e-6) << "frame " << k;
  }
  // Not n / fps: the container's times.
  EXPECT_GT(std::abs(times.back() - (times.size() - 1) / 30.0), 0.1);
}

TEST(LocalizeMedia, HeaderAnnouncingMoreFramesIsAWarningWithWhatWasRead) {
  testing::ScratchDir dir;
  const std::string clip = dir.File("cut.avi");
  WriteAvi(clip, 30);
  std::filesystem::resize_file(clip, std::filesystem::file_size(clip) * 6 / 10);
  const int decodable = DecodableFrames(clip);
  ASSERT_GT(decodable, 0);
  ASSERT_LT(decodable, 30);
  WriteWavTone(dir.File("tone.wav"), 3.0);

  const CliResult run =
      RunEdgefuse({"localize", "--video", clip, "--audio", dir.File("tone.wav"), "--out", dir.File("r.jsonl")});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_EQ(Lines(run.err), 2) << run.err;  // the warning, then the summary
  const std::string warning = "edgefuse: warning: " + clip + ": the header announces 30 frames, " +
                              std::to_string(decodable) + " decoded (up to ";
  EXPECT_EQ(run.err.rfind(warning, 0), 0u) << run.err;
  EXPECT_NE(run.err.find(std::to_string(decodable) + " frames ("), std::string::npos) << run.err;
  EXPECT_EQ(ReadLines(dir.File("r.jsonl")).size(), static_cast<size_t>(decodable));
}

TEST(LocalizeMedia, NoDecodableFrameIsStillAnError) {
  testing::ScratchDir dir;
  const std::string clip = dir.File("head.avi");
  WriteAvi(clip, 30);
  // The headers survive, and the first 100 bytes of the first frame.
  const std::string bytes = [&] {
    std::ifstream in(clip, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  const size_t movi = bytes.find("movi");
  ASSERT_NE(movi, std::string::npos);
  std::filesystem::resize_file(clip, movi + 100);
  WriteWavTone(dir.File("tone.wav"), 1.0);
  const CliResult run =
      RunEdgefuse({"localize", "--video", clip, "--audio", dir.File("tone.wav"), "--out", dir.File("r.jsonl")});
  EXPECT_EQ(run.status, kExitUsage) << run.err;
  EXPECT_EQ(Lines(run.err), 1) << run.err;
  EXPECT_NE(run.err.find(clip), std::string::npos) << run.err;
}

TEST(LocalizeMedia, SoundFromTheVideoFileOrAnyMediaFile) {
  testing::ScratchDir dir;
  std::vector<int64_t> pts;
  for (int k = 0; k < 45; ++k) pts.push_back(k * 66'666'667LL);
  const std::string with_sound = dir.File("clip.mkv");
  const std::string silent = dir.File("silent.mkv");
  std::string error;
  ASSERT_TRUE(testing::WriteTimestampedVideo(with_sound, pts, {.audio_branch = ToneBranch(3.0)}, &error)) << error;
  ASSERT_TRUE(testing::WriteTimestampedVideo(silent, pts, {}, &error)) << error;
  ASSERT_TRUE(
      testing::RunGstLaunch("audiotestsrc num-buffers=60 samplesperbuffer=800 ! audio/x-raw,rate=16000 ! "
                            "audioconvert ! vorbisenc ! oggmux ! filesink location=" +
                                dir.File("sound.ogg"),
                            &error))
      << error;

  // The file's own track, and the same sound from the video file named as --audio.
  const CliResult own = RunEdgefuse({"localize", "--video", with_sound, "--out", dir.File("own.jsonl")});
  ASSERT_EQ(own.status, kExitOk) << own.err;
  const CliResult named =
      RunEdgefuse({"localize", "--video", silent, "--audio", with_sound, "--out", dir.File("named.jsonl")});
  ASSERT_EQ(named.status, kExitOk) << named.err;
  EXPECT_EQ(ReadLines(dir.File("own.jsonl")).size(), 45u);
  // The same pictures and the same sound: the same results.
  EXPECT_EQ(ReadLines(dir.File("own.jsonl")), ReadLines(dir.File("named.jsonl")));
  // An Ogg Vorbis file as --audio.
  const CliResult ogg =
      RunEdgefuse({"localize", "--video", silent, "--audio", dir.File("sound.ogg"), "--out", dir.File("ogg.jsonl")});
  ASSERT_EQ(ogg.status, kExitOk) << ogg.err;
  EXPECT_NE(ogg.err.find("Vorbis"), std::string::npos) << ogg.err;

  // A video without sound and no --audio: one line naming the file, status 2.
  const CliResult none = RunEdgefuse({"localize", "--video", silent, "--out", dir.File("none.jsonl")});
  EXPECT_EQ(none.status, kExitUsage);
  EXPECT_EQ(none.err, "edgefuse: " + silent + ": the file has no audio track\n");
  const CliResult missing =
      RunEdgefuse({"localize", "--video", silent, "--audio", dir.File("no.mp3"), "--out", dir.File("x.jsonl")});
  EXPECT_EQ(missing.status, kExitUsage);
  EXPECT_EQ(missing.err, "edgefuse: " + dir.File("no.mp3") + ": No such file or directory\n");
}

TEST(RunMedia, VideoFilePlaysWithItsOwnSound) {
  testing::ScratchDir dir;
  std::vector<int64_t> pts;
  for (int k = 0; k < 30; ++k) pts.push_back(k * 33'333'333LL);
  const std::string clip = dir.File("clip.mkv");
  std::string error;
  ASSERT_TRUE(testing::WriteTimestampedVideo(clip, pts, {.audio_branch = ToneBranch(1.0)}, &error)) << error;
  const CliResult run = RunEdgefuse({"run", "--video", clip, "--no-window", "--jsonl", dir.File("r.jsonl"), "--set",
                                     "frontends.vision.width=160", "--set", "frontends.vision.height=120", "--set",
                                     "frontends.vision.grid_w=16", "--set", "frontends.vision.grid_h=12"});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  EXPECT_NE(run.out.find("run: " + clip + " + audio track of " + clip + " ("), std::string::npos) << run.out;
  EXPECT_TRUE(std::regex_search(run.out, std::regex("audio: (9[0-9]|1[0-9][0-9]) hops"))) << run.out;
  EXPECT_GE(ReadLines(dir.File("r.jsonl")).size(), 25u);

  // Without a sound track, "auto" cannot find one: a one-line error.
  const std::string silent = dir.File("silent.mkv");
  ASSERT_TRUE(testing::WriteTimestampedVideo(silent, pts, {}, &error)) << error;
  const CliResult none = RunEdgefuse({"run", "--video", silent, "--no-window"});
  EXPECT_EQ(none.status, kExitUsage);
  EXPECT_EQ(Lines(none.err), 1) << none.err;
  EXPECT_NE(none.err.find(silent + ": the file has no audio track"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace edgefuse::app
