// The display probes the window sink asks before HighGUI may abort the process.
#include "platform/display.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "tests/support/test_support.h"

namespace edgefuse::platform {
namespace {

TEST(Display, X11ProbeExplainsWhyNot) {
  std::string error;
  unsetenv("DISPLAY");
  EXPECT_FALSE(X11DisplayAvailable(&error));
  EXPECT_EQ(error, "DISPLAY is not set");
  setenv("DISPLAY", ":139", 1);  // no server listens there in the test environment
  EXPECT_FALSE(X11DisplayAvailable(&error));
  EXPECT_EQ(error, "cannot open X display ':139'");
  unsetenv("DISPLAY");
}

TEST(Display, WaylandProbeConnectsToTheSocket) {
  std::string error;
  unsetenv("WAYLAND_DISPLAY");
  EXPECT_FALSE(WaylandDisplayAvailable(&error));
  EXPECT_EQ(error, "WAYLAND_DISPLAY is not set");
  setenv("WAYLAND_DISPLAY", "wayland-test", 1);
  unsetenv("XDG_RUNTIME_DIR");
  EXPECT_FALSE(WaylandDisplayAvailable(&error));
  EXPECT_EQ(error, "WAYLAND_DISPLAY is relative and XDG_RUNTIME_DIR is not set");

  const testing::ScratchDir scratch;
  const std::string& dir = scratch.path();
  setenv("XDG_RUNTIME_DIR", dir.c_str(), 1);
  const std::string path = dir + "/wayland-test";
  EXPECT_FALSE(WaylandDisplayAvailable(&error));
  EXPECT_EQ(error, "cannot connect to Wayland display " + path + ": No such file or directory");

  // A listening socket stands in for the compositor.
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
  ASSERT_EQ(listen(fd, 1), 0);
  EXPECT_TRUE(WaylandDisplayAvailable(&error)) << error;
  close(fd);
  unsetenv("WAYLAND_DISPLAY");
  unsetenv("XDG_RUNTIME_DIR");
}

}  // namespace
}  // namespace edgefuse::platform
