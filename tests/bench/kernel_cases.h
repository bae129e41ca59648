// The kernel benchmark cases: every entry of every kernel list on the shapes of the
// real attention configurations, ready to run. Shared by the Google Benchmark programs
// (host timings) and kernel_insn_driver (fixed iteration counts for retired-instruction
// counts under QEMU), so both measure exactly the same calls.
//
// Shapes (one head per batch matmul call, as the block calls the kernels):
//   large: H=8, E=256, d_h=32, Nq=64, Nk=256     small: H=4, E=64, d_h=16, Nq=8, Nk=192
//   qk-*   Q_h K_h^T: [Nq x d_h] x [d_h x Nk], Q and K read in place from [N, E]
//   qk0-*  the same with K symmetric (zero point 0), int8 only
//   pv-*   P_h V_h:   [Nq x Nk] x [Nk x d_h], V read in place from [Nk, E]
//   fc-*   [Nq x E] x [E x E] (the query projection)
//   sm-*   softmax of Nq rows of Nk scores
//   rq-*   requantization of [Nq x E] int32 accumulators
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/dispatch/dispatch.h"

namespace edgefuse::bench {

struct KernelCase {
  std::string family;  // as in core::kernels::SelectedKernels
  std::string kernel;  // list entry name
  std::string shape;   // e.g. "qk-large"
  core::Tier tier;
  double macs;    // multiply-accumulates per call (elements for softmax and requantize)
  bool has_pack;  // batch matmul: the right operand is packed once per call
  // Prepares operands (allocations, packing) and returns one call of the kernel alone,
  // or, with pack_only, one call of the per-call packing.
  std::function<std::function<void()>(bool pack_only)> prepare;
};

// Every case, in a fixed order; the family filter keeps one family (prefix match).
std::vector<KernelCase> KernelCases(const std::string& family_prefix = "");

// Registers the cases of a family with Google Benchmark: host time per call and a
// MAC/s counter; entries the CPU cannot run are registered and skipped with a reason.
void RegisterKernelBenchmarks(const std::string& family_prefix);

}  // namespace edgefuse::bench
