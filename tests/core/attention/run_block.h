// Runs a cross-attention block twice on the same inputs, once for the head-averaged
// attention weights and once for the per-head weights, and checks that the output
// does not depend on which weights are requested. Shared by the float and integer
// block tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/attention/attention.h"

namespace edgefuse::testing {

struct BlockOutputs {
  std::vector<float> out, averaged, per_head;
};

inline BlockOutputs RunBlock(core::CrossAttention& block, const std::vector<float>& query,
                             const std::vector<float>& context, const std::vector<uint8_t>& mask) {
  const core::AttentionConfig& c = block.config();
  const size_t nq = query.size() / static_cast<size_t>(c.embed_dim);
  const size_t nk = context.size() / static_cast<size_t>(c.kdim);
  BlockOutputs r;
  r.out.assign(nq * static_cast<size_t>(c.embed_dim), -1.0f);
  r.averaged.assign(nq * nk, -1.0f);
  r.per_head.assign(static_cast<size_t>(c.num_heads) * nq * nk, -1.0f);
  std::string error;
  EXPECT_TRUE(block.Run({query, context, mask}, {r.out, r.averaged, false}, &error)) << error;
  std::vector<float> out2(r.out.size());
  EXPECT_TRUE(block.Run({query, context, mask}, {out2, r.per_head, true}, &error)) << error;
  EXPECT_EQ(0, std::memcmp(out2.data(), r.out.data(), out2.size() * sizeof(float)))
      << "the output depends on which weights are requested";
  return r;
}

}  // namespace edgefuse::testing
