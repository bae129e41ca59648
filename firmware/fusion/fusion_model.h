// The weights of the synchrony fusion's cross-attention block (DESIGN.md §6): built in,
// or learned and read from a file. Both see the same tokens (README.md here):
//
//   query    [lags, W]     the z-scored audio envelope, one token per A/V lag;
//   context  [patches, W + 8]  each patch's z-scored motion series, then its 8 newest
//                          token features with centre x and y times sqrt(W);
//   map      the averaged attention weights of the lag whose peak patch correlates
//            best; the position is its soft argmax over the patch centres (with the
//            built-in weights, the block's output channels 0 and 1: the same number;
//            a model's output is not used).
//
// A model file is the .safetensors of an nn.MultiheadAttention with embed_dim = W and
// kdim = vdim = W + 8 (core/attention/weights.h), its head count in "__metadata__"
// {"num_heads": "H"} (1 without it).
//
//   edgefuse::fusion::FusionModel model;
//   if (!edgefuse::fusion::ReadFusionModel("fusion.safetensors", 60, &model, &error)) { ... }
//   config.model = std::make_shared<const edgefuse::fusion::FusionModel>(std::move(model));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/attention/attention.h"
#include "core/attention/ranges.h"

namespace edgefuse::fusion {

struct FusionModel {
  core::AttentionWeights weights;  // embed_dim = W, kdim = W + 8
  int num_heads = 1;
};

// The built-in weights for a window of W frames: W_q = sqrt(W) / (W T) I, W_k = [I | 0],
// W_v copying centre x, y and the appearance features / 8, W_o = I, one head.
FusionModel BuiltinFusionModel(int window_frames);

// The activation ranges the integer blocks use with the built-in weights (exact bounds
// from the formula: z-scores, correlations / T, values within +-1).
core::AttentionRanges BuiltinFusionRanges(int window_frames);

// Activation ranges that bound every tensor for any weights, from the same input
// bounds (each z-scored series has norm at most sqrt(W), positions lie in 0..sqrt(W),
// appearance features within +-8): row norms for Q, K and V, the heads' spectral norms
// for the scores, the values' range for the attention, absolute row sums for the
// output. For the built-in weights they equal BuiltinFusionRanges up to the spectral
// norms' small headroom.
core::AttentionRanges FusionModelRanges(const FusionModel& model);

// Reads a model file for a window of W frames. One-line errors name the file.
bool ReadFusionModel(const std::string& path, int window_frames, FusionModel* model, std::string* error);

// A model file's image (q/k/v_proj_weight, in_proj_bias, out_proj.weight and .bias,
// num_heads): e.g. the built-in weights, as a start for training.
std::vector<uint8_t> SerializeFusionModel(const FusionModel& model);

}  // namespace edgefuse::fusion
