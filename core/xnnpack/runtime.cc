#include "core/xnnpack/runtime.h"

#include <xnnpack.h>

namespace edgefuse::core {

bool EnsureXnnpackInitialized() {
  static const bool ok = xnn_initialize(/*allocator=*/nullptr) == xnn_status_success;
  return ok;
}

platform::LibraryInfo XnnpackInfo() {
  platform::LibraryInfo info;
  info.name = "XNNPACK";
  info.path = platform::SharedLibraryPathOf(reinterpret_cast<const void*>(&xnn_initialize));
  info.version = platform::DebianPackageVersion("libxnnpack0");
  info.source = "dpkg";
  if (info.version.empty()) {
    info.version = "unknown";
    info.source = "none (no version API, no dpkg record)";
  }
  return info;
}

}  // namespace edgefuse::core
