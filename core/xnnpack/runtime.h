// XNNPACK as the float back end of core: one process-wide initialization and the
// description `edgefuse info` prints. XNNPACK (Debian's 2022 snapshot) has no
// version API, so its version is that of the installed package owning the loaded
// library.
//
//   if (!edgefuse::core::EnsureXnnpackInitialized()) { ... fall back to plain kernels ... }
#pragma once

#include "platform/shared_library.h"

namespace edgefuse::core {

// Calls xnn_initialize once (thread-safe). False when XNNPACK rejects this CPU.
bool EnsureXnnpackInitialized();

platform::LibraryInfo XnnpackInfo();

}  // namespace edgefuse::core
