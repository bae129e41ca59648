// libFuzzer target: the HTTP request-head parser of the MJPEG server, which reads what
// any client on the network sends. It must return a request whose method is upper-case
// letters, whose path starts with '/' and whose header names are lower-case, or false
// with a one-line reason; never crash, read out of bounds or loop.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "platform/net/http_server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view head(reinterpret_cast<const char*>(data), size);
  edgefuse::platform::net::HttpRequest request;
  std::string error;
  if (!edgefuse::platform::net::ParseHttpRequestHead(head, &request, &error)) {
    if (error.empty() || error.find('\n') != std::string::npos) std::abort();
    return 0;
  }
  if (request.method.empty() || request.path.empty() || request.path.front() != '/') std::abort();
  for (char c : request.method) {
    if (c < 'A' || c > 'Z') std::abort();
  }
  for (const auto& [name, value] : request.headers) {
    if (name.empty()) std::abort();
    for (char c : name) {
      if (c >= 'A' && c <= 'Z') std::abort();
    }
    (void)value;
  }
  return 0;
}
