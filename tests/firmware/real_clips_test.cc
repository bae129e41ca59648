// `edgefuse localize --video CLIP --out R.jsonl`, no --audio, on real clips from
// Debian's packages (MP4 and QuickTime with AAC, QuickTime and MPEG-PS with MP2, WebM,
// Matroska, Ogg, 3GPP, FLV; tests/firmware/testdata/fetch-real-clips.sh puts them in
// the cache, EDGEFUSE_CLIPS_CACHE or ~/.cache/edgefuse/clips). The real binary, in its
// own process, as a user runs it: exit status 0, nothing on stderr but the summary (and
// the frame-count warning), the sound taken from the clip itself, and exactly one JSON
// line per frame that OpenCV decodes from the clip, counted here independently.
// Host only (the test starts a host program).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <opencv2/videoio.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

namespace {

constexpr int kTimeoutS = 120;

std::string CacheDir() {
  if (const char* dir = std::getenv("EDGEFUSE_CLIPS_CACHE"); dir != nullptr && *dir != '\0') return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/edgefuse/clips";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : "") + "/.cache/edgefuse/clips";
}

struct Clip {
  std::string name;
  std::string package;  // name=version
  std::string what;
};

std::vector<Clip> ReadManifest(const std::string& path) {
  std::vector<Clip> clips;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::stringstream split(line);
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    if (fields.size() == 4) clips.push_back({fields[0], fields[1], fields[3]});
  }
  return clips;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Exit {
  int status = -1;  // exit status; -signal; -1000 after the timeout
  std::string err;
};

// The real binary with stdout and stderr in files of dir.
Exit RunBinary(const std::vector<std::string>& args, const std::string& dir) {
  const std::string out = dir + "/stdout", err = dir + "/stderr";
  const pid_t pid = fork();
  if (pid == 0) {
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(EDGEFUSE_BINARY));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(EDGEFUSE_BINARY, argv.data());
    _exit(127);
  }
  Exit run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kTimeoutS);
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      run.status = -1000;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  run.err = ReadText(err);
  return run;
}

// Frames OpenCV's FFmpeg back end decodes from the clip: what localize must report on.
int DecodedFrames(const std::string& path) {
  cv::VideoCapture capture(path, cv::CAP_FFMPEG);
  if (!capture.isOpened()) return -1;
  int frames = 0;
  for (cv::Mat frame; capture.read(frame) && !frame.empty();) ++frames;
  return frames;
}

int CountLines(const std::string& path) {
  std::ifstream in(path);
  int lines = 0;
  for (std::string line; std::getline(in, line);) {
    EXPECT_EQ(line.rfind("{\"t\": ", 0), 0u) << line;
    ++lines;
  }
  return lines;
}

TEST(RealClips, LocalizeTakesTheClipsOwnSoundOneResultPerDecodedFrame) {
  const std::string cache = CacheDir();
  const std::vector<Clip> clips = ReadManifest(cache + "/clips.tsv");
  // Count what ran: an empty or partial cache must not pass.
  ASSERT_GE(clips.size(), 10u) << cache
                               << "/clips.tsv lists too few clips; run tests/firmware/testdata/fetch-real-clips.sh";
  int ran = 0;
  for (const Clip& clip : clips) {
    SCOPED_TRACE(clip.name + " (" + clip.package + ")");
    const std::string path = cache + "/" + clip.name;
    const int decoded = DecodedFrames(path);
    ASSERT_GT(decoded, 0) << path;
    const edgefuse::testing::ScratchDir dir;
    const std::string out = dir.File("r.jsonl");
    const auto start = std::chrono::steady_clock::now();
    const Exit run = RunBinary({"localize", "--video", path, "--out", out}, dir.path());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(run.status, 0) << run.err;
    // stderr: the summary, after the warning when the header's count is off; nothing else.
    const std::regex summary("edgefuse: localize: " + std::to_string(decoded) +
                             R"( frames \([0-9.]+ s of video\) in [0-9.]+ s, [0-9.]+x real time \(int8\); )"
                             R"(sound: audio track of .* \(.*[0-9]+ Hz, [0-9]+ ch, [0-9.]+ s\))");
    const std::regex warning("edgefuse: warning: .*: the header announces [0-9]+ frames, " + std::to_string(decoded) +
                             R"( decoded \(up to [0-9.]+ s\))");
    int summaries = 0;
    std::stringstream lines(run.err);
    for (std::string line; std::getline(lines, line);) {
      if (std::regex_match(line, summary)) {
        ++summaries;
      } else {
        EXPECT_TRUE(std::regex_match(line, warning)) << "unexpected on stderr: " << line;
      }
    }
    EXPECT_EQ(summaries, 1) << run.err;
    EXPECT_EQ(run.err.find(" 0.00 s)"), std::string::npos) << "no sound decoded: " << run.err;
    EXPECT_EQ(CountLines(out), decoded);
    std::printf("[edgefuse] %-22s %4d frames, %5.2f s  %s\n", clip.name.c_str(), decoded, seconds, clip.what.c_str());
    ++ran;
  }
  EXPECT_EQ(ran, static_cast<int>(clips.size()));
}

}  // namespace
