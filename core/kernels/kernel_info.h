// Which kernel every family selects on this CPU under a tier cap: what `edgefuse info`
// prints (DESIGN.md §5) and what a log line should name when results are compared.
//
//   for (const auto& k : edgefuse::core::kernels::SelectedKernels(DefaultTierCap())) {
//     printf("%s: %s (%s)\n", k.family, k.kernel, TierName(k.tier));
//   }
#pragma once

#include <vector>

#include "core/dispatch/dispatch.h"

namespace edgefuse::core::kernels {

struct SelectedKernel {
  const char* family;  // e.g. "batch_matmul_qs8"
  const char* kernel;  // e.g. "qs8_bmm_4x16c4_neondot"
  Tier tier;
};

// One entry per kernel list, in a fixed order.
std::vector<SelectedKernel> SelectedKernels(Tier cap, const platform::CpuFeatures& cpu = platform::DetectCpuFeatures());

}  // namespace edgefuse::core::kernels
