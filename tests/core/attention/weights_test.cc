// nn.MultiheadAttention state_dict names from .safetensors: every layout PyTorch
// writes, and one-line errors for everything else.
#include "core/attention/weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace edgefuse::core {
namespace {

std::vector<float> Iota(size_t count, float start) {
  std::vector<float> v(count);
  std::iota(v.begin(), v.end(), start);
  return v;
}

SafetensorsFile Parse(const std::vector<SafetensorsF32Entry>& tensors,
                      const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
  SafetensorsFile file;
  std::string error;
  EXPECT_TRUE(ParseSafetensors(SerializeSafetensorsF32(tensors, metadata), &file, &error)) << error;
  return file;
}

// What nn.MultiheadAttention(E, H).state_dict() holds, with recognisable values.
std::vector<SafetensorsF32Entry> Packed(int64_t e) {
  const auto n = static_cast<size_t>(e);
  return {{"in_proj_weight", {3 * e, e}, Iota(3 * n * n, 0)},
          {"in_proj_bias", {3 * e}, Iota(3 * n, 1000)},
          {"out_proj.weight", {e, e}, Iota(n * n, -50)},
          {"out_proj.bias", {e}, Iota(n, 2000)}};
}

std::string LoadError(const std::vector<SafetensorsF32Entry>& tensors, int heads = 2,
                      const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
  AttentionWeights w;
  std::string error;
  EXPECT_FALSE(AttentionWeightsFromSafetensors(Parse(tensors, metadata), &heads, &w, &error));
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  return error;
}

TEST(AttentionWeights, SplitsThePackedInProjection) {
  int heads = 0;
  AttentionWeights w;
  std::string error;
  ASSERT_TRUE(AttentionWeightsFromSafetensors(Parse(Packed(4), {{"num_heads", "2"}}), &heads, &w, &error)) << error;
  EXPECT_EQ(heads, 2);
  EXPECT_EQ(w.embed_dim, 4);
  EXPECT_EQ(w.kdim, 4);
  EXPECT_EQ(w.q_weight, Iota(16, 0));
  EXPECT_EQ(w.k_weight, Iota(16, 16));
  EXPECT_EQ(w.v_weight, Iota(16, 32));
  EXPECT_EQ(w.q_bias, Iota(4, 1000));
  EXPECT_EQ(w.k_bias, Iota(4, 1004));
  EXPECT_EQ(w.v_bias, Iota(4, 1008));
  EXPECT_EQ(w.out_weight, Iota(16, -50));
  EXPECT_EQ(w.out_bias, Iota(4, 2000));
}

TEST(AttentionWeights, ReadsSeparateProjectionsWithKdim) {
  const std::vector<SafetensorsF32Entry> tensors = {
      {"q_proj_weight", {4, 4}, Iota(16, 0)},     {"k_proj_weight", {4, 6}, Iota(24, 100)},
      {"v_proj_weight", {4, 6}, Iota(24, 200)},   {"in_proj_bias", {12}, Iota(12, 1000)},
      {"out_proj.weight", {4, 4}, Iota(16, -50)}, {"out_proj.bias", {4}, Iota(4, 2000)}};
  int heads = 4;
  AttentionWeights w;
  std::string error;
  ASSERT_TRUE(AttentionWeightsFromSafetensors(Parse(tensors), &heads, &w, &error)) << error;
  EXPECT_EQ(w.kdim, 6);
  EXPECT_EQ(w.k_weight, Iota(24, 100));
  EXPECT_EQ(w.v_bias, Iota(4, 1008));
}

TEST(AttentionWeights, NoBiasesMeansZeroBiases) {
  std::vector<SafetensorsF32Entry> tensors = Packed(4);
  tensors.erase(tensors.begin() + 3);
  tensors.erase(tensors.begin() + 1);
  int heads = 1;
  AttentionWeights w;
  std::string error;
  ASSERT_TRUE(AttentionWeightsFromSafetensors(Parse(tensors), &heads, &w, &error)) << error;
  EXPECT_EQ(w.q_bias, std::vector<float>(4, 0.0f));
  EXPECT_EQ(w.out_bias, std::vector<float>(4, 0.0f));
}

TEST(AttentionWeights, HeadCountFromCallerOrMetadata) {
  EXPECT_EQ(LoadError(Packed(4), 0), "head count unknown: the file has no __metadata__ num_heads and none was given");
  EXPECT_EQ(LoadError(Packed(4), 3), "head count 3 does not divide embed dim 4");
  EXPECT_EQ(LoadError(Packed(4), 4, {{"num_heads", "2"}}), "head count 4 disagrees with the file's num_heads 2");
  EXPECT_EQ(LoadError(Packed(4), 0, {{"num_heads", "two"}}), "__metadata__ num_heads 'two' is not a positive integer");
  int heads = 2;  // agreeing with the file is fine
  AttentionWeights w;
  std::string error;
  EXPECT_TRUE(AttentionWeightsFromSafetensors(Parse(Packed(4), {{"num_heads", "2"}}), &heads, &w, &error)) << error;
}

TEST(AttentionWeights, RejectsWrongShapesWithOneLine) {
  std::vector<SafetensorsF32Entry> t = Packed(4);
  t[0] = {"in_proj_weight", {12, 5}, Iota(60, 0)};
  EXPECT_EQ(LoadError(t), "tensor 'in_proj_weight' has shape [12, 5], expected [12, 4] (E = 4 from out_proj.weight)");
  t = Packed(4);
  t[1] = {"in_proj_bias", {8}, Iota(8, 0)};
  EXPECT_EQ(LoadError(t), "tensor 'in_proj_bias' has shape [8], expected [12] (E = 4 from out_proj.weight)");
  t = Packed(4);
  t[2] = {"out_proj.weight", {4, 3}, Iota(12, 0)};
  EXPECT_EQ(LoadError(t), "tensor 'out_proj.weight' has shape [4, 3], expected [E, E]");
  t = Packed(4);
  t[3] = {"out_proj.bias", {4, 1}, Iota(4, 0)};
  EXPECT_EQ(LoadError(t), "tensor 'out_proj.bias' has shape [4, 1], expected [4] (E = 4 from out_proj.weight)");
  t = {{"q_proj_weight", {4, 4}, Iota(16, 0)},
       {"k_proj_weight", {4, 6}, Iota(24, 0)},
       {"v_proj_weight", {4, 5}, Iota(20, 0)},
       {"out_proj.weight", {4, 4}, Iota(16, 0)}};
  EXPECT_EQ(LoadError(t),
            "v_proj_weight has vdim 5 but k_proj_weight has kdim 6: keys and values come from one context, so vdim "
            "must equal kdim");
  t[2] = {"v_proj_weight", {3, 6}, Iota(18, 0)};
  EXPECT_EQ(LoadError(t), "tensor 'v_proj_weight' has shape [3, 6], expected [4, 6] (E = 4 from out_proj.weight)");
}

TEST(AttentionWeights, RejectsMissingAndUnexpectedTensors) {
  std::vector<SafetensorsF32Entry> t = Packed(4);
  t.erase(t.begin());
  EXPECT_EQ(LoadError(t),
            "missing tensor 'in_proj_weight' [3E, E] (or q_proj_weight, k_proj_weight and v_proj_weight) (E = 4 from "
            "out_proj.weight)");
  t = Packed(4);
  t.erase(t.begin() + 2);
  EXPECT_EQ(LoadError(t), "missing tensor 'out_proj.weight' [E, E]");
  t = Packed(4);
  t.erase(t.begin() + 3);
  EXPECT_EQ(LoadError(t),
            "tensor 'out_proj.bias' is missing while the other bias is present (nn.MultiheadAttention has both or "
            "neither)");
  t = Packed(4);
  t.push_back({"bias_k", {1, 1, 4}, Iota(4, 0)});
  EXPECT_EQ(LoadError(t), "tensor 'bias_k': add_bias_kv=True is not supported");
  t = Packed(4);
  t.push_back({"attn.in_proj_weight", {1}, {0}});
  EXPECT_EQ(LoadError(t), "unexpected tensor 'attn.in_proj_weight' (not an nn.MultiheadAttention name)");
  t = Packed(4);
  t.push_back({"q_proj_weight", {4, 4}, Iota(16, 0)});
  EXPECT_EQ(LoadError(t), "both in_proj_weight and q/k/v_proj_weight are present; a state_dict has one or the other");
}

TEST(AttentionWeights, RejectsNonFiniteWeights) {
  std::vector<SafetensorsF32Entry> t = Packed(4);
  t[2].values[5] = std::nanf("");
  EXPECT_EQ(LoadError(t), "tensor 'out_proj.weight' holds NaN at flat index 5");
  t = Packed(4);
  t[1].values[0] = INFINITY;
  EXPECT_EQ(LoadError(t), "tensor 'in_proj_bias' holds an infinity at flat index 0");
}

TEST(AttentionWeights, RejectsUnsupportedDtypes) {
  // in_proj_weight stored as I32: a valid safetensors file, not valid weights.
  std::string header = R"({"in_proj_weight":{"dtype":"I32","shape":[3,1],"data_offsets":[0,12]},)"
                       R"("out_proj.weight":{"dtype":"F32","shape":[1,1],"data_offsets":[12,16]}})";
  std::vector<uint8_t> bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<uint8_t>(uint64_t{header.size()} >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.resize(bytes.size() + 16, 0);
  SafetensorsFile file;
  std::string error;
  ASSERT_TRUE(ParseSafetensors(bytes, &file, &error)) << error;
  int heads = 1;
  AttentionWeights w;
  EXPECT_FALSE(AttentionWeightsFromSafetensors(file, &heads, &w, &error));
  EXPECT_EQ(error, "tensor 'in_proj_weight': dtype I32 is not supported here (F32, F16, BF16 or F64)");
}

}  // namespace
}  // namespace edgefuse::core
