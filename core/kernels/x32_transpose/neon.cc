// x32_transpose on ARMv8.0 Advanced SIMD: 4x4 blocks, four 128-bit loads, a 32-bit and
// a 64-bit round of TRN1/TRN2, four 128-bit stores.
#include <arm_neon.h>

#include <cassert>
#include <cstdint>

#include "core/kernels/x32_transpose/x32_transpose.h"

namespace edgefuse::core::kernels::neon {

void x32_transpose_4x4(size_t rows, size_t cols, const void* in, size_t in_stride, void* out, size_t out_stride) {
  assert(in_stride % 4 == 0 && out_stride % 4 == 0);
  const auto* src = static_cast<const uint8_t*>(in);
  auto* dst = static_cast<uint8_t*>(out);
  const auto in_row = [&](size_t r) { return reinterpret_cast<const uint32_t*>(src + r * in_stride); };
  const auto out_row = [&](size_t c) { return reinterpret_cast<uint32_t*>(dst + c * out_stride); };
  size_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const uint32_t* i0 = in_row(r);
    const uint32_t* i1 = in_row(r + 1);
    const uint32_t* i2 = in_row(r + 2);
    const uint32_t* i3 = in_row(r + 3);
    size_t c = 0;
    for (; c + 4 <= cols; c += 4) {
      const uint32x4_t v0 = vld1q_u32(i0 + c), v1 = vld1q_u32(i1 + c), v2 = vld1q_u32(i2 + c), v3 = vld1q_u32(i3 + c);
      // Rows (a0 a1 a2 a3) (b0 ..) (c0 ..) (d0 ..) -> columns (a0 b0 c0 d0) ...
      const uint32x4_t t0 = vtrn1q_u32(v0, v1), t1 = vtrn2q_u32(v0, v1);  // a0 b0 a2 b2 | a1 b1 a3 b3
      const uint32x4_t t2 = vtrn1q_u32(v2, v3), t3 = vtrn2q_u32(v2, v3);  // c0 d0 c2 d2 | c1 d1 c3 d3
      const uint64x2_t u0 = vreinterpretq_u64_u32(t0), u1 = vreinterpretq_u64_u32(t1);
      const uint64x2_t u2 = vreinterpretq_u64_u32(t2), u3 = vreinterpretq_u64_u32(t3);
      vst1q_u32(out_row(c) + r, vreinterpretq_u32_u64(vtrn1q_u64(u0, u2)));      // a0 b0 c0 d0
      vst1q_u32(out_row(c + 1) + r, vreinterpretq_u32_u64(vtrn1q_u64(u1, u3)));  // a1 b1 c1 d1
      vst1q_u32(out_row(c + 2) + r, vreinterpretq_u32_u64(vtrn2q_u64(u0, u2)));  // a2 b2 c2 d2
      vst1q_u32(out_row(c + 3) + r, vreinterpretq_u32_u64(vtrn2q_u64(u1, u3)));  // a3 b3 c3 d3
    }
    for (; c < cols; ++c) {
      uint32_t* o = out_row(c) + r;
      o[0] = i0[c];
      o[1] = i1[c];
      o[2] = i2[c];
      o[3] = i3[c];
    }
  }
  for (; r < rows; ++r) {
    const uint32_t* row = in_row(r);
    for (size_t c = 0; c < cols; ++c) out_row(c)[r] = row[c];
  }
}

}  // namespace edgefuse::core::kernels::neon
