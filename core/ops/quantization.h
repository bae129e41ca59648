// Checks and conversions shared by the ops' Create(): one-line reasons for bad
// quantization parameters. Internal to core/ops.
#pragma once

#include <cstdint>
#include <string>

#include "core/kernels/requantization/requantization.h"

namespace edgefuse::core::ops::internal {

// "<what> must be a finite number > 0 (got <value>)" when scale is not.
bool CheckScale(const char* what, double scale, std::string* error);
// "<what> <value> is outside [min, max]".
bool CheckRange(const char* what, int64_t value, int64_t min, int64_t max, std::string* error);
// TFLite QuantizeMultiplier of real, checked for the 32-bit (shift <= 30) or the 64-bit
// (shift <= 7, TFLite's 16x8 kernels) rescaling path.
bool MakeMultiplier(const char* what, double real, bool int64_path, kernels::QuantizedMultiplier* q,
                    std::string* error);
// A prepared multiplier's range check.
bool CheckMultiplier(const char* what, kernels::QuantizedMultiplier q, bool int64_path, std::string* error);

}  // namespace edgefuse::core::ops::internal
