#include "core/format/safetensors.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/json/json.h"
#include "platform/text.h"

namespace edgefuse::core {

using platform::QuoteForMessage;

namespace {

static_assert(std::endian::native == std::endian::little, "safetensors data is read as little-endian");

struct DTypeInfo {
  SafetensorsDType dtype;
  const char* name;
  size_t size;
};

constexpr DTypeInfo kDTypes[] = {
    {SafetensorsDType::kBool, "BOOL", 1},      {SafetensorsDType::kU8, "U8", 1},
    {SafetensorsDType::kI8, "I8", 1},          {SafetensorsDType::kF8E5M2, "F8_E5M2", 1},
    {SafetensorsDType::kF8E4M3, "F8_E4M3", 1}, {SafetensorsDType::kI16, "I16", 2},
    {SafetensorsDType::kU16, "U16", 2},        {SafetensorsDType::kF16, "F16", 2},
    {SafetensorsDType::kBF16, "BF16", 2},      {SafetensorsDType::kI32, "I32", 4},
    {SafetensorsDType::kU32, "U32", 4},        {SafetensorsDType::kF32, "F32", 4},
    {SafetensorsDType::kF64, "F64", 8},        {SafetensorsDType::kI64, "I64", 8},
    {SafetensorsDType::kU64, "U64", 8},
};

// Shapes beyond this many elements are refused before any size arithmetic can overflow.
constexpr uint64_t kMaxElements = uint64_t{1} << 48;

bool Fail(const std::string& what, std::string* error) {
  *error = what;
  return false;
}

bool ParseDType(const std::string& text, SafetensorsDType* dtype) {
  for (const auto& info : kDTypes) {
    if (text == info.name) {
      *dtype = info.dtype;
      return true;
    }
  }
  return false;
}

bool ParseTensor(const std::string& name, const Json& entry, SafetensorsTensor* tensor, std::string* error) {
  const std::string where = "tensor " + QuoteForMessage(name);
  if (!entry.IsObject()) return Fail(where + " is not an object", error);
  for (const auto& [key, value] : entry.Members()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      return Fail(where + " has an unknown key " + QuoteForMessage(key), error);
    }
  }
  const Json* dtype = entry.Find("dtype");
  const Json* shape = entry.Find("shape");
  const Json* offsets = entry.Find("data_offsets");
  if (dtype == nullptr || shape == nullptr || offsets == nullptr) {
    return Fail(where + " lacks \"dtype\", \"shape\" or \"data_offsets\"", error);
  }
  tensor->name = name;
  if (!dtype->IsString() || !ParseDType(dtype->AsString(), &tensor->dtype)) {
    return Fail(
        where + " has an unknown dtype " + QuoteForMessage(dtype->IsString() ? dtype->AsString() : dtype->Dump(false)),
        error);
  }
  if (!shape->IsArray()) return Fail(where + ": \"shape\" is not an array", error);
  uint64_t elements = 1;
  for (const Json& dim : shape->Items()) {
    if (!dim.IsInteger() || dim.AsInt() < 0) {
      return Fail(where + ": \"shape\" holds " + QuoteForMessage(dim.Dump(false)) + ", not a non-negative integer",
                  error);
    }
    const auto d = static_cast<uint64_t>(dim.AsInt());
    if (d != 0 && elements > kMaxElements / d) return Fail(where + ": shape is too large", error);
    elements *= d;
    tensor->shape.push_back(dim.AsInt());
  }
  if (!offsets->IsArray() || offsets->Items().size() != 2 || !offsets->Items()[0].IsInteger() ||
      !offsets->Items()[1].IsInteger() || offsets->Items()[0].AsInt() < 0 ||
      offsets->Items()[1].AsInt() < offsets->Items()[0].AsInt()) {
    return Fail(where + ": \"data_offsets\" is not [begin, end] with 0 <= begin <= end", error);
  }
  tensor->begin = static_cast<uint64_t>(offsets->Items()[0].AsInt());
  tensor->end = static_cast<uint64_t>(offsets->Items()[1].AsInt());
  const uint64_t need = elements * SafetensorsDTypeSize(tensor->dtype);
  if (tensor->end - tensor->begin != need) {
    return Fail(where + ": " + tensor->ShapeString() + " " + dtype->AsString() + " needs " + std::to_string(need) +
                    " bytes but data_offsets span " + std::to_string(tensor->end - tensor->begin),
                error);
  }
  return true;
}

bool ParseMetadata(const Json& entry, SafetensorsFile* file, std::string* error) {
  if (!entry.IsObject()) return Fail("\"__metadata__\" is not an object", error);
  for (const auto& [key, value] : entry.Members()) {
    if (!value.IsString()) return Fail("\"__metadata__\" value of " + QuoteForMessage(key) + " is not a string", error);
    file->metadata.emplace_back(key, value.AsString());
  }
  return true;
}

// The tensors must cover [0, data_size) exactly once, in some order.
bool CheckLayout(const std::vector<SafetensorsTensor>& tensors, uint64_t data_size, std::string* error) {
  std::vector<const SafetensorsTensor*> order;
  order.reserve(tensors.size());
  for (const auto& t : tensors) order.push_back(&t);
  std::stable_sort(order.begin(), order.end(), [](const SafetensorsTensor* a, const SafetensorsTensor* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  uint64_t covered = 0;
  const SafetensorsTensor* previous = nullptr;
  for (const SafetensorsTensor* t : order) {
    if (t->end > data_size) {
      return Fail("tensor " + QuoteForMessage(t->name) + ": data_offsets [" + std::to_string(t->begin) + ", " +
                      std::to_string(t->end) + ") run past the " + std::to_string(data_size) +
                      "-byte data section (truncated file?)",
                  error);
    }
    if (t->begin < covered) {
      return Fail("tensors " + QuoteForMessage(previous->name) + " and " + QuoteForMessage(t->name) +
                      " overlap (bytes [" + std::to_string(t->begin) + ", " +
                      std::to_string(std::min(covered, t->end)) + "))",
                  error);
    }
    if (t->begin > covered) {
      return Fail("bytes [" + std::to_string(covered) + ", " + std::to_string(t->begin) +
                      ") of the data section belong to no tensor",
                  error);
    }
    covered = t->end;
    previous = t;
  }
  if (covered != data_size) {
    return Fail(std::to_string(data_size - covered) + " bytes of data after the last tensor", error);
  }
  return true;
}

float HalfToFloat(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1F;
  const uint32_t mantissa = h & 0x3FF;
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24, exact in float.
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign != 0 ? -magnitude : magnitude;
  }
  uint32_t bits;
  if (exponent == 0x1F) {
    bits = sign | 0x7F800000u | (mantissa << 13);  // infinity or NaN
  } else {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(bits);
}

}  // namespace

const char* SafetensorsDTypeName(SafetensorsDType dtype) {
  for (const auto& info : kDTypes) {
    if (info.dtype == dtype) return info.name;
  }
  return "?";
}

size_t SafetensorsDTypeSize(SafetensorsDType dtype) {
  for (const auto& info : kDTypes) {
    if (info.dtype == dtype) return info.size;
  }
  return 1;
}

int64_t SafetensorsTensor::NumElements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string SafetensorsTensor::ShapeString() const {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

const SafetensorsTensor* SafetensorsFile::Find(const std::string& name) const {
  for (const auto& t : tensors) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const std::string* SafetensorsFile::Metadata(const std::string& key) const {
  for (const auto& [k, v] : metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::span<const uint8_t> SafetensorsFile::Data(const SafetensorsTensor& tensor) const {
  return std::span<const uint8_t>(bytes).subspan(data_start + tensor.begin, tensor.end - tensor.begin);
}

bool ParseSafetensors(std::vector<uint8_t> bytes, SafetensorsFile* file, std::string* error) {
  if (bytes.size() < 8) {
    return Fail("truncated: " + std::to_string(bytes.size()) +
                    " bytes, too short for the 8-byte header length of a .safetensors file",
                error);
  }
  uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | bytes[static_cast<size_t>(i)];
  if (header_size > kMaxSafetensorsHeader) {
    return Fail("header length " + std::to_string(header_size) + " exceeds the limit of " +
                    std::to_string(kMaxSafetensorsHeader) + " bytes (not a .safetensors file?)",
                error);
  }
  if (header_size > bytes.size() - 8) {
    return Fail("truncated: the header length says " + std::to_string(header_size) + " bytes but " +
                    std::to_string(bytes.size() - 8) + " follow",
                error);
  }
  const std::string_view header(reinterpret_cast<const char*>(bytes.data() + 8), header_size);
  if (header.empty() || header[0] != '{') return Fail("the header does not start with '{'", error);
  Json json;
  std::string json_error;
  if (!ParseJson(header, &json, &json_error)) return Fail("header is not valid JSON: " + json_error, error);
  if (!json.IsObject()) return Fail("header is not a JSON object", error);

  SafetensorsFile parsed;
  parsed.data_start = 8 + header_size;
  for (const auto& [name, entry] : json.Members()) {
    if (name == "__metadata__") {
      if (!ParseMetadata(entry, &parsed, error)) return false;
      continue;
    }
    SafetensorsTensor tensor;
    if (!ParseTensor(name, entry, &tensor, error)) return false;
    parsed.tensors.push_back(std::move(tensor));
  }
  if (!CheckLayout(parsed.tensors, bytes.size() - parsed.data_start, error)) return false;
  parsed.bytes = std::move(bytes);
  *file = std::move(parsed);
  return true;
}

bool ToFloat32(const SafetensorsFile& file, const SafetensorsTensor& tensor, std::vector<float>* values,
               std::string* error) {
  const auto data = file.Data(tensor);
  const auto count = static_cast<size_t>(tensor.NumElements());
  values->resize(count);
  switch (tensor.dtype) {
    case SafetensorsDType::kF32:
      if (count > 0) std::memcpy(values->data(), data.data(), count * 4);
      return true;
    case SafetensorsDType::kF16:
    case SafetensorsDType::kBF16:
      for (size_t i = 0; i < count; ++i) {
        const auto h = static_cast<uint16_t>(data[2 * i] | (data[2 * i + 1] << 8));
        (*values)[i] = tensor.dtype == SafetensorsDType::kF16 ? HalfToFloat(h)
                                                              : std::bit_cast<float>(static_cast<uint32_t>(h) << 16);
      }
      return true;
    case SafetensorsDType::kF64:
      for (size_t i = 0; i < count; ++i) {
        double d;
        std::memcpy(&d, data.data() + 8 * i, 8);
        (*values)[i] = static_cast<float>(d);
      }
      return true;
    default:
      values->clear();
      return Fail("tensor " + QuoteForMessage(tensor.name) + ": dtype " + SafetensorsDTypeName(tensor.dtype) +
                      " is not supported here (F32, F16, BF16 or F64)",
                  error);
  }
}

std::vector<uint8_t> SerializeSafetensorsF32(std::span<const SafetensorsF32Entry> tensors,
                                             std::span<const std::pair<std::string, std::string>> metadata) {
  Json header = Json::Object();
  if (!metadata.empty()) {
    Json& meta = header.Set("__metadata__", Json::Object());
    for (const auto& [key, value] : metadata) meta.Set(key, value);
  }
  uint64_t offset = 0;
  for (const auto& t : tensors) {
    Json entry = Json::Object();
    entry.Set("dtype", "F32");
    Json& shape = entry.Set("shape", Json::Array());
    for (int64_t d : t.shape) shape.Append(d);
    Json& offsets = entry.Set("data_offsets", Json::Array());
    offsets.Append(static_cast<int64_t>(offset));
    offset += t.values.size() * 4;
    offsets.Append(static_cast<int64_t>(offset));
    header.Set(t.name, std::move(entry));
  }
  std::string text = header.Dump(false);
  text.append((8 - text.size() % 8) % 8, ' ');  // keeps the data 8-byte aligned, as the reference writer does
  std::vector<uint8_t> out;
  out.reserve(8 + text.size() + offset);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(uint64_t{text.size()} >> (8 * i)));
  out.insert(out.end(), text.begin(), text.end());
  for (const auto& t : tensors) {
    const auto* begin = reinterpret_cast<const uint8_t*>(t.values.data());
    out.insert(out.end(), begin, begin + t.values.size() * 4);
  }
  return out;
}

}  // namespace edgefuse::core
