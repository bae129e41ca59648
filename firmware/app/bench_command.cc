// `edgefuse bench <benchmark> [options]`: fixed-shape benchmarks with an iteration
// count, for timing on a real CPU and for instruction counts under QEMU
// (tests/bench/insn-count.sh --per-iter, which runs a benchmark at two iteration counts:
// so a benchmark's set-up never depends on --iters). Adding one is adding a line to
// kBenchmarks.
#include <cstdio>
#include <cstring>

#include "firmware/app/bench.h"
#include "firmware/app/cli.h"
#include "firmware/app/commands.h"

namespace edgefuse::app {
namespace {

struct Benchmark {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);  // argv[0] is the benchmark name
};

constexpr Benchmark kBenchmarks[] = {
    {"attention", "the cross-attention block on fixed pseudo-random data", &RunBenchAttention},
    {"pipeline", "front-ends + synchrony fusion per 640x480 frame on pre-rendered frames", &RunBenchPipeline},
};

void PrintUsage(FILE* out) {
  std::fprintf(out, "usage: edgefuse bench <benchmark> [options]\n\nbenchmarks:\n");
  for (const auto& b : kBenchmarks) std::fprintf(out, "  %-10s %s\n", b.name, b.summary);
  std::fprintf(out, "\n'edgefuse bench <benchmark> --help' shows its options.\n");
}

}  // namespace

int RunBench(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    PrintUsage(stdout);
    return kExitOk;
  }
  if (argc < 2) return UsageError("bench: name a benchmark (see edgefuse bench --help)");
  for (const auto& b : kBenchmarks) {
    if (std::strcmp(argv[1], b.name) == 0) return b.run(argc - 1, argv + 1);
  }
  return UsageError(std::string("bench: unknown benchmark '") + argv[1] + "' (see edgefuse bench --help)");
}

}  // namespace edgefuse::app
