#include "platform/board.h"

#include <fstream>
#include <iterator>

namespace edgefuse::platform {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool Contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

BoardInfo Make(BoardKind kind, const char* id, const char* name, std::string_view model) {
  return BoardInfo{kind, id, name, std::string(model)};
}

bool ReadFile(const std::string& path, std::string* contents) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  contents->assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

BoardInfo IdentifyBoard(std::string_view model) {
  // Device-tree strings end with NUL; sample files may end with a newline.
  while (!model.empty() && (model.back() == '\0' || model.back() == '\n' || model.back() == ' ')) {
    model.remove_suffix(1);
  }
  if (StartsWith(model, "Raspberry Pi")) {
    if (StartsWith(model, "Raspberry Pi 4") || StartsWith(model, "Raspberry Pi 400") ||
        StartsWith(model, "Raspberry Pi Compute Module 4")) {
      return Make(BoardKind::kRaspberryPi4, "rpi4", "Raspberry Pi 4", model);
    }
    if (StartsWith(model, "Raspberry Pi 5") || StartsWith(model, "Raspberry Pi 500") ||
        StartsWith(model, "Raspberry Pi Compute Module 5")) {
      return Make(BoardKind::kRaspberryPi5, "rpi5", "Raspberry Pi 5", model);
    }
    return Make(BoardKind::kRaspberryPi, "raspberry-pi", "Raspberry Pi", model);
  }
  if (Contains(model, "Jetson")) {
    if (Contains(model, "Orin")) return Make(BoardKind::kJetsonOrin, "jetson-orin", "NVIDIA Jetson Orin", model);
    if (Contains(model, "Nano")) return Make(BoardKind::kJetsonNano, "jetson-nano", "NVIDIA Jetson Nano", model);
    return Make(BoardKind::kJetson, "jetson", "NVIDIA Jetson", model);
  }
  return Make(BoardKind::kGeneric, "generic", "generic", model);
}

BoardInfo DetectBoard(const std::string& root) {
  const std::string base = root.empty() || root.back() == '/' ? root : root + "/";
  std::string model;
  if (ReadFile(base + "proc/device-tree/model", &model) ||
      ReadFile(base + "sys/firmware/devicetree/base/model", &model)) {
    return IdentifyBoard(model);
  }
  return IdentifyBoard("");
}

}  // namespace edgefuse::platform
