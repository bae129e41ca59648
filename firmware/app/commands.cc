#include "firmware/app/commands.h"

namespace edgefuse::app {

std::span<const Command> Commands() {
  static constexpr Command kCommands[] = {
      {"info", "board, CPU features, chosen kernels and library versions", &RunInfo},
  };
  return kCommands;
}

}  // namespace edgefuse::app
