#include "platform/shared_library.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

#include <fstream>

namespace edgefuse::platform {

std::string SharedLibraryPathOf(const void* address) {
  Dl_info info;
  if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "";
  char resolved[PATH_MAX];
  if (realpath(info.dli_fname, resolved) != nullptr) return resolved;
  return info.dli_fname;
}

std::string DebianPackageVersion(std::string_view package, const std::string& root) {
  std::ifstream status(root + (root.empty() || root.back() != '/' ? "/" : "") + "var/lib/dpkg/status");
  const std::string header = "Package: " + std::string(package);
  std::string line;
  bool in_paragraph = false;
  while (std::getline(status, line)) {
    if (line.empty()) {
      in_paragraph = false;
    } else if (line.rfind("Package: ", 0) == 0) {
      in_paragraph = line == header;
    } else if (in_paragraph && line.rfind("Version: ", 0) == 0) {
      return line.substr(9);
    }
  }
  return "";
}

}  // namespace edgefuse::platform
