#include "platform/video_devices.h"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace edgefuse::platform {
namespace {

std::string ReadLine(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ' || line.back() == '\0')) line.pop_back();
  return line;
}

std::string Text(const __u8* bytes, size_t size) {
  const auto* begin = reinterpret_cast<const char*>(bytes);
  return std::string(begin, strnlen(begin, size));
}

void Query(const std::string& node, VideoDevice* device) {
  const int fd = open(node.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  v4l2_capability caps{};
  if (ioctl(fd, VIDIOC_QUERYCAP, &caps) == 0) {
    const __u32 flags = (caps.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? caps.device_caps : caps.capabilities;
    device->queried = true;
    device->capture = (flags & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE)) != 0;
    device->driver = Text(caps.driver, sizeof caps.driver);
    device->card = Text(caps.card, sizeof caps.card);
    device->bus = Text(caps.bus_info, sizeof caps.bus_info);
  }
  close(fd);
}

}  // namespace

std::vector<VideoDevice> ListVideoDevices(const std::string& root) {
  const std::filesystem::path base(root.empty() ? "/" : root);
  std::vector<VideoDevice> devices;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(base / "sys/class/video4linux", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("video", 0) != 0) continue;
    int index = 0;
    const char* digits = name.c_str() + 5;
    auto [end, err] = std::from_chars(digits, name.c_str() + name.size(), index);
    if (err != std::errc() || end != name.c_str() + name.size()) continue;
    VideoDevice device;
    device.index = index;
    device.path = "/dev/" + name;
    device.name = ReadLine(entry.path() / "name");
    Query((base / "dev" / name).string(), &device);
    devices.push_back(std::move(device));
  }
  std::sort(devices.begin(), devices.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  return devices;
}

}  // namespace edgefuse::platform
