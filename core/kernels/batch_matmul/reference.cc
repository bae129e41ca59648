// The specification of the batch matmul kernels: TFLite's reference BatchMatMul loop
// (lhs/rhs offsets, one quantized multiplier). Packed form: B as [n][k].
#include <cassert>

#include "core/kernels/batch_matmul/batch_matmul.h"
#include "core/kernels/rows.h"

namespace edgefuse::core::kernels::reference {
namespace {

template <class B, class Input>
void Transpose(const Input& in, void* packed) {
  auto* b = static_cast<B*>(packed);
  for (size_t j = 0; j < in.n; ++j) {
    for (size_t kk = 0; kk < in.k; ++kk) b[j * in.k + kk] = in.rhs.template At<B>(j, kk);
  }
}

size_t Qs8Size(size_t n, size_t k) { return n * k; }
void Qs8Pack(const Qs8PackInput& in, const Qs8GemmParams&, void* packed) { Transpose<int8_t>(in, packed); }

void Qs8Bmm(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
            size_t c_stride, const Qs8GemmParams& p) {
  const auto* b = static_cast<const int8_t*>(packed);
  for (size_t i = 0; i < m; ++i) {
    const int8_t* ai = Row(a, a_stride, i);
    for (size_t j = 0; j < n; ++j) {
      uint32_t acc = 0;  // int32 arithmetic modulo 2^32
      for (size_t kk = 0; kk < k; ++kk) {
        acc += static_cast<uint32_t>((ai[kk] - p.lhs_zero_point) * (b[j * k + kk] - p.rhs_zero_point));
      }
      const int32_t scaled = MultiplyByQuantizedMultiplier(static_cast<int32_t>(acc), p.multiplier);
      Row(c, c_stride, i)[j] =
          static_cast<int8_t>(AddZeroPointAndClamp(scaled, p.output_zero_point, p.output_min, p.output_max));
    }
  }
}

template <class B, class Out>
void Qs16Bmm(size_t m, size_t n, size_t k, const int16_t* a, size_t a_stride, const void* packed, Out* c,
             size_t c_stride, const Qs16GemmParams& p) {
  const auto* b = static_cast<const B*>(packed);
  for (size_t i = 0; i < m; ++i) {
    const int16_t* ai = Row(a, a_stride, i);
    for (size_t j = 0; j < n; ++j) {
      int64_t acc = 0;
      for (size_t kk = 0; kk < k; ++kk) {
        acc += static_cast<int64_t>(ai[kk] - p.lhs_zero_point) * (b[j * k + kk] - p.rhs_zero_point);
      }
      const int32_t scaled = MultiplyByQuantizedMultiplier(acc, p.multiplier);
      Row(c, c_stride, i)[j] =
          static_cast<Out>(AddZeroPointAndClamp(scaled, p.output_zero_point, p.output_min, p.output_max));
    }
  }
}

size_t Qs16Size(size_t n, size_t k) { return n * k * sizeof(int16_t); }
void Qs16Pack(const Qs16PackInput& in, const Qs16GemmParams&, void* packed) { Transpose<int16_t>(in, packed); }
size_t Qs16Qs8Size(size_t n, size_t k) { return n * k; }
void Qs16Qs8Pack(const Qs16PackInput& in, const Qs16GemmParams&, void* packed) { Transpose<int8_t>(in, packed); }

}  // namespace

const BatchMatmulQs8Kernel qs8_bmm = {1, 1, 1, &Qs8Size, &Qs8Pack, &Qs8Bmm};
const BatchMatmulQs16Kernel qs16_bmm = {1, 1, 1, &Qs16Size, &Qs16Pack, &Qs16Bmm<int16_t, int16_t>};
const BatchMatmulQs16Qs8Kernel qs16_qs8_bmm = {1, 1, 1, &Qs16Qs8Size, &Qs16Qs8Pack, &Qs16Bmm<int8_t, int8_t>};

}  // namespace edgefuse::core::kernels::reference
