// Every TFLite-generated vector of testdata/cmsis-nn (CMSIS-NN's, Apache-2.0; compiled
// in) reproduced exactly through the op API, once per tier this CPU runs (the tier cap
// forces the tier): softmax s8, s8->s16, s16 (and its LUTs, generated here the TFLite
// way), fully connected (with and without a weight zero point, per channel, 16x8) and
// batch matmul 1-5 in s8 and s16 (adjoints, broadcast batches, both layouts of the right
// operand).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cmsis-nn/Common/Softmax/exp_lut_data.h"
#include "cmsis-nn/Common/Softmax/one_by_one_lut_data.h"
#include "cmsis-nn/batch_matmul_1_s16/test_data.h"
#include "cmsis-nn/batch_matmul_1_s8/test_data.h"
#include "cmsis-nn/batch_matmul_2_s16/test_data.h"
#include "cmsis-nn/batch_matmul_2_s8/test_data.h"
#include "cmsis-nn/batch_matmul_3_s16/test_data.h"
#include "cmsis-nn/batch_matmul_3_s8/test_data.h"
#include "cmsis-nn/batch_matmul_4_s16/test_data.h"
#include "cmsis-nn/batch_matmul_4_s8/test_data.h"
#include "cmsis-nn/batch_matmul_5_s16/test_data.h"
#include "cmsis-nn/batch_matmul_5_s8/test_data.h"
#include "cmsis-nn/fc_per_ch/test_data.h"
#include "cmsis-nn/fully_connected/test_data.h"
#include "cmsis-nn/fully_connected_int16/test_data.h"
#include "cmsis-nn/fully_connected_w_zp/test_data.h"
#include "cmsis-nn/softmax/test_data.h"
#include "cmsis-nn/softmax_s16/test_data.h"
#include "cmsis-nn/softmax_s8_s16/test_data.h"
#include "core/kernels/softmax/fixed_point.h"
#include "core/ops/batch_matmul.h"
#include "core/ops/fully_connected.h"
#include "core/ops/softmax.h"
#include "tests/core/kernels/kernel_test_util.h"
#include "tests/support/test_support.h"

