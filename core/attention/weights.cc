#include "core/attention/weights.h"

#include <cmath>

#include "platform/text.h"

namespace edgefuse::core {

using platform::QuoteForMessage;

namespace {

bool Fail(const std::string& what, std::string* error) {
  *error = what;
  return false;
}

std::string ShapeText(std::initializer_list<int64_t> dims) {
  std::string text = "[";
  for (int64_t d : dims) text += (text.size() > 1 ? ", " : "") + std::to_string(d);
  return text + "]";
}

// Loads a tensor that must have `shape`; a missing tensor fails unless `optional`.
bool Load(const SafetensorsFile& file, const std::string& name, std::initializer_list<int64_t> shape,
          const std::string& shape_note, bool optional, std::vector<float>* values, bool* present, std::string* error) {
  const SafetensorsTensor* tensor = file.Find(name);
  if (present != nullptr) *present = tensor != nullptr;
  if (tensor == nullptr) {
    return optional || Fail("missing tensor '" + name + "' " + ShapeText(shape) + shape_note, error);
  }
  if (tensor->shape != std::vector<int64_t>(shape)) {
    return Fail(
        "tensor '" + name + "' has shape " + tensor->ShapeString() + ", expected " + ShapeText(shape) + shape_note,
        error);
  }
  if (!ToFloat32(file, *tensor, values, error)) return false;
  for (size_t i = 0; i < values->size(); ++i) {
    if (!std::isfinite((*values)[i])) {
      return Fail("tensor '" + name + "' holds " + (std::isnan((*values)[i]) ? "NaN" : "an infinity") +
                      " at flat index " + std::to_string(i),
                  error);
    }
  }
  return true;
}

bool ParseHeads(const std::string& text, int* heads) {
  if (text.empty() || text.size() > 9) return false;  // at most 999,999,999: no overflow
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *heads = value;
  return value > 0;
}

constexpr const char* kKnownNames[] = {"in_proj_weight", "q_proj_weight",   "k_proj_weight", "v_proj_weight",
                                       "in_proj_bias",   "out_proj.weight", "out_proj.bias"};

}  // namespace

bool AttentionWeightsFromSafetensors(const SafetensorsFile& file, int* num_heads, AttentionWeights* weights,
                                     std::string* error) {
  for (const auto& tensor : file.tensors) {
    bool known = false;
    for (const char* name : kKnownNames) known = known || tensor.name == name;
    if (tensor.name == "bias_k" || tensor.name == "bias_v") {
      return Fail("tensor '" + tensor.name + "': add_bias_kv=True is not supported", error);
    }
    if (!known) {
      return Fail("unexpected tensor " + QuoteForMessage(tensor.name) + " (not an nn.MultiheadAttention name)", error);
    }
  }
  const SafetensorsTensor* out_w = file.Find("out_proj.weight");
  if (out_w == nullptr) return Fail("missing tensor 'out_proj.weight' [E, E]", error);
  if (out_w->shape.size() != 2 || out_w->shape[0] != out_w->shape[1] || out_w->shape[0] < 1 ||
      out_w->shape[0] > (1 << 20)) {
    return Fail("tensor 'out_proj.weight' has shape " + out_w->ShapeString() + ", expected [E, E]", error);
  }
  const int64_t e = out_w->shape[0];
  const std::string note = " (E = " + std::to_string(e) + " from out_proj.weight)";

  AttentionWeights w;
  w.embed_dim = static_cast<int>(e);
  const bool packed = file.Find("in_proj_weight") != nullptr;
  const bool separate = file.Find("q_proj_weight") != nullptr || file.Find("k_proj_weight") != nullptr ||
                        file.Find("v_proj_weight") != nullptr;
  if (packed && separate) {
    return Fail("both in_proj_weight and q/k/v_proj_weight are present; a state_dict has one or the other", error);
  }
  if (packed) {
    std::vector<float> in_proj;
    if (!Load(file, "in_proj_weight", {3 * e, e}, note, false, &in_proj, nullptr, error)) return false;
    const auto block = static_cast<size_t>(e * e);
    w.kdim = w.embed_dim;
    w.q_weight.assign(in_proj.begin(), in_proj.begin() + block);
    w.k_weight.assign(in_proj.begin() + block, in_proj.begin() + 2 * block);
    w.v_weight.assign(in_proj.begin() + 2 * block, in_proj.end());
  } else {
    const SafetensorsTensor* k = file.Find("k_proj_weight");
    const SafetensorsTensor* v = file.Find("v_proj_weight");
    if (k == nullptr || v == nullptr || file.Find("q_proj_weight") == nullptr) {
      return Fail("missing tensor 'in_proj_weight' [3E, E] (or q_proj_weight, k_proj_weight and v_proj_weight)" + note,
                  error);
    }
    if (k->shape.size() != 2 || k->shape[0] != e || k->shape[1] < 1 || k->shape[1] > (1 << 20)) {
      return Fail("tensor 'k_proj_weight' has shape " + k->ShapeString() + ", expected [E, kdim]" + note, error);
    }
    const int64_t kdim = k->shape[1];
    if (v->shape.size() == 2 && v->shape[0] == e && v->shape[1] != kdim) {
      return Fail("v_proj_weight has vdim " + std::to_string(v->shape[1]) + " but k_proj_weight has kdim " +
                      std::to_string(kdim) + ": keys and values come from one context, so vdim must equal kdim",
                  error);
    }
    w.kdim = static_cast<int>(kdim);
    if (!Load(file, "q_proj_weight", {e, e}, note, false, &w.q_weight, nullptr, error) ||
        !Load(file, "k_proj_weight", {e, kdim}, note, false, &w.k_weight, nullptr, error) ||
        !Load(file, "v_proj_weight", {e, kdim}, note, false, &w.v_weight, nullptr, error)) {
      return false;
    }
  }
  std::vector<float> in_bias;
  bool have_in_bias = false, have_out_bias = false;
  if (!Load(file, "in_proj_bias", {3 * e}, note, true, &in_bias, &have_in_bias, error) ||
      !Load(file, "out_proj.weight", {e, e}, note, false, &w.out_weight, nullptr, error) ||
      !Load(file, "out_proj.bias", {e}, note, true, &w.out_bias, &have_out_bias, error)) {
    return false;
  }
  if (have_in_bias != have_out_bias) {
    return Fail(std::string("tensor '") + (have_in_bias ? "out_proj.bias" : "in_proj_bias") +
                    "' is missing while the other bias is present (nn.MultiheadAttention has both or neither)",
                error);
  }
  const auto ue = static_cast<size_t>(e);
  if (have_in_bias) {
    w.q_bias.assign(in_bias.begin(), in_bias.begin() + ue);
    w.k_bias.assign(in_bias.begin() + ue, in_bias.begin() + 2 * ue);
    w.v_bias.assign(in_bias.begin() + 2 * ue, in_bias.end());
  } else {
    w.q_bias.assign(ue, 0.0f);
    w.k_bias.assign(ue, 0.0f);
    w.v_bias.assign(ue, 0.0f);
    w.out_bias.assign(ue, 0.0f);
  }

  int file_heads = 0;
  if (const std::string* text = file.Metadata("num_heads"); text != nullptr && !ParseHeads(*text, &file_heads)) {
    return Fail("__metadata__ num_heads " + QuoteForMessage(*text) + " is not a positive integer", error);
  }
  if (*num_heads > 0 && file_heads > 0 && *num_heads != file_heads) {
    return Fail("head count " + std::to_string(*num_heads) + " disagrees with the file's num_heads " +
                    std::to_string(file_heads),
                error);
  }
  const int heads = *num_heads > 0 ? *num_heads : file_heads;
  if (heads == 0) return Fail("head count unknown: the file has no __metadata__ num_heads and none was given", error);
  if (e % heads != 0) {
    return Fail("head count " + std::to_string(heads) + " does not divide embed dim " + std::to_string(e), error);
  }
  *num_heads = heads;
  *weights = std::move(w);
  return true;
}

}  // namespace edgefuse::core
