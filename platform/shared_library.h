// Which shared library a symbol was loaded from, and the version of the Debian
// package installed on this system: how `edgefuse info` reports a dependency that
// has no version API of its own (XNNPACK).
//
//   std::string path = edgefuse::platform::SharedLibraryPathOf(reinterpret_cast<const void*>(&xnn_initialize));
//   std::string version = edgefuse::platform::DebianPackageVersion("libxnnpack0");
#pragma once

#include <string>
#include <string_view>

namespace edgefuse::platform {

// A dependency as it runs: what `edgefuse info` prints for each library.
struct LibraryInfo {
  std::string name;     // "XNNPACK", "OpenCV", "PortAudio"
  std::string version;  // as reported, e.g. "4.6.0"
  std::string source;   // where the version came from: "library" (its own API) or "dpkg"
  std::string path;     // the shared object it was loaded from
};

// The resolved file of the loaded object holding address, or "" if unknown.
std::string SharedLibraryPathOf(const void* address);

// The Version: field of package in <root>/var/lib/dpkg/status, or "" when the
// package (or the file) is not there. root is "/" on a real system.
std::string DebianPackageVersion(std::string_view package, const std::string& root = "/");

}  // namespace edgefuse::platform
