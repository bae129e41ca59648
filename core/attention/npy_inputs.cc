#include "core/attention/npy_inputs.h"

#include <cmath>

namespace edgefuse::core {
namespace {

bool Fail(const std::string& source, const std::string& what, std::string* error) {
  *error = source + ": " + what;
  return false;
}

}  // namespace

bool TokensFromNpy(const NpyArray& array, const std::string& source, const char* what, int64_t dim,
                   const char* dim_name, std::vector<float>* values, int64_t* count, std::string* error) {
  if (array.dtype != NpyDType::kFloat32) {
    return Fail(source, std::string(what) + " must be float32, not " + NpyDTypeName(array.dtype), error);
  }
  const auto& shape = array.shape;
  const bool batched = shape.size() == 3 && shape[0] == 1;
  if (shape.size() != 2 && !batched) {
    return Fail(source,
                std::string(what) + " must have shape [N, " + dim_name + "] or [1, N, " + dim_name + "], not " +
                    array.ShapeString(),
                error);
  }
  const int64_t n = shape[shape.size() - 2], width = shape.back();
  if (width != dim) {
    return Fail(source,
                std::string(what) + " has " + std::to_string(width) + " features per token but the weights need " +
                    dim_name + " = " + std::to_string(dim),
                error);
  }
  if (n < 1) return Fail(source, std::string(what) + " has no tokens", error);
  for (size_t i = 0; i < array.f32.size(); ++i) {
    const float v = array.f32[i];
    if (!std::isfinite(v)) {
      return Fail(source,
                  std::string(what) + " holds " + (std::isnan(v) ? "NaN" : "an infinity") + " at token " +
                      std::to_string(static_cast<int64_t>(i) / dim) + ", feature " +
                      std::to_string(static_cast<int64_t>(i) % dim),
                  error);
    }
  }
  *values = array.f32;
  *count = n;
  return true;
}

bool MaskFromNpy(const NpyArray& array, const std::string& source, int64_t nk, std::vector<uint8_t>* mask,
                 std::string* error) {
  if (array.dtype != NpyDType::kBool && array.dtype != NpyDType::kInt8) {
    return Fail(source, std::string("key padding mask must be bool or int8 (0/1), not ") + NpyDTypeName(array.dtype),
                error);
  }
  const auto& shape = array.shape;
  if (!(shape.size() == 1 || (shape.size() == 2 && shape[0] == 1)) || shape.back() != nk) {
    return Fail(source,
                "key padding mask must have shape [" + std::to_string(nk) + "] (one entry per context token), not " +
                    array.ShapeString(),
                error);
  }
  mask->resize(array.i8.size());
  for (size_t j = 0; j < array.i8.size(); ++j) {
    const int8_t v = array.i8[j];
    if (v != 0 && v != 1) {
      return Fail(source, "key padding mask holds " + std::to_string(v) + " at " + std::to_string(j) + " (not 0 or 1)",
                  error);
    }
    (*mask)[j] = static_cast<uint8_t>(v);
  }
  return true;
}

}  // namespace edgefuse::core
