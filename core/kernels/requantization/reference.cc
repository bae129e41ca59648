// The specification of the requantize kernels: plain loops over requantization.h.
#include "core/kernels/requantization/requantize.h"

namespace edgefuse::core::kernels {

ChannelMultipliers::ChannelMultipliers(std::span<const QuantizedMultiplier> q) {
  for (const QuantizedMultiplier& m : q) {
    multiplier.push_back(m.multiplier);
    left_shift.push_back(m.shift > 0 ? m.shift : 0);
    right_shift.push_back(m.shift > 0 ? 0 : m.shift);
  }
}

namespace reference {

void qs32_qs8_requantize(size_t rows, size_t channels, const int32_t* acc, size_t acc_stride, int8_t* out,
                         size_t out_stride, const Qs32Qs8RequantizeParams& params) {
  for (size_t r = 0; r < rows; ++r) {
    const int32_t* a = reinterpret_cast<const int32_t*>(reinterpret_cast<const char*>(acc) + r * acc_stride);
    int8_t* o = out + r * out_stride;
    for (size_t c = 0; c < channels; ++c) {
      const QuantizedMultiplier q{params.multiplier[c],
                                  params.left_shift[c] > 0 ? params.left_shift[c] : params.right_shift[c]};
      o[c] = static_cast<int8_t>(
          AddZeroPointAndClamp(MultiplyByQuantizedMultiplier(a[c], q), params.zero_point, params.min, params.max));
    }
  }
}

}  // namespace reference
}  // namespace edgefuse::core::kernels