namespace edgefuse::core {

// Test names and logs show the tier by name.
void PrintTo(Tier tier, std::ostream* os) { *os << TierName(tier); }

namespace {

using kernels::QuantizedMultiplier;
using kernels::RhsLayout;

// One instance per tier this build compiles and this CPU runs (the tier cap forces it):
// the reference everywhere, neon and neondot on the boards that have them. Every
// compiled tier is registered as one that must run where the CPU has it.
std::vector<Tier> TiersToRun() {
  std::vector<Tier> tiers = {Tier::kReference};
  const auto& cpu = platform::DetectCpuFeatures();
  for (auto [compiled, tier] :
       {std::pair{EDGEFUSE_HAVE_NEON, Tier::kNeon}, std::pair{EDGEFUSE_HAVE_NEONDOT, Tier::kNeonDot}}) {
    if (!compiled) continue;
    testing::ExpectKernelRun(std::string("cmsis_nn_ops_") + TierName(tier), TierName(tier));
    if (TierSupported(tier, cpu)) tiers.push_back(tier);
  }
  return tiers;
}

class CmsisNn : public ::testing::TestWithParam<Tier> {
 protected:
  void SetUp() override {
    if (GetParam() != Tier::kReference) {
      testing::CountKernelRun(std::string("cmsis_nn_ops_") + TierName(GetParam()), TierName(GetParam()));
    }
  }
  Tier cap() const { return GetParam(); }
};

template <class T>
::testing::AssertionResult SameArrays(const T* expected, const std::vector<T>& actual) {
  for (size_t i = 0; i < actual.size(); ++i) {
    if (expected[i] != actual[i]) {
      return ::testing::AssertionFailure()
             << "element " << i << ": expected " << int64_t{expected[i]} << ", got " << int64_t{actual[i]};
    }
  }
  return ::testing::AssertionSuccess();
}

// Runs a softmax plan over `rows` rows, in two row ranges, and compares.
template <class In, class Out>
void CheckSoftmax(Tier cap, ops::PreparedSoftmax prepared, size_t rows, size_t n, const In* input,
                  const Out* expected) {
  std::string error;
  auto plan = ops::Softmax<In, Out>::Create({.prepared = prepared}, &error, cap);
  ASSERT_NE(plan, nullptr) << error;
  std::vector<Out> out(rows * n);
  plan->Run(0, rows / 2, n, input, n * sizeof(In), nullptr, out.data(), n * sizeof(Out));
  plan->Run(rows / 2, rows, n, input, n * sizeof(In), nullptr, out.data(), n * sizeof(Out));
  EXPECT_TRUE(SameArrays(expected, out)) << plan->kernel_name();
}

TEST_P(CmsisNn, SoftmaxS8) {
  CheckSoftmax<int8_t, int8_t>(cap(), {SOFTMAX_INPUT_MULT, SOFTMAX_INPUT_LEFT_SHIFT, SOFTMAX_DIFF_MIN},
                               SOFTMAX_NUM_ROWS, SOFTMAX_ROW_SIZE, softmax_input, softmax_output_ref);
}

TEST_P(CmsisNn, SoftmaxS8S16) {
  CheckSoftmax<int8_t, int16_t>(
      cap(), {SOFTMAX_S8_S16_INPUT_MULT, SOFTMAX_S8_S16_INPUT_LEFT_SHIFT, SOFTMAX_S8_S16_DIFF_MIN},
      SOFTMAX_S8_S16_NUM_ROWS, SOFTMAX_S8_S16_ROW_SIZE, softmax_s8_s16_input, softmax_s8_s16_output_ref);
}

TEST_P(CmsisNn, SoftmaxS16) {
  CheckSoftmax<int16_t, int16_t>(cap(), {SOFTMAX_S16_INPUT_MULT, SOFTMAX_S16_INPUT_LEFT_SHIFT, 0}, SOFTMAX_S16_NUM_ROWS,
                                 SOFTMAX_S16_ROW_SIZE, softmax_s16_input, softmax_s16_output_ref);
}

// The 513-entry tables, generated the TFLite way, equal the ones the vectors were made with.
TEST(CmsisNnTables, SoftmaxLutsAreTflites) {
  std::vector<int16_t> exp_lut(kernels::kSoftmaxLutSize), one_over(kernels::kSoftmaxLutSize);
  kernels::PopulateSoftmaxExpLut(exp_lut.data());
  kernels::PopulateSoftmaxOneOverOnePlusXLut(one_over.data());
  EXPECT_TRUE(SameArrays(softmax_s16_exp_lut, exp_lut));
  EXPECT_TRUE(SameArrays(softmax_s16_one_by_one_lut, one_over));
}

struct FcVector {
  size_t batches, in, out;
  const void* input;
  const int8_t* weights;
  const void* bias;  // int32 or int64, or null
  std::vector<QuantizedMultiplier> multipliers;
  int32_t input_offset, filter_offset, output_offset, act_min, act_max;
  const void* expected;
};

template <class In, class Bias>
void CheckFc(Tier cap, const FcVector& v) {
  std::string error;
  ops::FullyConnectedParams<Bias> p;
  p.input_channels = v.in;
  p.output_channels = v.out;
  p.weights = v.weights;
  p.weight_zero_point = -v.filter_offset;  // TFLite/CMSIS offsets are minus the zero points
  p.bias = static_cast<const Bias*>(v.bias);
  p.input_zero_point = -v.input_offset;
  p.output_zero_point = v.output_offset;
  p.clamp = ops::Clamp{v.act_min, v.act_max};
  p.output_multipliers = v.multipliers;
  auto fc = ops::FullyConnected<In, Bias,
                                std::conditional_t<sizeof(In) == 1, kernels::FullyConnectedQs8Kernel,
                                                   kernels::FullyConnectedQs16Kernel>>::Create(p, &error, cap);
  ASSERT_NE(fc, nullptr) << error;
  std::vector<In> out(v.batches * v.out);
  const In* input = static_cast<const In*>(v.input);
  for (size_t b = 0; b < v.batches; ++b) {  // one row at a time: every row range works alone
    fc->Run(b, b + 1, input, v.in * sizeof(In), out.data(), v.out * sizeof(In));
  }
  EXPECT_TRUE(SameArrays(static_cast<const In*>(v.expected), out)) << fc->kernel_name();
}

std::vector<QuantizedMultiplier> PerTensor(int32_t multiplier, int32_t shift) { return {{multiplier, shift}}; }

TEST_P(CmsisNn, FullyConnected) {
  CheckFc<int8_t, int32_t>(
      cap(), {FULLY_CONNECTED_INPUT_BATCHES, FULLY_CONNECTED_ACCUMULATION_DEPTH, FULLY_CONNECTED_OUT_CH,
              fully_connected_input, fully_connected_weights, fully_connected_biases,
              PerTensor(FULLY_CONNECTED_OUTPUT_MULTIPLIER, FULLY_CONNECTED_OUTPUT_SHIFT), FULLY_CONNECTED_INPUT_OFFSET,
              FULLY_CONNECTED_FILTER_OFFSET, FULLY_CONNECTED_OUTPUT_OFFSET, FULLY_CONNECTED_OUT_ACTIVATION_MIN,
              FULLY_CONNECTED_OUT_ACTIVATION_MAX, fully_connected_output_ref});
}

TEST_P(CmsisNn, FullyConnectedWithWeightZeroPoint) {
  CheckFc<int8_t, int32_t>(
      cap(), {FULLY_CONNECTED_W_ZP_INPUT_BATCHES, FULLY_CONNECTED_W_ZP_ACCUMULATION_DEPTH, FULLY_CONNECTED_W_ZP_OUT_CH,
              fully_connected_w_zp_input, fully_connected_w_zp_weights, fully_connected_w_zp_biases,
              PerTensor(FULLY_CONNECTED_W_ZP_OUTPUT_MULTIPLIER, FULLY_CONNECTED_W_ZP_OUTPUT_SHIFT),
              FULLY_CONNECTED_W_ZP_INPUT_OFFSET, FULLY_CONNECTED_W_ZP_FILTER_OFFSET, FULLY_CONNECTED_W_ZP_OUTPUT_OFFSET,
              FULLY_CONNECTED_W_ZP_OUT_ACTIVATION_MIN, FULLY_CONNECTED_W_ZP_OUT_ACTIVATION_MAX,
              fully_connected_w_zp_output_ref});
}

TEST_P(CmsisNn, FullyConnectedPerChannel) {
  std::vector<QuantizedMultiplier> q(FC_PER_CH_OUT_CH);
  for (size_t j = 0; j < q.size(); ++j) q[j] = {fc_per_ch_output_multiplier[j], fc_per_ch_output_shift[j]};
  CheckFc<int8_t, int32_t>(cap(),
                           {FC_PER_CH_INPUT_BATCHES, FC_PER_CH_ACCUMULATION_DEPTH, FC_PER_CH_OUT_CH, fc_per_ch_input,
                            fc_per_ch_weights, fc_per_ch_bias, q, FC_PER_CH_INPUT_OFFSET, 0, FC_PER_CH_OUTPUT_OFFSET,
                            FC_PER_CH_OUT_ACTIVATION_MIN, FC_PER_CH_OUT_ACTIVATION_MAX, fc_per_ch_output});
}

TEST_P(CmsisNn, FullyConnectedInt16) {
  CheckFc<int16_t, int64_t>(
      cap(),
      {FULLY_CONNECTED_INT16_INPUT_BATCHES, FULLY_CONNECTED_INT16_ACCUMULATION_DEPTH, FULLY_CONNECTED_INT16_OUT_CH,
       fully_connected_int16_input, fully_connected_int16_weights, fully_connected_int16_biases,
       PerTensor(FULLY_CONNECTED_INT16_OUTPUT_MULTIPLIER, FULLY_CONNECTED_INT16_OUTPUT_SHIFT),
       FULLY_CONNECTED_INT16_INPUT_OFFSET, 0, FULLY_CONNECTED_INT16_OUTPUT_OFFSET,
       FULLY_CONNECTED_INT16_OUT_ACTIVATION_MIN, FULLY_CONNECTED_INT16_OUT_ACTIVATION_MAX,
       fully_connected_int16_output_ref});
}

// TFLite BATCH_MATMUL with adj_x / adj_y and broadcast batch and height dimensions.
template <class T>
struct BmmVector {
  int lhs_batch, lhs_height, lhs_rows, lhs_cols, rhs_batch, rhs_height, rhs_rows, rhs_cols, adj_x, adj_y;
  int out_batch, out_height, out_rows, out_cols;
  int32_t lhs_offset, rhs_offset, output_offset, act_min, act_max, multiplier, shift;
  const T *lhs, *lhs_transposed, *rhs, *rhs_transposed, *expected;
};

#define EF_BMM_VECTOR(T, P, p)                                                                                     \
  BmmVector<T> {                                                                                                   \
    P##_LHS_BATCH, P##_LHS_HEIGHT, P##_LHS_ROWS, P##_LHS_COLS, P##_RHS_BATCH, P##_RHS_HEIGHT, P##_RHS_ROWS,        \
        P##_RHS_COLS, P##_ADJ_X, P##_ADJ_Y, P##_OUTPUT_BATCH, P##_OUTPUT_HEIGHT, P##_OUTPUT_ROWS, P##_OUTPUT_COLS, \
        P##_LHS_OFFSET, P##_RHS_OFFSET, P##_OUTPUT_OFFSET, P##_ACTIVATION_MIN, P##_ACTIVATION_MAX,                 \
        P##_OUTPUT_MULTIPLIER, P##_OUTPUT_SHIFT, p##_lhs_input_tensor, p##_lhs_transposed_tensor,                  \
        p##_rhs_input_tensor, p##_rhs_transposed_tensor, p##_output                                                \
  }

template <class T, class Plan>
void CheckBmm(Tier cap, const BmmVector<T>& v, const char* name) {
  SCOPED_TRACE(name);
  const size_t m = v.out_rows, n = v.out_cols, k = v.adj_x ? v.lhs_rows : v.lhs_cols;
  // B as the vector holds it: [K, N] when adj_y is 0 (also given transposed as [N, K]),
  // [N, K] when adj_y is 1. Every held form is run.
  struct Rhs {
    const T* data;
    RhsLayout layout;
  };
  std::vector<Rhs> forms = {{v.rhs, v.adj_y ? RhsLayout::kNK : RhsLayout::kKN}};
  if (!v.adj_y) forms.push_back({v.rhs_transposed, RhsLayout::kNK});
  for (const Rhs& form : forms) {
    std::string error;
    auto plan = Plan::Create({.rhs_layout = form.layout,
                              .lhs_zero_point = -v.lhs_offset,
                              .rhs_zero_point = -v.rhs_offset,
                              .output_zero_point = v.output_offset,
                              .clamp = ops::Clamp{v.act_min, v.act_max},
                              .output_multiplier = QuantizedMultiplier{v.multiplier, v.shift}},
                             &error, cap);
    ASSERT_NE(plan, nullptr) << error;
    std::vector<uint64_t> workspace(plan->PackedRhsSize(n, k) / 8 + 2);
    std::vector<T> out(static_cast<size_t>(v.out_batch) * v.out_height * m * n);
    const T* lhs = v.adj_x ? v.lhs_transposed : v.lhs;  // row-major [M, K]
    for (int b = 0; b < v.out_batch; ++b) {
      for (int h = 0; h < v.out_height; ++h) {
        const size_t lhs_index = (v.lhs_batch == 1 ? 0 : b) * v.lhs_height + (v.lhs_height == 1 ? 0 : h);
        const size_t rhs_index = (v.rhs_batch == 1 ? 0 : b) * v.rhs_height + (v.rhs_height == 1 ? 0 : h);
        const size_t rhs_stride = form.layout == RhsLayout::kNK ? k : n;
        const ops::PackedRhs packed =
            plan->PackRhs(form.data + rhs_index * n * k, rhs_stride * sizeof(T), n, k, workspace.data());
        T* c = out.data() + (static_cast<size_t>(b) * v.out_height + h) * m * n;
        plan->Run(packed, 0, m / 3, lhs + lhs_index * m * k, k * sizeof(T), c, n * sizeof(T));
        plan->Run(packed, m / 3, m, lhs + lhs_index * m * k, k * sizeof(T), c, n * sizeof(T));
      }
    }
    EXPECT_TRUE(SameArrays(v.expected, out))
        << plan->kernel_name() << (form.layout == RhsLayout::kNK ? ", B as [N, K]" : ", B as [K, N]");
  }
}

TEST_P(CmsisNn, BatchMatmulS8) {
  CheckBmm<int8_t, ops::BatchMatmulQs8>(cap(), EF_BMM_VECTOR(int8_t, BATCH_MATMUL_1_S8, batch_matmul_1_s8), "1_s8");
  CheckBmm<int8_t, ops::BatchMatmulQs8>(cap(), EF_BMM_VECTOR(int8_t, BATCH_MATMUL_2_S8, batch_matmul_2_s8), "2_s8");
  CheckBmm<int8_t, ops::BatchMatmulQs8>(cap(), EF_BMM_VECTOR(int8_t, BATCH_MATMUL_3_S8, batch_matmul_3_s8), "3_s8");
  CheckBmm<int8_t, ops::BatchMatmulQs8>(cap(), EF_BMM_VECTOR(int8_t, BATCH_MATMUL_4_S8, batch_matmul_4_s8), "4_s8");
  CheckBmm<int8_t, ops::BatchMatmulQs8>(cap(), EF_BMM_VECTOR(int8_t, BATCH_MATMUL_5_S8, batch_matmul_5_s8), "5_s8");
}

TEST_P(CmsisNn, BatchMatmulS16) {
  CheckBmm<int16_t, ops::BatchMatmulQs16>(cap(), EF_BMM_VECTOR(int16_t, BATCH_MATMUL_1_S16, batch_matmul_1_s16),
                                          "1_s16");
  CheckBmm<int16_t, ops::BatchMatmulQs16>(cap(), EF_BMM_VECTOR(int16_t, BATCH_MATMUL_2_S16, batch_matmul_2_s16),
                                          "2_s16");
  CheckBmm<int16_t, ops::BatchMatmulQs16>(cap(), EF_BMM_VECTOR(int16_t, BATCH_MATMUL_3_S16, batch_matmul_3_s16),
                                          "3_s16");
  CheckBmm<int16_t, ops::BatchMatmulQs16>(cap(), EF_BMM_VECTOR(int16_t, BATCH_MATMUL_4_S16, batch_matmul_4_s16),
                                          "4_s16");
  CheckBmm<int16_t, ops::BatchMatmulQs16>(cap(), EF_BMM_VECTOR(int16_t, BATCH_MATMUL_5_S16, batch_matmul_5_s16),
                                          "5_s16");
}

INSTANTIATE_TEST_SUITE_P(Tiers, CmsisNn, ::testing::ValuesIn(TiersToRun()),
                         [](const ::testing::TestParamInfo<Tier>& info) { return std::string(TierName(info.param)); });

}  // namespace
}  // namespace edgefuse::core
