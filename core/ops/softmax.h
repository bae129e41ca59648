// Softmax ops over rows with an optional key padding mask, TFLite-exact
// (core/kernels/softmax: the arithmetic, the mask rule, the fully masked row):
//   SoftmaxQs8      int8 -> int8,   output scale 1/256,   zero point -128
//   SoftmaxQs8Qs16  int8 -> int16,  output scale 1/65536, zero point -32768
//   SoftmaxQs16     int16 -> int16, output scale 1/32768, zero point 0
// The output quantization is fixed by TFLite; the input zero point does not matter
// (softmax is shift invariant). A plan derives TFLite's prepared parameters from the
// input scale and beta (or takes them prepared) and builds its tables once; Run keeps
// no state and allocates nothing.
//
//   auto softmax = SoftmaxQs8Qs16::Create({.input_scale = s_scores}, &error);
//   softmax->Run(0, nq, nk, scores, nk, key_padding_mask /*[nk] or null*/, p, nk * sizeof(int16_t));
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/dispatch/dispatch.h"
#include "core/kernels/softmax/fixed_point.h"
#include "core/kernels/softmax/softmax.h"

namespace edgefuse::core::ops {

// TFLite's prepared softmax parameters (SoftmaxParams of TFLite), e.g. from a model.
struct PreparedSoftmax {
  int32_t input_multiplier = 0;
  int32_t input_left_shift = 0;  // int8 input: >= 0; int16 input: the shift of MultiplyByQuantizedMultiplier
  int32_t diff_min = 0;          // int8 input only
};

struct SoftmaxOpParams {
  float input_scale = 0.0f;
  float beta = 1.0f;
  std::optional<PreparedSoftmax> prepared;  // instead of input_scale and beta
};

template <class In, class Out>
class Softmax {
 public:
  static std::unique_ptr<Softmax> Create(const SoftmaxOpParams& params, std::string* error,
                                         Tier cap = DefaultTierCap());

  // Rows [row_begin, row_end) of x [rows, n] to y [rows, n] (strides in bytes).
  // key_padding_mask: n bytes, nonzero = key excluded (PyTorch's True), the same for
  // every row; null for none. n <= 4095 for int8 input, <= 65536 for int16.
  void Run(size_t row_begin, size_t row_end, size_t n, const In* x, size_t x_stride, const uint8_t* key_padding_mask,
           Out* y, size_t y_stride) const;

  // The same with one mask row per row: mask row r at mask + r * mask_stride.
  void RunMasked(size_t row_begin, size_t row_end, size_t n, const In* x, size_t x_stride, const uint8_t* mask,
                 size_t mask_stride, Out* y, size_t y_stride) const;

  const kernels::SoftmaxParams& params() const { return params_; }
  const char* kernel_name() const { return name_; }
  Tier tier() const { return tier_; }

 private:
  Softmax() = default;
  kernels::SoftmaxFn<In, Out> fn_ = nullptr;
  const char* name_ = "";
  Tier tier_ = Tier::kReference;
  kernels::SoftmaxParams params_;
  std::unique_ptr<kernels::SoftmaxExpTable> table_;
  std::vector<int16_t> exp_lut_, one_over_one_plus_x_lut_;
};

using SoftmaxQs8 = Softmax<int8_t, int8_t>;
using SoftmaxQs8Qs16 = Softmax<int8_t, int16_t>;
using SoftmaxQs16 = Softmax<int16_t, int16_t>;

}  // namespace edgefuse::core::ops
