// libFuzzer target: the configuration file of `edgefuse run` and `edgefuse demo`
// (/etc/edgefuse/edgefuse.json on a board, edited by hand). Any bytes must give a
// configuration or a one-line error naming the key, never a crash. A configuration
// that loads must print (--print-config) to JSON that loads back to the same
// configuration.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/json/json.h"
#include "firmware/config/config.h"

namespace {

void CheckOneLine(const std::string& error) {
  if (error.empty() || error.find('\n') != std::string::npos) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using edgefuse::config::Config;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  edgefuse::core::Json doc;
  std::string error;
  if (!edgefuse::core::ParseJson(text, &doc, &error)) {
    CheckOneLine(error);
    return 0;
  }
  Config config;
  if (!edgefuse::config::ApplyConfigJson(doc, "fuzz.json", &config, &error)) {
    CheckOneLine(error);
    return 0;
  }
  if (!edgefuse::config::ValidateConfig(config, &error)) CheckOneLine(error);

  const std::string printed = edgefuse::config::ConfigToJson(config).Dump();
  edgefuse::core::Json again;
  Config reloaded;
  if (!edgefuse::core::ParseJson(printed, &again, &error) ||
      !edgefuse::config::ApplyConfigJson(again, "printed", &reloaded, &error) ||
      edgefuse::config::ConfigToJson(reloaded).Dump() != printed) {
    std::abort();
  }
  return 0;
}
