// Whole-file reads and writes with one-line errors. core/ parses bytes and never
// touches files; these are how the layers above hand it file contents.
//
//   std::vector<uint8_t> bytes;
//   std::string error;
//   if (!edgefuse::platform::ReadFileBytes("q.npy", &bytes, &error)) { ... error: "q.npy: No such file or directory"
//   ... }
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace edgefuse::platform {

// Reads a regular file. Fails (with "<path>: <reason>") on a missing file, a
// directory, a read error, or a file larger than max_bytes.
bool ReadFileBytes(const std::string& path, std::vector<uint8_t>* bytes, std::string* error,
                   size_t max_bytes = size_t{4} << 30);

// Writes bytes to path through a temporary file in the same directory and a rename,
// so readers never see a half-written file.
bool WriteFileBytes(const std::string& path, std::span<const uint8_t> bytes, std::string* error);

// The names in a directory (not "." or ".."), sorted. Fails (with "<path>: <reason>")
// when path is missing or not a directory.
bool ListDirectory(const std::string& path, std::vector<std::string>* names, std::string* error);

}  // namespace edgefuse::platform
