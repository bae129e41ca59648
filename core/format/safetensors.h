// .safetensors weight files (https://github.com/huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON header, then the data section. The
// reader is strict, with one-line reasons: the header length must fit in the file and
// stay below kMaxSafetensorsHeader; the header must be a JSON object (core/json) of
// tensors {"dtype", "shape", "data_offsets"} plus an optional "__metadata__" object of
// strings; every dtype must be known and every shape's byte size must equal its
// offsets' span; the tensors must tile the data section exactly (no overlap, no hole,
// nothing after the last one), as the format requires.
//
// All standard dtypes are accepted by the parser (so that any valid file parses);
// ToFloat32 converts F32, F16, BF16 and F64 and names the others as unsupported.
//
//   edgefuse::core::SafetensorsFile file;
//   std::string error;
//   if (!edgefuse::core::ReadSafetensorsFile("mha.safetensors", &file, &error)) { ... }
//   const edgefuse::core::SafetensorsTensor* w = file.Find("in_proj_weight");
//   std::vector<float> values;
//   if (w == nullptr || !edgefuse::core::ToFloat32(file, *w, &values, &error)) { ... }
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgefuse::core {

// The safetensors reference implementation refuses headers above 100 MB too.
inline constexpr uint64_t kMaxSafetensorsHeader = 100'000'000;

enum class SafetensorsDType {
  kBool,
  kU8,
  kI8,
  kF8E5M2,
  kF8E4M3,
  kI16,
  kU16,
  kF16,
  kBF16,
  kI32,
  kU32,
  kF32,
  kF64,
  kI64,
  kU64
};

// "F32", "BF16", ... as written in the header.
const char* SafetensorsDTypeName(SafetensorsDType dtype);
size_t SafetensorsDTypeSize(SafetensorsDType dtype);

struct SafetensorsTensor {
  std::string name;
  SafetensorsDType dtype = SafetensorsDType::kF32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte offsets inside the data section
  uint64_t end = 0;

  int64_t NumElements() const;
  std::string ShapeString() const;  // "[3, 4]"
};

struct SafetensorsFile {
  std::vector<uint8_t> bytes;                                 // the whole file
  uint64_t data_start = 0;                                    // 8 + header length
  std::vector<SafetensorsTensor> tensors;                     // in header order
  std::vector<std::pair<std::string, std::string>> metadata;  // "__metadata__", in order

  const SafetensorsTensor* Find(const std::string& name) const;
  const std::string* Metadata(const std::string& key) const;
  std::span<const uint8_t> Data(const SafetensorsTensor& tensor) const;
};

// Parses a whole file image (taken over by *file). On failure returns false with a
// one-line reason, e.g. "truncated: the header says 120 bytes but 64 follow".
bool ParseSafetensors(std::vector<uint8_t> bytes, SafetensorsFile* file, std::string* error);

// The tensor's elements as float32 (F32 copied; F16, BF16 widened exactly; F64 rounded
// to nearest). Other dtypes fail with "'<name>': dtype I32 is not supported (...)".
bool ToFloat32(const SafetensorsFile& file, const SafetensorsTensor& tensor, std::vector<float>* values,
               std::string* error);

// The image of a file holding these float32 tensors (and metadata), in the given order:
// for tests and tools that write weights.
struct SafetensorsF32Entry {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> values;
};
std::vector<uint8_t> SerializeSafetensorsF32(std::span<const SafetensorsF32Entry> tensors,
                                             std::span<const std::pair<std::string, std::string>> metadata = {});

}  // namespace edgefuse::core
