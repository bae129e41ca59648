// Runs one kernel on one benchmark shape a fixed number of times, for retired-
// instruction counts under QEMU (tests/bench/insn-count.sh --per-iter; Google
// Benchmark picks its own iteration counts, which would not cancel out).
//
//   kernel_insn_driver --list
//   kernel_insn_driver qs8_bmm_4x16c4_neondot qk-large 12          # the kernel alone
//   kernel_insn_driver qs8_bmm_4x16c4_neondot qk-large 12 --pack   # its per-call packing
//   tests/bench/insn-count.sh --cpu cortex-a76 --per-iter 2,12 --
//       build/rpi5/tests/bench/kernel_insn_driver qs8_bmm_4x16c4_neondot qk-large @ITERS@
//   (one command line)
//
// Exit status 2 for an unknown kernel, shape or a tier this CPU lacks.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "platform/cpu_features.h"
#include "tests/bench/kernel_cases.h"

int main(int argc, char** argv) {
  using edgefuse::bench::KernelCases;
  if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
    for (const auto& c : KernelCases()) {
      std::printf("%s %s %s %s %.0f%s\n", c.family.c_str(), c.kernel.c_str(), c.shape.c_str(),
                  edgefuse::core::TierName(c.tier), c.macs, c.has_pack ? " pack" : "");
    }
    return 0;
  }
  if (argc < 4 || argc > 5 || (argc == 5 && std::strcmp(argv[4], "--pack") != 0)) {
    std::fprintf(stderr, "usage: kernel_insn_driver KERNEL SHAPE ITERATIONS [--pack] | --list\n");
    return 2;
  }
  const long iterations = std::strtol(argv[3], nullptr, 10);
  const bool pack_only = argc == 5;
  for (const auto& c : KernelCases()) {
    if (c.kernel != argv[1] || c.shape != argv[2]) continue;
    if (!edgefuse::core::TierSupported(c.tier, edgefuse::platform::DetectCpuFeatures())) {
      std::fprintf(stderr, "kernel_insn_driver: %s needs the %s tier, which this CPU lacks\n", argv[1],
                   edgefuse::core::TierName(c.tier));
      return 2;
    }
    if (pack_only && !c.has_pack) {
      std::fprintf(stderr, "kernel_insn_driver: %s packs nothing per call\n", argv[1]);
      return 2;
    }
    const auto call = c.prepare(pack_only);
    for (long i = 0; i < iterations; ++i) call();
    return 0;
  }
  std::fprintf(stderr, "kernel_insn_driver: no kernel %s on shape %s (see --list)\n", argv[1], argv[2]);
  return 2;
}
