// The specification of the fully connected kernels: TFLite's reference loops.
// Packed form: int32 or int64 bias[n] | int32 multiplier[n] | int32 shift[n] | int8 W[n][k].
#include <cassert>
#include <cstring>

#include "core/kernels/fully_connected/fully_connected.h"

namespace edgefuse::core::kernels::reference {
namespace {

template <class Bias>
size_t PackedSize(size_t n, size_t k) {
  return n * (sizeof(Bias) + 8) + n * k;
}

template <class Bias, class Input>
void Pack(const Input& in, void* packed) {
  assert(in.channel_multipliers != nullptr);
  auto* bias = static_cast<Bias*>(packed);
  auto* multiplier = reinterpret_cast<int32_t*>(bias + in.n);
  int32_t* shift = multiplier + in.n;
  auto* w = reinterpret_cast<int8_t*>(shift + in.n);
  for (size_t j = 0; j < in.n; ++j) {
    bias[j] = in.bias != nullptr ? in.bias[j] : 0;
    multiplier[j] = in.channel_multipliers[j].multiplier;
    shift[j] = in.channel_multipliers[j].shift;
    for (size_t kk = 0; kk < in.k; ++kk) w[j * in.k + kk] = in.rhs.template At<int8_t>(j, kk);
  }
}

size_t Qs8Size(size_t n, size_t k) { return PackedSize<int32_t>(n, k); }
void Qs8Pack(const Qs8PackInput& in, const Qs8GemmParams&, void* packed) { Pack<int32_t>(in, packed); }

void Qs8Fc(size_t m, size_t n, size_t k, const int8_t* x, size_t x_stride, const void* packed, int8_t* y,
           size_t y_stride, const Qs8GemmParams& p) {
  const auto* bias = static_cast<const int32_t*>(packed);
  const int32_t* multiplier = bias + n;
  const int32_t* shift = multiplier + n;
  const auto* w = reinterpret_cast<const int8_t*>(shift + n);
  for (size_t i = 0; i < m; ++i) {
    const int8_t* xi = x + i * x_stride;
    for (size_t j = 0; j < n; ++j) {
      uint32_t acc = 0;  // int32 arithmetic modulo 2^32
      for (size_t kk = 0; kk < k; ++kk) {
        acc += static_cast<uint32_t>((w[j * k + kk] - p.rhs_zero_point) * (xi[kk] - p.lhs_zero_point));
      }
      acc += static_cast<uint32_t>(bias[j]);
      const int32_t scaled = MultiplyByQuantizedMultiplier(static_cast<int32_t>(acc), {multiplier[j], shift[j]});
      y[i * y_stride + j] =
          static_cast<int8_t>(AddZeroPointAndClamp(scaled, p.output_zero_point, p.output_min, p.output_max));
    }
  }
}

size_t Qs16Size(size_t n, size_t k) { return PackedSize<int64_t>(n, k); }
void Qs16Pack(const Qs16PackInput& in, const Qs16GemmParams&, void* packed) { Pack<int64_t>(in, packed); }

void Qs16Fc(size_t m, size_t n, size_t k, const int16_t* x, size_t x_stride, const void* packed, int16_t* y,
            size_t y_stride, const Qs16GemmParams& p) {
  const auto* bias = static_cast<const int64_t*>(packed);
  const auto* multiplier = reinterpret_cast<const int32_t*>(bias + n);
  const int32_t* shift = multiplier + n;
  const auto* w = reinterpret_cast<const int8_t*>(shift + n);
  for (size_t i = 0; i < m; ++i) {
    const int16_t* xi = reinterpret_cast<const int16_t*>(reinterpret_cast<const char*>(x) + i * x_stride);
    int16_t* yi = reinterpret_cast<int16_t*>(reinterpret_cast<char*>(y) + i * y_stride);
    for (size_t j = 0; j < n; ++j) {
      int64_t acc = 0;
      for (size_t kk = 0; kk < k; ++kk) {
        acc += (w[j * k + kk] - p.rhs_zero_point) * (xi[kk] - p.lhs_zero_point);
      }
      acc += bias[j];
      const int32_t scaled = MultiplyByQuantizedMultiplier(acc, {multiplier[j], shift[j]});
      yi[j] = static_cast<int16_t>(AddZeroPointAndClamp(scaled, p.output_zero_point, p.output_min, p.output_max));
    }
  }
}

}  // namespace

const FullyConnectedQs8Kernel qs8_qc8w_fc = {1, 1, 1, &Qs8Size, &Qs8Pack, &Qs8Fc};
const FullyConnectedQs16Kernel qs16_qc8w_fc = {1, 1, 1, &Qs16Size, &Qs16Pack, &Qs16Fc};

}  // namespace edgefuse::core::kernels::reference
