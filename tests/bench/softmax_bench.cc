// Google Benchmark for the softmax kernel family: every list entry on the attention shapes
// (tests/bench/kernel_cases.h). Host timings only; under QEMU use kernel_insn_driver.
#include "tests/bench/kernel_cases.h"

namespace {
const bool registered = (edgefuse::bench::RegisterKernelBenchmarks("softmax"), true);
}  // namespace
