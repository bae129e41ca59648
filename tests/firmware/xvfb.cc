#include "tests/firmware/xvfb.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "platform/file.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace edgefuse::testing {
namespace {

std::string FindOnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    const size_t end = dirs.find(':', start);
    const std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

// keep_fd (when >= 0) stays open in the child under the same number.
pid_t Spawn(const std::vector<std::string>& args, int keep_fd = -1) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (keep_fd >= 0) posix_spawn_file_actions_adddup2(&actions, keep_fd, keep_fd);  // clears FD_CLOEXEC
  // Xvfb and xwd chatter on stderr; keep the test log readable.
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

uint32_t Big32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

int Shift(uint32_t mask) {
  int shift = 0;
  while (mask != 0 && (mask & 1) == 0) {
    mask >>= 1;
    ++shift;
  }
  return shift;
}

}  // namespace

bool Xvfb::Available(std::string* error) {
  if (FindOnPath("Xvfb").empty() || FindOnPath("xwd").empty()) {
    *error = "Xvfb or xwd not installed (Debian: xvfb, x11-apps; see toolchains/install-deps.sh)";
    return false;
  }
  return true;
}

bool Xvfb::Start(std::string* error) {
  if (!Available(error)) return false;
  const std::string xvfb = FindOnPath("Xvfb");
  // -displayfd: the server takes a free display number itself and writes it to the
  // pipe once it accepts connections, so parallel tests never race for a number.
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    *error = "cannot make a pipe for Xvfb";
    return false;
  }
  pid_ =
      Spawn({xvfb, "-displayfd", std::to_string(fds[1]), "-screen", "0", "800x600x24", "-nolisten", "tcp", "-noreset"},
            fds[1]);
  close(fds[1]);
  if (pid_ < 0) {
    close(fds[0]);
    *error = "cannot start " + xvfb;
    return false;
  }
  std::string number;
  char c = 0;
  pollfd ready{.fd = fds[0], .events = POLLIN, .revents = 0};
  // Up within 10 s (EOF: Xvfb exited).
  while (poll(&ready, 1, 10000) == 1 && read(fds[0], &c, 1) == 1 && c != '\n') number += c;
  close(fds[0]);
  if (number.empty()) {
    Stop();
    *error = xvfb + " did not start";
    return false;
  }
  char display[16];  // not ":" + number: GCC 12 warns falsely (-Wrestrict) on it
  std::snprintf(display, sizeof display, ":%d", std::atoi(number.c_str()));
  display_ = display;
  return true;
}

void Xvfb::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  display_.clear();
}

bool Xvfb::Screenshot(cv::Mat* bgr, std::string* error) const {
  const ScratchDir dir;
  const std::string path = dir.File("screen.xwd");
  const pid_t pid = Spawn({FindOnPath("xwd"), "-root", "-silent", "-display", display_, "-out", path});
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *error = "xwd -root failed on display " + display_;
    return false;
  }
  std::vector<uint8_t> bytes;
  return platform::ReadFileBytes(path, &bytes, error) && DecodeXwd(bytes, bgr, error);
}

bool DecodeXwd(const std::vector<uint8_t>& bytes, cv::Mat* bgr, std::string* error) {
  if (bytes.size() < 100) {
    *error = "xwd: truncated header";
    return false;
  }
  const auto field = [&](int i) { return Big32(bytes.data() + 4 * i); };
  const uint32_t header_size = field(0), version = field(1), format = field(2), width = field(4), height = field(5),
                 byte_order = field(7), bits_per_pixel = field(11), bytes_per_line = field(12), red_mask = field(14),
                 green_mask = field(15), blue_mask = field(16), ncolors = field(19);
  if (version != 7 || format != 2 || (bits_per_pixel != 32 && bits_per_pixel != 24)) {
    *error = "xwd: not a 24/32-bit ZPixmap dump";
    return false;
  }
  const size_t offset = size_t{header_size} + size_t{ncolors} * 12;
  if (bytes.size() < offset + size_t{height} * bytes_per_line) {
    *error = "xwd: truncated image";
    return false;
  }
  const int bytes_per_pixel = static_cast<int>(bits_per_pixel / 8);
  bgr->create(static_cast<int>(height), static_cast<int>(width), CV_8UC3);
  for (uint32_t y = 0; y < height; ++y) {
    const uint8_t* row = bytes.data() + offset + size_t{y} * bytes_per_line;
    for (uint32_t x = 0; x < width; ++x) {
      const uint8_t* p = row + x * bytes_per_pixel;
      uint32_t pixel = 0;
      for (int b = 0; b < bytes_per_pixel; ++b) {
        // byte_order 0: least significant byte first.
        pixel |= uint32_t{p[b]} << (8 * (byte_order == 0 ? b : bytes_per_pixel - 1 - b));
      }
      bgr->at<cv::Vec3b>(static_cast<int>(y), static_cast<int>(x)) =
          cv::Vec3b(static_cast<uint8_t>((pixel & blue_mask) >> Shift(blue_mask)),
                    static_cast<uint8_t>((pixel & green_mask) >> Shift(green_mask)),
                    static_cast<uint8_t>((pixel & red_mask) >> Shift(red_mask)));
    }
  }
  return true;
}

}  // namespace edgefuse::testing
