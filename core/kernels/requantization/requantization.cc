#include "core/kernels/requantization/requantization.h"

#include <cassert>
#include <cmath>

namespace edgefuse::core::kernels {

QuantizedMultiplier QuantizeMultiplier(double real_multiplier) {
  assert(std::isfinite(real_multiplier) && real_multiplier >= 0.0);
  QuantizedMultiplier q;
  if (real_multiplier == 0.0) return q;
  int shift = 0;
  const double fraction = std::frexp(real_multiplier, &shift);  // in [0.5, 1)
  int64_t fixed = static_cast<int64_t>(std::round(fraction * static_cast<double>(int64_t{1} << 31)));
  if (fixed == (int64_t{1} << 31)) {  // the fraction rounded up to 1.0
    fixed /= 2;
    ++shift;
  }
  if (shift < -31) {  // every bit would be shifted out: TFLite flushes to zero
    shift = 0;
    fixed = 0;
  }
  q.multiplier = static_cast<int32_t>(fixed);
  q.shift = shift;
  return q;
}

}  // namespace edgefuse::core::kernels
