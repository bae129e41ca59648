// The cameras `edgefuse devices` lists: V4L2 capture devices, and the GStreamer
// presets with whether their elements are installed here (and the package to install
// when not). The entry the board would use by default is marked.
//
//   for (const auto& camera : edgefuse::vision::ListCameras(edgefuse::platform::DetectBoard())) {
//     printf("%-12s %s%s\n", camera.name.c_str(), camera.description.c_str(), camera.usable ? "" : " (unusable)");
//   }
#pragma once

#include <string>
#include <vector>

#include "modalities/vision/camera_spec.h"
#include "platform/board.h"

namespace edgefuse::vision {

struct CameraEntry {
  std::string name;         // what to pass to --camera
  std::string kind;         // "v4l2" or "gstreamer-preset"
  std::string description;  // card and driver, or what the preset is for
  bool usable = false;      // can be opened, as far as can be told without opening it
  std::string note;         // why not usable, or how to use it ("" when there is nothing to say)
  bool is_default = false;  // what "--camera default" picks on this board
};

// root is "/" on a real system (tests point it at sample sysfs trees).
std::vector<CameraEntry> ListCameras(const platform::BoardInfo& board, const ElementCheck& has_element,
                                     const std::string& root = "/");

}  // namespace edgefuse::vision
