// The benchmarks of `edgefuse bench <benchmark>` (bench_command.cc lists them), one
// function each, called with argv[0] = the benchmark's name.
//
//   edgefuse bench attention --precision f32 --heads 8 --nq 64 --nk 256 --dim 256 --iters 100
#pragma once

namespace edgefuse::app {

int RunBenchAttention(int argc, char** argv);
int RunBenchPipeline(int argc, char** argv);

}  // namespace edgefuse::app
