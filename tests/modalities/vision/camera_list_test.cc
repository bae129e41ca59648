// The camera list of `edgefuse devices` on sample sysfs trees.
#include "modalities/vision/camera_list.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "tests/support/test_support.h"

namespace edgefuse::vision {
namespace {

void AddDevice(const testing::ScratchDir& root, const std::string& node, const std::string& name) {
  std::filesystem::create_directories(root.File("sys/class/video4linux/" + node));
  std::ofstream(root.File("sys/class/video4linux/" + node + "/name")) << name << "\n";
}

const CameraEntry* Find(const std::vector<CameraEntry>& cameras, const std::string& name) {
  for (const auto& c : cameras) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

TEST(CameraList, ListsV4l2DevicesAndPresetsWithWhatTheyNeed) {
  testing::ScratchDir root;
  AddDevice(root, "video0", "HD Pro Webcam C920");
  AddDevice(root, "video10", "bcm2835-codec-decode");
  const std::set<std::string> installed = {"libcamerasrc", "videoconvert", "appsink", "videotestsrc"};
  const ElementCheck has = [&](std::string_view e) { return installed.count(std::string(e)) != 0; };
  const platform::BoardInfo pi5 = platform::IdentifyBoard("Raspberry Pi 5 Model B Rev 1.0");

  const auto cameras = ListCameras(pi5, has, root.path());
  const CameraEntry* webcam = Find(cameras, "0");
  ASSERT_NE(webcam, nullptr);
  EXPECT_EQ(webcam->kind, "v4l2");
  EXPECT_NE(webcam->description.find("/dev/video0: HD Pro Webcam C920"), std::string::npos) << webcam->description;
  EXPECT_FALSE(webcam->usable) << "a node that cannot be queried is not claimed usable";
  EXPECT_NE(webcam->note.find("cannot query /dev/video0"), std::string::npos) << webcam->note;
  ASSERT_NE(Find(cameras, "10"), nullptr);

  const CameraEntry* libcamera = Find(cameras, "libcamera");
  ASSERT_NE(libcamera, nullptr);
  EXPECT_TRUE(libcamera->usable);
  EXPECT_TRUE(libcamera->is_default) << "the Raspberry Pi's camera";
  const CameraEntry* jetson = Find(cameras, "jetson-csi");
  ASSERT_NE(jetson, nullptr);
  EXPECT_FALSE(jetson->usable);
  EXPECT_EQ(jetson->note,
            "GStreamer elements 'nvarguscamerasrc', 'nvvidconv' are missing: install nvidia-l4t-gstreamer (NVIDIA "
            "JetPack)");
  const CameraEntry* usb = Find(cameras, "usb-mjpeg");
  ASSERT_NE(usb, nullptr);
  EXPECT_NE(usb->note.find("install gstreamer1.0-plugins-good"), std::string::npos) << usb->note;
  EXPECT_TRUE(Find(cameras, "videotest")->usable);
}

TEST(CameraList, AGenericMachineDefaultsToDeviceZero) {
  testing::ScratchDir root;
  AddDevice(root, "video0", "Integrated Camera");
  const auto cameras = ListCameras(
      platform::IdentifyBoard(""), [](std::string_view) { return true; }, root.path());
  EXPECT_TRUE(Find(cameras, "0")->is_default);
  EXPECT_FALSE(Find(cameras, "libcamera")->is_default);
  EXPECT_EQ(ListCameras(
                platform::IdentifyBoard(""), [](std::string_view) { return false; }, root.path() + "/none")
                .size(),
            GstPresets().size())
      << "no V4L2 devices: only the presets are listed";
}

}  // namespace
}  // namespace edgefuse::vision
