// The specification of x32_transpose (x32_transpose.h): element by element.
#include <cassert>
#include <cstdint>

#include "core/kernels/x32_transpose/x32_transpose.h"

namespace edgefuse::core::kernels::reference {

void x32_transpose(size_t rows, size_t cols, const void* in, size_t in_stride, void* out, size_t out_stride) {
  assert(in_stride % 4 == 0 && out_stride % 4 == 0);
  const auto* src = static_cast<const uint8_t*>(in);
  auto* dst = static_cast<uint8_t*>(out);
  for (size_t r = 0; r < rows; ++r) {
    const auto* row = reinterpret_cast<const uint32_t*>(src + r * in_stride);
    for (size_t c = 0; c < cols; ++c) reinterpret_cast<uint32_t*>(dst + c * out_stride)[r] = row[c];
  }
}

}  // namespace edgefuse::core::kernels::reference
