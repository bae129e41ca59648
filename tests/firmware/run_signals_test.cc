// SIGTERM and SIGINT end a running `edgefuse run --synthetic` (paced in real time)
// within a second, with exit status 0 and the summary printed. The real binary in
// its own process, so that the signal reaches it as it would from systemd or a
// terminal. Host only (the test starts a host program).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "platform/clock.h"
#include "tests/support/test_support.h"

namespace {

struct Exit {
  bool exited = false;
  int status = -1;
  double seconds_after_signal = 0.0;
  std::string out;
};

Exit RunAndSignal(int signal_number, const std::string& out_path) {
  Exit result;
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    execl(EDGEFUSE_BINARY, EDGEFUSE_BINARY, "run", "--synthetic", "--no-window", "--set", "sources.video.width=320",
          "--set", "sources.video.height=240", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Long enough for the pipeline to be running (the scene lasts 20 s).
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const int64_t sent = edgefuse::platform::MonotonicNowNs();
  kill(pid, signal_number);
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    const int64_t now = edgefuse::platform::MonotonicNowNs();
    if (done == pid) {
      result.exited = WIFEXITED(status);
      result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      result.seconds_after_signal = edgefuse::platform::NsToSeconds(now - sent);
      break;
    }
    if (now - sent > 5'000'000'000) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.seconds_after_signal = 5.0;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::ifstream file(out_path);
  std::stringstream text;
  text << file.rdbuf();
  result.out = text.str();
  return result;
}

void CheckStop(int signal_number, const char* name) {
  const edgefuse::testing::ScratchDir dir;
  const Exit exit = RunAndSignal(signal_number, dir.File("run.out"));
  EXPECT_TRUE(exit.exited) << name;
  EXPECT_EQ(exit.status, 0) << name;
  EXPECT_LT(exit.seconds_after_signal, 1.0) << name;
  EXPECT_NE(exit.out.find(", stopped"), std::string::npos) << exit.out;
  std::printf("%s: exit %d after %.3f s\n", name, exit.status, exit.seconds_after_signal);
}

TEST(RunSignals, SigtermStopsWithinOneSecond) { CheckStop(SIGTERM, "SIGTERM"); }
TEST(RunSignals, SigintStopsWithinOneSecond) { CheckStop(SIGINT, "SIGINT"); }

}  // namespace
