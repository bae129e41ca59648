#include "firmware/app/commands.h"

namespace edgefuse::app {

std::span<const Command> Commands() {
  static constexpr Command kCommands[] = {
      {"demo", "camera + microphone, or the generated scene into edgefuse-demo.avi, with a summary", &RunDemo},
      {"run", "the pipeline from a configuration (--config FILE, --set KEY=VALUE, common flags)", &RunRun},
      {"info", "board, CPU features, chosen kernels and library versions", &RunInfo},
      {"devices", "cameras and audio inputs that can be opened", &RunDevices},
      {"features", "run a front-end alone (features audio --wav IN.wav ..., features image --video V ...)",
       &RunFeatures},
      {"attend", "one cross-attention block on .npy tensors with .safetensors weights", &RunAttend},
      {"bench", "fixed-shape benchmarks (attention, pipeline) for timing and instruction counts", &RunBench},
      {"localize", "where the sound comes from, per frame of a video with its WAV (offline)", &RunLocalize},
      {"scene", "write a generated audio-visual scene (video, WAV, truth)", &RunScene},
  };
  return kCommands;
}

}  // namespace edgefuse::app
