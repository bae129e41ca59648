// V4L2 devices from a sample sysfs tree (no device nodes: capabilities stay unknown).
#include "platform/video_devices.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace edgefuse::platform {
namespace {

TEST(VideoDevices, ListsSysfsEntriesInIndexOrder) {
  const auto root = std::filesystem::temp_directory_path() / ("edgefuse-video-" + std::to_string(getpid()));
  for (const char* node : {"video10", "video2", "video0"}) {
    std::filesystem::create_directories(root / "sys/class/video4linux" / node);
    std::ofstream(root / "sys/class/video4linux" / node / "name") << "cam " << node << "\n";
  }
  std::filesystem::create_directories(root / "sys/class/video4linux/v4l-subdev0");
  const auto devices = ListVideoDevices(root.string());
  ASSERT_EQ(devices.size(), 3u);
  EXPECT_EQ(devices[0].index, 0);
  EXPECT_EQ(devices[1].index, 2);
  EXPECT_EQ(devices[2].index, 10);
  EXPECT_EQ(devices[2].path, "/dev/video10");
  EXPECT_EQ(devices[2].name, "cam video10");
  EXPECT_FALSE(devices[0].queried);
  EXPECT_TRUE(ListVideoDevices((root / "nothing").string()).empty());
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace edgefuse::platform
