#include "modalities/vision/camera_list.h"

#include "modalities/vision/gst_support.h"
#include "platform/video_devices.h"

namespace edgefuse::vision {
namespace {

// Raspberry Pi camera receivers and ISPs: V4L2 nodes that deliver raw Bayer or need
// the ISP set up, so only the libcamera stack can drive them.
bool NeedsLibcamera(const std::string& driver) {
  for (const char* d : {"unicam", "rp1-cfe", "pispbe", "bcm2835-isp", "bcm2835-codec", "bcm2835-unicam"}) {
    if (driver == d) return true;
  }
  return false;
}

}  // namespace

std::vector<CameraEntry> ListCameras(const platform::BoardInfo& board, const ElementCheck& has_element,
                                     const std::string& root) {
  std::string note;
  const std::string default_name = DefaultCameraName(board.kind, has_element, &note);
  std::vector<CameraEntry> cameras;
  for (const auto& device : platform::ListVideoDevices(root)) {
    if (device.queried && !device.capture) continue;  // output, codec or metadata nodes
    CameraEntry entry;
    entry.name = std::to_string(device.index);
    entry.kind = "v4l2";
    const std::string card = !device.card.empty() ? device.card : device.name;
    entry.description = device.path + ": " + (card.empty() ? "unnamed" : card) +
                        (device.driver.empty() ? "" : " (" + device.driver + ")");
    entry.usable = device.queried && !NeedsLibcamera(device.driver);
    if (!device.queried) {
      entry.note = "cannot query " + device.path + " (no permission, or busy)";
    } else if (NeedsLibcamera(device.driver)) {
      entry.note = "camera receiver / ISP node: use --camera libcamera";
    }
    entry.is_default = entry.name == default_name;
    cameras.push_back(std::move(entry));
  }
  for (const auto& preset : GstPresets()) {
    CameraEntry entry;
    entry.name = preset.name;
    entry.kind = "gstreamer-preset";
    entry.description = std::string(preset.summary) + "; for " + preset.boards;
    std::vector<std::string> missing;
    for (const auto& element : preset.elements) {
      if (!has_element(element)) missing.push_back(element);
    }
    entry.usable = missing.empty();
    entry.note = MissingElementsMessage(missing);
    entry.is_default = entry.name == default_name;
    cameras.push_back(std::move(entry));
  }
  return cameras;
}

}  // namespace edgefuse::vision
