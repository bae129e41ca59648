#include "firmware/app/commands.h"

namespace edgefuse::app {

std::span<const Command> Commands() {
  static constexpr Command kCommands[] = {
      {"info", "board, CPU features, chosen kernels and library versions", &RunInfo},
      {"devices", "audio inputs (and their rates) that can be opened", &RunDevices},
      {"features", "run a front-end alone on a file (features audio --wav IN.wav --out MEL.npy)", &RunFeatures},
      {"attend", "one cross-attention block on .npy tensors with .safetensors weights", &RunAttend},
      {"bench", "fixed-shape benchmarks (attention) for timing and instruction counts", &RunBench},
  };
  return kCommands;
}

}  // namespace edgefuse::app
