// The V4L2 video devices of this system (/dev/video*), as the kernel describes them:
// which are capture devices, their driver and card names. `edgefuse devices` lists
// cameras from this; a USB webcam shows driver "uvcvideo", while the Raspberry Pi's
// CSI receiver and ISP nodes (unicam, rp1-cfe, pispbe, bcm2835-isp) need libcamera.
//
//   for (const auto& d : edgefuse::platform::ListVideoDevices()) {
//     if (d.capture) printf("%d: %s (%s)\n", d.index, d.card.c_str(), d.driver.c_str());
//   }
#pragma once

#include <string>
#include <vector>

namespace edgefuse::platform {

struct VideoDevice {
  int index = 0;     // N of /dev/videoN
  std::string path;  // "/dev/video0"
  std::string name;  // sysfs name (the card, as the driver reports it)
  // From VIDIOC_QUERYCAP, when the node could be opened (queried == true):
  bool queried = false;
  bool capture = false;  // single- or multi-planar video capture
  std::string driver;    // "uvcvideo", "unicam", ...
  std::string card;
  std::string bus;  // "usb-0000:01:00.0-1.2", "platform:..."
};

// Devices under <root>/sys/class/video4linux, in index order. Their nodes are opened
// read-only only to query capabilities (never to stream), at <root>/dev/videoN.
std::vector<VideoDevice> ListVideoDevices(const std::string& root = "/");

}  // namespace edgefuse::platform
