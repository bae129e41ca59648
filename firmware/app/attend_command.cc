// `edgefuse attend`: one cross-attention block on tensors from files (DESIGN.md §5).
//
//   edgefuse attend --weights mha.safetensors --query q.npy --context c.npy
//       [--key-padding-mask m.npy] [--heads H] [--precision f32|int8|int16]
//       [--calibration DIR] [--threads T] --out o.npy [--attn-out a.npy [--attn-per-head]]
//
// Bad input (a malformed or mismatched file, a NaN) is one line on stderr and exit
// status 2; a file that cannot be written is exit status 1.
#include <cstdio>
#include <memory>

#include "core/attention/attention.h"
#include "core/attention/calibration.h"
#include "core/attention/npy_inputs.h"
#include "core/attention/weights.h"
#include "core/format/npy.h"
#include "core/format/safetensors.h"
#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/files/tensor_files.h"
#include "platform/text.h"

namespace edgefuse::app {
namespace {

constexpr OptionSpec kOptions[] = {
    {"weights", "W.safetensors", "nn.MultiheadAttention state_dict (PyTorch names)"},
    {"query", "Q.npy", "query tokens, float32 [Nq, E] (or [1, Nq, E])"},
    {"context", "C.npy", "context tokens for keys and values, float32 [Nk, kdim] (or [1, Nk, kdim])"},
    {"key-padding-mask", "M.npy", "bool or int8 (0/1) [Nk]: 1 = ignore that key"},
    {"heads", "H", "head count (default: the weights' __metadata__ num_heads)"},
    {"precision", "P", "f32 (default), int8 or int16"},
    {"calibration", "DIR", "int8/int16: activation ranges from <id>_query.npy + <id>_context.npy pairs"},
    {"threads", "T", "worker threads (default 1)"},
    {"out", "O.npy", "the output, float32 [Nq, E] (batched like the query)"},
    {"attn-out", "A.npy", "also write the attention weights averaged over heads, float32 [Nq, Nk]"},
    {"attn-per-head", nullptr, "with --attn-out: per-head weights [H, Nq, Nk] instead"},
};

int Error(const std::string& message) { return UsageError("attend: " + message); }

}  // namespace

int RunAttend(int argc, char** argv) {
  ParsedArgs args;
  if (int status = ParseArgs("attend", kOptions, argc, argv, &args); status >= 0) return status;
  for (const char* required : {"weights", "query", "context", "out"}) {
    if (!args.Has(required)) return Error(std::string("--") + required + " is required (see edgefuse attend --help)");
  }
  core::AttentionPrecision precision = core::AttentionPrecision::kF32;
  if (args.Has("precision") && !core::ParseAttentionPrecision(args.Get("precision"), &precision)) {
    return Error("--precision must be f32, int8 or int16, not '" + args.Get("precision") + "'");
  }
  long heads = 0, threads = 1;
  if (args.Has("heads") && !ParseInt(args.Get("heads"), 1, 1 << 16, &heads)) {
    return Error("--heads must be a positive integer, not '" + args.Get("heads") + "'");
  }
  if (args.Has("threads") && !ParseInt(args.Get("threads"), 1, 256, &threads)) {
    return Error("--threads must be an integer in [1, 256], not '" + args.Get("threads") + "'");
  }
  if (args.Has("attn-per-head") && !args.Has("attn-out")) return Error("--attn-per-head needs --attn-out");
  if (args.Has("calibration") && precision == core::AttentionPrecision::kF32) {
    return Error("--calibration applies to --precision int8 or int16 only");
  }

  std::string error;
  const std::string& weights_path = args.Get("weights");
  core::SafetensorsFile file;
  core::AttentionWeights weights;
  int num_heads = static_cast<int>(heads);
  if (!files::ReadSafetensorsFile(weights_path, &file, &error)) return Error(error);
  if (!core::AttentionWeightsFromSafetensors(file, &num_heads, &weights, &error)) {
    return Error(weights_path + ": " + error);
  }

  core::NpyArray array;
  std::vector<float> query, context;
  std::vector<uint8_t> mask;
  int64_t nq = 0, nk = 0;
  const std::string &query_path = args.Get("query"), &context_path = args.Get("context");
  if (!files::ReadNpyFile(query_path, &array, &error) ||
      !core::TokensFromNpy(array, query_path, "query", weights.embed_dim, "E", &query, &nq, &error)) {
    return Error(error);
  }
  const bool batched = array.shape.size() == 3;
  if (!files::ReadNpyFile(context_path, &array, &error) ||
      !core::TokensFromNpy(array, context_path, "context", weights.kdim, "kdim", &context, &nk, &error)) {
    return Error(error);
  }
  if (args.Has("key-padding-mask")) {
    const std::string& mask_path = args.Get("key-padding-mask");
    if (!files::ReadNpyFile(mask_path, &array, &error) || !core::MaskFromNpy(array, mask_path, nk, &mask, &error)) {
      return Error(error);
    }
  }

  core::AttentionConfig config;
  config.embed_dim = weights.embed_dim;
  config.num_heads = num_heads;
  config.kdim = weights.kdim;
  config.max_query_tokens = static_cast<int>(nq);
  config.max_context_tokens = static_cast<int>(nk);
  config.precision = precision;
  config.threads = static_cast<int>(threads);

  // The integer precisions quantize activations with ranges from a calibration set,
  // or from these inputs when there is none.
  core::AttentionRanges ranges;
  if (precision != core::AttentionPrecision::kF32) {
    core::CalibrationSet set;
    std::vector<core::CalibrationSample> samples;
    if (args.Has("calibration")) {
      if (!files::ReadCalibrationDirectory(args.Get("calibration"), weights.embed_dim, weights.kdim, &set, &error)) {
        return Error(error);
      }
      samples = set.Samples();
    } else {
      samples.push_back({query, context, mask});
    }
    if (!core::CalibrateAttention(config, weights, samples, &ranges, &error)) return Error(error);
  }

  std::unique_ptr<core::CrossAttention> block = core::CrossAttention::Create(config, weights, &ranges, &error);
  if (!block) return Error(error);
  const bool per_head = args.Has("attn-per-head");
  std::vector<float> out(static_cast<size_t>(nq) * static_cast<size_t>(weights.embed_dim));
  std::vector<float> attn;
  if (args.Has("attn-out")) attn.resize(static_cast<size_t>(nq * nk) * (per_head ? static_cast<size_t>(num_heads) : 1));
  if (!block->Run({query, context, mask}, {out, attn, per_head}, &error)) return Error(error);

  std::vector<int64_t> out_shape = {nq, weights.embed_dim};
  std::vector<int64_t> attn_shape = {nq, nk};
  if (per_head) attn_shape.insert(attn_shape.begin(), num_heads);
  if (batched) {
    out_shape.insert(out_shape.begin(), 1);
    attn_shape.insert(attn_shape.begin(), 1);
  }
  if (!files::WriteNpyFile(args.Get("out"), core::NpyArray::Float32(out_shape, out), &error) ||
      (args.Has("attn-out") &&
       !files::WriteNpyFile(args.Get("attn-out"), core::NpyArray::Float32(attn_shape, attn), &error))) {
    std::fprintf(stderr, "edgefuse: attend: %s\n", platform::OneLine(error).c_str());
    return kExitFailure;
  }
  std::printf("attend: %s, E=%d H=%d kdim=%d, Nq=%lld Nk=%lld -> %s\n", block->Describe().c_str(), weights.embed_dim,
              num_heads, weights.kdim, static_cast<long long>(nq), static_cast<long long>(nk), args.Get("out").c_str());
  return kExitOk;
}

}  // namespace edgefuse::app
