// Small NEON helpers of the tile loops: partial loads that never over-read and
// partial stores that never over-write. Include only from neon.cc / neondot.cc files.
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

// For the small steps of the tile loops: they must be inlined for their arrays of
// vectors to live in registers, whatever the inliner's cost estimate says.
#define EDGEFUSE_ALWAYS_INLINE inline __attribute__((always_inline))
#define EDGEFUSE_ALWAYS_INLINE_LAMBDA __attribute__((always_inline))

namespace edgefuse::core::kernels::neon {

// The first n (< 16) bytes of src, zero-padded.
inline int8x16_t LoadS8Partial(const int8_t* src, size_t n) {
  alignas(16) int8_t buffer[16] = {};
  std::memcpy(buffer, src, n);
  return vld1q_s8(buffer);
}

// The first n (< 16) int16 of src, zero-padded, as two vectors.
inline int16x8x2_t LoadS16Partial(const int16_t* src, size_t n) {
  alignas(16) int16_t buffer[16] = {};
  std::memcpy(buffer, src, n * sizeof(int16_t));
  return vld1q_s16_x2(buffer);
}

// Rows i .. i + 3 of A and C for a 4-row tile loop; rows past m alias the last row
// (computed twice, stored to the same place).
EDGEFUSE_ALWAYS_INLINE void FourRows(const int8_t* a, size_t a_stride, int8_t* c, size_t c_stride, size_t i, size_t m,
                                     const int8_t* (&ar)[4], int8_t* (&cr)[4]) {
  ar[0] = a + i * a_stride;
  cr[0] = c + i * c_stride;
  for (int r = 1; r < 4; ++r) {
    const bool valid = i + r < m;
    ar[r] = valid ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = valid ? cr[r - 1] + c_stride : cr[r - 1];
  }
}

// Stores the first n (< 16) lanes of v.
inline void StoreS8Partial(int8_t* dst, int8x16_t v, size_t n) {
  if (n & 8) {
    vst1_s8(dst, vget_low_s8(v));
    dst += 8;
    v = vextq_s8(v, v, 8);
  }
  if (n & 4) {
    vst1q_lane_u32(reinterpret_cast<uint32_t*>(dst), vreinterpretq_u32_s8(v), 0);
    dst += 4;
    v = vextq_s8(v, v, 4);
  }
  if (n & 2) {
    vst1q_lane_u16(reinterpret_cast<uint16_t*>(dst), vreinterpretq_u16_s8(v), 0);
    dst += 2;
    v = vextq_s8(v, v, 2);
  }
  if (n & 1) vst1q_lane_s8(dst, v, 0);
}

// Stores the first n (< 8) lanes of v.
inline void StoreS8Partial(int8_t* dst, int8x8_t v, size_t n) { StoreS8Partial(dst, vcombine_s8(v, v), n); }

// Stores the first n (< 8) lanes of v.
inline void StoreS16Partial(int16_t* dst, int16x8_t v, size_t n) {
  if (n & 4) {
    vst1_s16(dst, vget_low_s16(v));
    dst += 4;
    v = vextq_s16(v, v, 4);
  }
  if (n & 2) {
    vst1q_lane_u32(reinterpret_cast<uint32_t*>(dst), vreinterpretq_u32_s16(v), 0);
    dst += 2;
    v = vextq_s16(v, v, 2);
  }
  if (n & 1) vst1q_lane_s16(dst, v, 0);
}

}  // namespace edgefuse::core::kernels::neon
