// Which board we run on, from the device-tree model string (what
// /proc/device-tree/model holds on a Raspberry Pi or an NVIDIA Jetson). Used to pick
// defaults such as the camera pipeline; anything unrecognised is "generic".
//
//   const edgefuse::platform::BoardInfo board = edgefuse::platform::DetectBoard();
//   if (board.kind == edgefuse::platform::BoardKind::kRaspberryPi5) { ... }
#pragma once

#include <string>
#include <string_view>

namespace edgefuse::platform {

enum class BoardKind {
  kGeneric,
  kRaspberryPi4,  // Raspberry Pi 4 Model B, Pi 400, Compute Module 4 (BCM2711)
  kRaspberryPi5,  // Raspberry Pi 5, Pi 500, Compute Module 5 (BCM2712)
  kRaspberryPi,   // older Raspberry Pi models
  kJetsonNano,    // NVIDIA Jetson Nano (Tegra X1)
  kJetsonOrin,    // NVIDIA Jetson Orin Nano / NX / AGX
  kJetson,        // other NVIDIA Jetson modules (TX2, Xavier)
};

struct BoardInfo {
  BoardKind kind = BoardKind::kGeneric;
  std::string id;     // stable short name: "rpi4", "rpi5", "jetson-orin", "generic", ...
  std::string name;   // human name: "Raspberry Pi 4", "NVIDIA Jetson Orin", "generic"
  std::string model;  // the device-tree model string as read, empty if none
};

// Classifies a device-tree model string (trailing NULs and whitespace ignored).
BoardInfo IdentifyBoard(std::string_view model);

// Reads the model from <root>/proc/device-tree/model, falling back to
// <root>/sys/firmware/devicetree/base/model, and classifies it. root is "/" on a
// real system; tests point it at a directory of sample files.
BoardInfo DetectBoard(const std::string& root = "/");

}  // namespace edgefuse::platform
