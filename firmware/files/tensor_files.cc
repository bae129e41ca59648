#include "firmware/files/tensor_files.h"

#include <map>
#include <vector>

#include "core/attention/npy_inputs.h"
#include "platform/file.h"

namespace edgefuse::files {
namespace {

bool Fail(const std::string& what, std::string* error) {
  *error = what;
  return false;
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool ReadNpyFile(const std::string& path, core::NpyArray* array, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!platform::ReadFileBytes(path, &bytes, error)) return false;
  if (!core::ParseNpy(bytes, array, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

bool WriteNpyFile(const std::string& path, const core::NpyArray& array, std::string* error) {
  return platform::WriteFileBytes(path, core::SerializeNpy(array), error);
}

bool ReadSafetensorsFile(const std::string& path, core::SafetensorsFile* file, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!platform::ReadFileBytes(path, &bytes, error)) return false;
  if (!core::ParseSafetensors(std::move(bytes), file, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

bool ReadCalibrationDirectory(const std::string& directory, int64_t embed_dim, int64_t kdim, core::CalibrationSet* set,
                              std::string* error) {
  std::vector<std::string> names;
  if (!platform::ListDirectory(directory, &names, error)) return false;
  struct Files {
    std::string query, context, mask;
  };
  std::map<std::string, Files> by_id;
  const std::string prefix = directory.empty() || directory.back() == '/' ? directory : directory + "/";
  for (const std::string& name : names) {
    for (auto [suffix, member] : {std::pair{"_query.npy", &Files::query}, std::pair{"_context.npy", &Files::context},
                                  std::pair{"_mask.npy", &Files::mask}}) {
      if (EndsWith(name, suffix)) by_id[name.substr(0, name.size() - std::string(suffix).size())].*member = name;
    }
  }
  core::CalibrationSet loaded;
  for (const auto& [id, files] : by_id) {
    if (files.query.empty() || files.context.empty()) {
      // Name a file of the pair that is there (the mask when it is alone).
      const std::string& present = !files.query.empty()     ? files.query
                                   : !files.context.empty() ? files.context
                                                            : files.mask;
      std::string message = prefix;
      message += present;
      message += ": calibration pair '" + id + "' lacks its ";
      message += files.query.empty() ? "_query.npy" : "_context.npy";
      return Fail(message, error);
    }
    core::NpyArray array;
    std::vector<float> query, context;
    std::vector<uint8_t> mask;
    int64_t nq = 0, nk = 0;
    const std::string query_path = prefix + files.query, context_path = prefix + files.context;
    if (!ReadNpyFile(query_path, &array, error) ||
        !core::TokensFromNpy(array, query_path, "query", embed_dim, "E", &query, &nq, error) ||
        !ReadNpyFile(context_path, &array, error) ||
        !core::TokensFromNpy(array, context_path, "context", kdim, "kdim", &context, &nk, error)) {
      return false;
    }
    if (!files.mask.empty()) {
      const std::string mask_path = prefix + files.mask;
      if (!ReadNpyFile(mask_path, &array, error) || !core::MaskFromNpy(array, mask_path, nk, &mask, error)) return false;
    }
    loaded.ids.push_back(id);
    loaded.queries.push_back(std::move(query));
    loaded.contexts.push_back(std::move(context));
    loaded.masks.push_back(std::move(mask));
  }
  if (loaded.ids.empty()) {
    return Fail(directory + ": no calibration pairs (<id>_query.npy with <id>_context.npy) in this directory", error);
  }
  *set = std::move(loaded);
  return true;
}

}  // namespace edgefuse::files
