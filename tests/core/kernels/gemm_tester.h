// The tester of the GEMM-shaped kernels (fully connected, batch matmul): packs B, runs
// a kernel and the reference on the same operands, in place in larger buffers (row
// strides wider than the rows), and requires equal outputs and untouched padding.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/kernels/gemm/gemm.h"
#include "tests/core/kernels/kernel_test_util.h"

namespace edgefuse::testing {

struct GemmShape {
  size_t m = 1, n = 1, k = 1;
  core::kernels::RhsLayout layout = core::kernels::RhsLayout::kNK;
  size_t a_pad = 0, b_pad = 0, c_pad = 0;  // extra elements per row

  std::string ToString() const {
    return "m=" + std::to_string(m) + " n=" + std::to_string(n) + " k=" + std::to_string(k) +
           (layout == core::kernels::RhsLayout::kNK ? " B[n,k]" : " B[k,n]");
  }
  size_t a_stride() const { return k + a_pad; }  // elements
  size_t b_rows() const { return layout == core::kernels::RhsLayout::kNK ? n : k; }
  size_t b_stride() const { return (layout == core::kernels::RhsLayout::kNK ? k : n) + b_pad; }  // elements
  size_t c_stride() const { return n + c_pad; }                                                  // elements
};

// Operands of one case: A [m, a_stride], B as held [b_rows, b_stride], per-column data.
template <class A, class B, class Bias>
struct GemmOperands {
  std::vector<A> a;
  std::vector<B> b;
  std::vector<Bias> bias;                                   // empty: no bias
  std::vector<core::kernels::QuantizedMultiplier> channel;  // empty: per tensor
};

// Runs `kernel` and `reference` (Qs8GemmUkernel or Qs16GemmUkernel) and compares.
template <class Out, class Ukernel, class A, class B, class Bias, class Params>
::testing::AssertionResult SameAsReference(const Ukernel& kernel, const Ukernel& reference, const GemmShape& s,
                                           const GemmOperands<A, B, Bias>& ops, const Params& params) {
  using PackInput = std::conditional_t<std::is_same_v<Params, core::kernels::Qs8GemmParams>,
                                       core::kernels::Qs8PackInput, core::kernels::Qs16PackInput>;
  PackInput input;
  input.rhs = {ops.b.data(), s.b_stride() * sizeof(B), s.layout};
  input.n = s.n;
  input.k = s.k;
  input.bias = ops.bias.empty() ? nullptr : ops.bias.data();
  input.channel_multipliers = ops.channel.empty() ? nullptr : ops.channel.data();
  std::vector<Out> outputs[2];
  const Ukernel* kernels[2] = {&reference, &kernel};
  for (int which = 0; which < 2; ++which) {
    // 16-byte aligned packing buffer, with a guard after it.
    const size_t size = kernels[which]->packed_size(s.n, s.k);
    std::vector<uint64_t> packed((size + 15) / 8 + 2, 0x5A5A5A5A5A5A5A5Aull);
    kernels[which]->pack(input, params, packed.data());
    outputs[which].assign(s.m * s.c_stride(), static_cast<Out>(0x55));
    kernels[which]->gemm(s.m, s.n, s.k, ops.a.data(), s.a_stride() * sizeof(A), packed.data(), outputs[which].data(),
                         s.c_stride() * sizeof(Out), params);
  }
  if (outputs[0] == outputs[1]) {
    for (size_t i = 0; i < s.m; ++i) {
      for (size_t j = s.n; j < s.c_stride(); ++j) {
        if (outputs[1][i * s.c_stride() + j] != static_cast<Out>(0x55)) {
          return ::testing::AssertionFailure() << s.ToString() << ": wrote past row end at row " << i;
        }
      }
    }
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << s.ToString() << ": " << FirstMismatch(outputs[0], outputs[1], s.c_stride());
}

// Shapes around the tiles: rows below/at/above 2 and 4, columns around 8 and 16, depths
// around 4, 8 and 16 (and the 256-depth chunks of the int16 kernels when `deep`).
inline std::vector<GemmShape> TileShapes(bool deep) {
  std::vector<GemmShape> shapes;
  const size_t ms[] = {1, 2, 3, 4, 5, 7, 8, 9};
  const size_t ns[] = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33};
  const size_t ks[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 67};
  size_t i = 0;
  for (size_t k : ks) {
    for (size_t n : ns) {
      GemmShape s;
      s.m = ms[i % 8];
      s.n = n;
      s.k = k;
      s.layout = i % 2 == 0 ? core::kernels::RhsLayout::kNK : core::kernels::RhsLayout::kKN;
      s.a_pad = i % 3 == 0 ? 0 : 5;
      s.b_pad = i % 4 == 1 ? 3 : 0;
      s.c_pad = i % 3 == 1 ? 7 : 0;
      shapes.push_back(s);
      ++i;
    }
  }
  if (deep) {
    for (size_t k : {255, 256, 257, 300, 513}) {
      shapes.push_back({5, 17, k, core::kernels::RhsLayout::kNK, 1, 0, 0});
      shapes.push_back({3, 16, k, core::kernels::RhsLayout::kKN, 0, 2, 1});
    }
  }
  return shapes;
}

// SameAsReference on every TileShapes(deep) shape; make(shape, index) returns the
// operands and parameters of that case (and may change the shape, e.g. its layout).
template <class Out, class Ukernel, class Make>
::testing::AssertionResult SameAsReferenceOnTileShapes(const Ukernel& kernel, const Ukernel& reference, bool deep,
                                                       Make make) {
  int index = 0;
  for (GemmShape shape : TileShapes(deep)) {
    const auto [ops, params] = make(shape, index);
    ::testing::AssertionResult result = SameAsReference<Out>(kernel, reference, shape, ops, params);
    if (!result) return result << " (case " << index << ")";
    ++index;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace edgefuse::testing
