// XNNPACK as the float back end of core: one process-wide initialization and the
// library that is loaded. XNNPACK (Debian's 2022 snapshot) has no version API;
// `edgefuse info` reports the version of the installed package owning the library
// (firmware/app, from dpkg's records: core reads no files).
//
//   if (!edgefuse::core::EnsureXnnpackInitialized()) { ... fall back to plain kernels ... }
#pragma once

#include <string>

#include "platform/shared_library.h"

namespace edgefuse::core {

// Calls xnn_initialize once (thread-safe). False when XNNPACK rejects this CPU.
bool EnsureXnnpackInitialized();

// The path of the loaded XNNPACK shared library ("" when linked statically).
std::string XnnpackLibraryPath();

}  // namespace edgefuse::core
