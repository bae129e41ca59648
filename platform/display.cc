#include "platform/display.h"

#include <dlfcn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace edgefuse::platform {

bool X11DisplayAvailable(std::string* error) {
  const char* display = std::getenv("DISPLAY");
  if (display == nullptr || display[0] == '\0') {
    *error = "DISPLAY is not set";
    return false;
  }
  void* x11 = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
  if (x11 == nullptr) {
    *error = std::string("cannot load libX11.so.6 to reach display '") + display + "'";
    return false;
  }
  using OpenDisplay = void* (*)(const char*);
  using CloseDisplay = int (*)(void*);
  auto open_display = reinterpret_cast<OpenDisplay>(dlsym(x11, "XOpenDisplay"));
  auto close_display = reinterpret_cast<CloseDisplay>(dlsym(x11, "XCloseDisplay"));
  bool ok = false;
  if (open_display == nullptr || close_display == nullptr) {
    *error = "libX11.so.6 lacks XOpenDisplay";
  } else if (void* connection = open_display(display); connection == nullptr) {
    *error = std::string("cannot open X display '") + display + "'";
  } else {
    close_display(connection);
    ok = true;
  }
  // libX11 stays loaded: unloading it while the toolkit may load it again gains nothing
  // and some versions register atexit handlers.
  return ok;
}

bool WaylandDisplayAvailable(std::string* error) {
  const char* name = std::getenv("WAYLAND_DISPLAY");
  if (name == nullptr || name[0] == '\0') {
    *error = "WAYLAND_DISPLAY is not set";
    return false;
  }
  std::string path = name;
  if (path.front() != '/') {
    const char* runtime_dir = std::getenv("XDG_RUNTIME_DIR");
    if (runtime_dir == nullptr || runtime_dir[0] == '\0') {
      *error = "WAYLAND_DISPLAY is relative and XDG_RUNTIME_DIR is not set";
      return false;
    }
    path = std::string(runtime_dir) + "/" + path;
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) {
    *error = "Wayland socket path too long: " + path;
    return false;
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  const bool ok = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  if (!ok) *error = "cannot connect to Wayland display " + path + ": " + std::strerror(errno);
  close(fd);
  return ok;
}

}  // namespace edgefuse::platform
