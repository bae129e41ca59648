// NumPy .npy arrays (format versions 1.0-3.0): the tensor files of the edgefuse
// command line (DESIGN.md §5). Little-endian float32, int8 and int16 in C order, and
// NumPy bool ('|b1', for masks: held in i8 as 0 or 1); anything else is refused with a
// one-line reason. Parsing works on bytes (core does no I/O); firmware/files reads and
// writes the files.
//
//   edgefuse::core::NpyArray q;
//   std::string error;
//   if (!edgefuse::core::ParseNpy(bytes, &q, &error)) { ... "truncated: ..." ... }
//   if (q.dtype != edgefuse::core::NpyDType::kFloat32 || q.shape.size() != 2) { ... }
//   const float* x = q.f32.data();
//
//   std::vector<uint8_t> image = edgefuse::core::SerializeNpy(edgefuse::core::NpyArray::Float32({8, 64}, values));
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace edgefuse::core {

enum class NpyDType { kFloat32, kInt8, kInt16, kBool };

const char* NpyDTypeName(NpyDType dtype);  // "float32", "int8", "int16", "bool"

struct NpyArray {
  NpyDType dtype = NpyDType::kFloat32;
  std::vector<int64_t> shape;  // empty for a 0-d array (one element)
  // Exactly one of these holds the elements, matching dtype.
  std::vector<float> f32;
  std::vector<int8_t> i8;  // kInt8, and kBool as 0 or 1
  std::vector<int16_t> i16;

  int64_t NumElements() const;
  // "2x3" (or "scalar"), for messages.
  std::string ShapeString() const;

  static NpyArray Float32(std::vector<int64_t> shape, std::span<const float> values);
  static NpyArray Int8(std::vector<int64_t> shape, std::span<const int8_t> values);
  static NpyArray Int16(std::vector<int64_t> shape, std::span<const int16_t> values);
  static NpyArray Bool(std::vector<int64_t> shape, std::span<const int8_t> values);  // values 0 or 1
};

// Parses a whole .npy file image. On failure returns false with a reason such as
// "not a .npy file (bad magic)" or "truncated: 2x3 float32 needs 24 data bytes, found 20".
bool ParseNpy(std::span<const uint8_t> bytes, NpyArray* array, std::string* error);

// The .npy (version 1.0) image of an array. The shape must match the element count.
std::vector<uint8_t> SerializeNpy(const NpyArray& array);

}  // namespace edgefuse::core
