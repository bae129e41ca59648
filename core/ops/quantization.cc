#include "core/ops/quantization.h"

#include <cmath>

namespace edgefuse::core::ops::internal {

bool CheckScale(const char* what, double scale, std::string* error) {
  if (std::isfinite(scale) && scale > 0.0) return true;
  *error = std::string(what) + " must be a finite number > 0 (got " + std::to_string(scale) + ")";
  return false;
}

bool CheckRange(const char* what, int64_t value, int64_t min, int64_t max, std::string* error) {
  if (value >= min && value <= max) return true;
  *error = std::string(what) + " " + std::to_string(value) + " is outside [" + std::to_string(min) + ", " +
           std::to_string(max) + "]";
  return false;
}

bool CheckMultiplier(const char* what, kernels::QuantizedMultiplier q, bool int64_path, std::string* error) {
  // The vector fix-up needs a multiplier >= 0 (TFLite's are in [2^30, 2^31) or 0).
  const bool ok = q.multiplier >= 0 && q.shift >= -31 && q.shift <= (int64_path ? 7 : 30);
  if (ok) return true;
  *error = std::string(what) + " {" + std::to_string(q.multiplier) + ", " + std::to_string(q.shift) +
           "} is not a TFLite quantized multiplier" + (int64_path ? " with shift <= 7" : "");
  return false;
}

bool MakeMultiplier(const char* what, double real, bool int64_path, kernels::QuantizedMultiplier* q,
                    std::string* error) {
  if (!std::isfinite(real) || real < 0.0) {
    *error = std::string(what) + " is not a finite number >= 0 (got " + std::to_string(real) + ")";
    return false;
  }
  *q = kernels::QuantizeMultiplier(real);
  if (q->shift > (int64_path ? 7 : 30)) {
    *error = std::string(what) + " " + std::to_string(real) + " is too large to requantize (at most " +
             (int64_path ? "2^7" : "2^30") + ")";
    return false;
  }
  return true;
}

}  // namespace edgefuse::core::ops::internal
