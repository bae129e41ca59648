#include "firmware/app/commands.h"

namespace edgefuse::app {

std::span<const Command> Commands() {
  static constexpr Command kCommands[] = {
      {"info", "board, CPU features, chosen kernels and library versions", &RunInfo},
      {"devices", "cameras (and their GStreamer presets) this machine can open", &RunDevices},
      {"features", "one modality's front-end on a source, tokens to .npy", &RunFeatures},
  };
  return kCommands;
}

}  // namespace edgefuse::app
