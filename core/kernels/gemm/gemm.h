// Quantized GEMM building blocks shared by the fully connected and batch matmul
// families: the operand views, the parameters, the packed right-hand-side formats and
// the micro-kernel interface. This is not a family of its own: the families'
// reference.cc files are the specifications, and their neon.cc / neondot.cc files
// instantiate the tile loops of gemm/neon_*.h and gemm/neondot_*.h.
//
// Every product here is C[m x n] = A[m x k] * B^T, where B is held as [n x k]
// (RhsLayout::kNK: B's row j is output column j, e.g. K_h in Q K^T or FC weights
// [out, in]) or as [k x n] (RhsLayout::kKN: e.g. V_h in P V). B is packed once (FC:
// at plan creation; batch matmul: once per call) into a kernel-specific layout:
//
//   kernel tile  packed tile (repeated ceil(n / NR) times, zero-padded columns)
//   qs8 ..._4x16c4 (neondot)  int32 column term[16] | [per channel: int32 multiplier[16],
//                 left shift[16], -right shift[16]] | int8 B[kp/4][16][4]   (kp = k rounded up to 16)
//   qs8 ..._4x16 (neon)       int32 column term[16] | [per channel as above] | int16 (B - zb)[k][16]
//   qs8 ..._4x4c16 (neon)     int32 column term[4] | int32 multiplier[4], left shift[4], -right shift[4] |
//                             int8 B[kp/16][4][16]   (after the same header as ..._4x16c4)
//   qs16_qs8 ..._4x16 (neon)  int64 C*M[16] | int32 M[16] | int64 -S[16] | int16 (B - zb)[k][16]
//   qs16_qs8 ..._2x16c4 (neondot) int64 C*M[16] | int32 M[16] | int32 256*M[16] | int64 -S[16] |
//                             int8 B[kp/4][16][4]
//   qs16 ..._4x8 (neon)       int32 max |B| (16 bytes) | int16 {B >> 8, B & 255}[k][2][8] | int16 B[k][8]
//
// where M = ReducedMultiplier, S = ReducedShift of the 64-bit path and C the column
// constant (bias and zero-point terms). A per-channel qs8 ..._4x16c4 buffer starts with
// a header of kQs8C4ChannelHeaderBytes: int32 1 when every channel's multiplier shifts
// right by at least 1 (the 3-instruction requantization applies), else 0. A is read in place with a row stride in bytes
// and never over-read; C is written exactly m x n elements.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/kernels/requantization/requantization.h"

namespace edgefuse::core::kernels {

inline constexpr size_t RoundUp(size_t x, size_t multiple) { return (x + multiple - 1) / multiple * multiple; }

inline constexpr size_t kQs8C4ChannelHeaderBytes = 16;  // see above

// How the caller holds B (see above).
enum class RhsLayout { kNK, kKN };

// B as the caller holds it: element (j, kk) of the [n x k] view.
struct RhsView {
  const void* data = nullptr;
  size_t stride = 0;  // bytes between rows as held
  RhsLayout layout = RhsLayout::kNK;

  template <class T>
  T At(size_t j, size_t kk) const {
    const size_t row = layout == RhsLayout::kNK ? j : kk;
    const size_t col = layout == RhsLayout::kNK ? kk : j;
    return reinterpret_cast<const T*>(static_cast<const char*>(data) + row * stride)[col];
  }
};

// int8 A (zero point za) x int8 B (zero point zb, per tensor) -> int8, int32 accumulation:
//   C[i][j] = clamp(zc + MultiplyByQuantizedMultiplier(bias[j] + sum_k (A[i][k] - za) (B[j][k] - zb), q[j]))
// with q[j] = `multiplier` (per tensor) or the per-channel multipliers given at packing.
// Sums wrap modulo 2^32 (TFLite: int32, assumed not to overflow).
struct Qs8GemmParams {
  int32_t lhs_zero_point = 0;
  int32_t rhs_zero_point = 0;
  QuantizedMultiplier multiplier;  // per tensor
  int32_t output_zero_point = 0;
  int32_t output_min = -128;
  int32_t output_max = 127;
};

// What packing needs besides the parameters.
struct Qs8PackInput {
  RhsView rhs;
  size_t n = 0, k = 0;
  const int32_t* bias = nullptr;                             // [n] or null
  const QuantizedMultiplier* channel_multipliers = nullptr;  // [n] for per-channel kernels
};

struct Qs8GemmUkernel {
  uint8_t mr, nr, kr;  // tile rows, tile columns, depth step
  size_t (*packed_size)(size_t n, size_t k);
  void (*pack)(const Qs8PackInput& input, const Qs8GemmParams& params, void* packed);
  void (*gemm)(size_t m, size_t n, size_t k, const int8_t* a, size_t a_stride, const void* packed, int8_t* c,
               size_t c_stride, const Qs8GemmParams& params);
  // Null, or whether the kernel computes these operands exactly: a kernel with limits
  // (..._4x4c16: no weight of -128, no weight zero point) is chosen only for operands
  // it accepts, the next one in its list otherwise.
  bool (*accepts)(const Qs8PackInput& input, const Qs8GemmParams& params) = nullptr;
};

// int16 A (zero point za) x B (int8 or int16, zero point zb) -> int8 or int16 through
// the 64-bit path (TFLite's 16x8 arithmetic), int64 accumulation:
//   C[i][j] = clamp(zc + MultiplyByQuantizedMultiplier(int64 bias[j] + sum_k (A[i][k] - za) (B[j][k] - zb), q[j]))
// The int64 sum is exact: |bias| <= 2^40 and k <= 2^16 keep it below 2^47 as TFLite requires.
struct Qs16GemmParams {
  int32_t lhs_zero_point = 0;
  int32_t rhs_zero_point = 0;
  QuantizedMultiplier multiplier;  // per tensor; FitsInt64Path
  int32_t output_zero_point = 0;
  int32_t output_min = -32768;
  int32_t output_max = 32767;
};

struct Qs16PackInput {
  RhsView rhs;
  size_t n = 0, k = 0;
  const int64_t* bias = nullptr;                             // [n] or null
  const QuantizedMultiplier* channel_multipliers = nullptr;  // [n] for per-channel kernels
};

template <class A, class B, class Out>
struct Qs16GemmUkernel {
  uint8_t mr, nr, kr;
  size_t (*packed_size)(size_t n, size_t k);
  void (*pack)(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed);
  void (*gemm)(size_t m, size_t n, size_t k, const A* a, size_t a_stride, const void* packed, Out* c, size_t c_stride,
               const Qs16GemmParams& params);
};

// The largest depth the kernels accept (int32 partial sums of the split-operand
// kernels stay exact below 2^17; the 64-bit path's 2^47 bound needs k <= 2^16).
inline constexpr size_t kMaxGemmDepth = size_t{1} << 16;

}  // namespace edgefuse::core::kernels
