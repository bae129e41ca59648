// Softmax kernels over rows, TFLite-exact, with a key padding mask.
//
//   qs8_qs8:   int8 -> int8 (output scale 1/256, zero point -128): TFLite
//              reference_ops::Softmax<int8_t, int8_t> (gemmlowp fixed-point exp).
//   qs8_qs16:  int8 -> int16 (output scale 1/65536, zero point -32768): TFLite
//              reference_ops::Softmax<int8_t, int16_t>. Note the zero point: the output
//              covers [-32768, 32767]; probability p is (y + 32768) / 65536.
//   qs16_qs16: int16 -> int16 (output scale 1/32768, zero point 0, [0, 32767]): TFLite
//              reference_ops::SoftmaxInt16 with the 513-entry exp and 1/(1+x) tables.
//
// Key padding mask (TFLite has none): mask[j] != 0 excludes key j. The row is computed
// as TFLite computes the row made of the unmasked elements alone (max, sum and outputs
// over them), and every masked position gets probability exactly 0 (the output zero
// point of probability 0: -128, -32768, 0). A row without masked elements is therefore
// bit-identical to TFLite, and a fully masked row is all probability 0 (PyTorch gives
// NaN there). mask may be null (no mask); mask_stride 0 uses one mask for every row.
//
// The exp of an int8 input depends only on the difference to the row maximum (0..255),
// so the table kernels look it up in a table made once per input scale from the
// reference functions (an exact shortcut, SoftmaxExpTable).
//
// Contract: strides in bytes; reads n inputs (and mask bytes) per row, writes n outputs;
// no over-read. n <= 4095 for int8 input (TFLite's Q12.19 sum of exps overflows beyond),
// n <= 65536 for int16 input.
//
//   SoftmaxParams p = ...;  // see core/ops/softmax.h, which builds it from the input scale
//   const auto& k = SelectKernel<SoftmaxQs8Fn>(kSoftmaxQs8Kernels, DefaultTierCap());
//   k.fn(rows, nk, scores, nk, key_padding_mask, 0, probabilities, nk, p);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/dispatch/dispatch.h"

namespace edgefuse::core::kernels {

inline constexpr size_t kMaxSoftmaxQs8Row = 4095;
inline constexpr size_t kMaxSoftmaxQs16Row = 65536;

// exp of an int8 input x against its row maximum, laid out for a lookup by x itself:
// with base = exp_by_offset + 255 - max, base[x] is exp(x - max) in Q0.31 for x <= max
// (0 where x - max < diff_min). Entries 256..510 are 0: an x above the maximum occurs
// only at a masked key, whose exp the kernel then zeroes anyway.
struct SoftmaxExpTable {
  int32_t exp_by_offset[511];
};

struct SoftmaxParams {
  // int8 input: TFLite's input_multiplier / input_left_shift (PreprocessSoftmaxScaling)
  // and diff_min. int16 input: TFLite's input_multiplier and its shift (any sign).
  int32_t input_multiplier = 0;
  int32_t input_left_shift = 0;
  int32_t diff_min = 0;
  const SoftmaxExpTable* exp_table = nullptr;        // int8 input, made by BuildSoftmaxExpTable
  const int16_t* exp_lut = nullptr;                  // int16 input, PopulateSoftmaxExpLut
  const int16_t* one_over_one_plus_x_lut = nullptr;  // int16 input, PopulateSoftmaxOneOverOnePlusXLut
};

// The exp table of an int8 softmax, from the reference functions.
void BuildSoftmaxExpTable(const SoftmaxParams& params, SoftmaxExpTable* table);

template <class In, class Out>
using SoftmaxFn = void (*)(size_t rows, size_t n, const In* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                           Out* y, size_t y_stride, const SoftmaxParams& params);
using SoftmaxQs8Fn = SoftmaxFn<int8_t, int8_t>;
using SoftmaxQs8Qs16Fn = SoftmaxFn<int8_t, int16_t>;
using SoftmaxQs16Fn = SoftmaxFn<int16_t, int16_t>;

// Best first; each ends with the reference (the specification).
extern const std::span<const KernelEntry<SoftmaxQs8Fn>> kSoftmaxQs8Kernels;
extern const std::span<const KernelEntry<SoftmaxQs8Qs16Fn>> kSoftmaxQs8Qs16Kernels;
extern const std::span<const KernelEntry<SoftmaxQs16Fn>> kSoftmaxQs16Kernels;

namespace reference {
void qs8_softmax(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                 int8_t* y, size_t y_stride, const SoftmaxParams& params);
void qs8_qs16_softmax(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                      int16_t* y, size_t y_stride, const SoftmaxParams& params);
void qs16_softmax(size_t rows, size_t n, const int16_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                  int16_t* y, size_t y_stride, const SoftmaxParams& params);
}  // namespace reference

namespace neon {
void qs8_softmax_table(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                       int8_t* y, size_t y_stride, const SoftmaxParams& params);
void qs8_qs16_softmax_table(size_t rows, size_t n, const int8_t* x, size_t x_stride, const uint8_t* mask,
                            size_t mask_stride, int16_t* y, size_t y_stride, const SoftmaxParams& params);
void qs16_softmax_lut(size_t rows, size_t n, const int16_t* x, size_t x_stride, const uint8_t* mask, size_t mask_stride,
                      int16_t* y, size_t y_stride, const SoftmaxParams& params);
}  // namespace neon

}  // namespace edgefuse::core::kernels
