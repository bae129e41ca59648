// libFuzzer target: the .npy parser on arbitrary bytes. It must return either an array
// whose element vector matches its shape and dtype, and which serializes back to a file
// that parses to the same array, or false with a one-line reason; never crash, read out
// of bounds or loop.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "core/format/npy.h"

namespace {

size_t Held(const edgefuse::core::NpyArray& a) {
  switch (a.dtype) {
    case edgefuse::core::NpyDType::kFloat32: return a.f32.size();
    case edgefuse::core::NpyDType::kInt16: return a.i16.size();
    case edgefuse::core::NpyDType::kInt8:
    case edgefuse::core::NpyDType::kBool: return a.i8.size();
  }
  return 0;
}

bool SameArray(const edgefuse::core::NpyArray& a, const edgefuse::core::NpyArray& b) {
  // Bytes, not values: float32 NaN payloads must survive the round trip too.
  return a.dtype == b.dtype && a.shape == b.shape && a.i8 == b.i8 && a.i16 == b.i16 && a.f32.size() == b.f32.size() &&
         (a.f32.empty() || std::memcmp(a.f32.data(), b.f32.data(), a.f32.size() * sizeof(float)) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  edgefuse::core::NpyArray array;
  std::string error;
  if (!edgefuse::core::ParseNpy(std::span<const uint8_t>(data, size), &array, &error)) {
    if (error.empty() || error.find('\n') != std::string::npos) std::abort();
    return 0;
  }
  if (!error.empty() || array.NumElements() < 0 || Held(array) != static_cast<size_t>(array.NumElements())) {
    std::abort();
  }
  const std::vector<uint8_t> again = edgefuse::core::SerializeNpy(array);
  edgefuse::core::NpyArray reparsed;
  if (!edgefuse::core::ParseNpy(again, &reparsed, &error) || !SameArray(array, reparsed)) std::abort();
  return 0;
}
