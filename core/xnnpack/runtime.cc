#include "core/xnnpack/runtime.h"

#include <xnnpack.h>

namespace edgefuse::core {

bool EnsureXnnpackInitialized() {
  static const bool ok = xnn_initialize(/*allocator=*/nullptr) == xnn_status_success;
  return ok;
}

std::string XnnpackLibraryPath() {
  return platform::SharedLibraryPathOf(reinterpret_cast<const void*>(&xnn_initialize));
}

}  // namespace edgefuse::core
