// XNNPACK works, not only links: a float fully connected operator and a softmax
// compute known results.
#include <gtest/gtest.h>
#include <xnnpack.h>

#include <cmath>
#include <limits>

#include "core/xnnpack/runtime.h"

namespace {

TEST(Xnnpack, FullyConnectedComputesKnownResult) {
  ASSERT_TRUE(edgefuse::core::EnsureXnnpackInitialized());
  // y = x W^T + b with integer-valued floats: exact in any summation order.
  const float weights[2 * 3] = {1,  2, 3,  //
                                -1, 0, 4};
  const float bias[2] = {0.5f, -2.0f};
  const float input[2 * 3] = {1, 1,  1,  //
                              2, -1, 3};
  float output[2 * 2] = {};
  xnn_operator_t op = nullptr;
  ASSERT_EQ(xnn_create_fully_connected_nc_f32(3, 2, 3, 2, weights, bias, -std::numeric_limits<float>::infinity(),
                                              std::numeric_limits<float>::infinity(), 0, &op),
            xnn_status_success);
  ASSERT_EQ(xnn_setup_fully_connected_nc_f32(op, 2, input, output, nullptr), xnn_status_success);
  ASSERT_EQ(xnn_run_operator(op, nullptr), xnn_status_success);
  xnn_delete_operator(op);
  EXPECT_EQ(output[0], 6.5f);  // 1+2+3+0.5
  EXPECT_EQ(output[1], 1.0f);  // -1+0+4-2
  EXPECT_EQ(output[2], 9.5f);  // 2-2+9+0.5
  EXPECT_EQ(output[3], 8.0f);  // -2+0+12-2
}

TEST(Xnnpack, SoftmaxSumsToOne) {
  ASSERT_TRUE(edgefuse::core::EnsureXnnpackInitialized());
  const float input[4] = {0.0f, std::log(2.0f), std::log(3.0f), std::log(4.0f)};
  float output[4] = {};
  xnn_operator_t op = nullptr;
  ASSERT_EQ(xnn_create_softmax_nc_f32(4, 4, 4, 0, &op), xnn_status_success);
  ASSERT_EQ(xnn_setup_softmax_nc_f32(op, 1, input, output, nullptr), xnn_status_success);
  ASSERT_EQ(xnn_run_operator(op, nullptr), xnn_status_success);
  xnn_delete_operator(op);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(output[i], (i + 1) / 10.0f, 1e-6f) << i;
}

TEST(Xnnpack, TheLoadedLibraryIsDebians) {
  const std::string path = edgefuse::core::XnnpackLibraryPath();
  EXPECT_NE(path.find("libXNNPACK"), std::string::npos) << path;
}

}  // namespace
