#include "core/format/npy.h"

#include <bit>
#include <cassert>
#include <cstring>
#include <limits>

#include "platform/text.h"

namespace edgefuse::core {

using platform::QuoteForMessage;

namespace {

static_assert(std::endian::native == std::endian::little, ".npy data is read as little-endian");

constexpr uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr size_t kPreambleV1 = 10;  // magic, version, uint16 header length
constexpr size_t kPreambleV2 = 12;  // magic, version, uint32 header length
constexpr int64_t kMaxElements = int64_t{1} << 40;

size_t ItemSize(NpyDType dtype) {
  switch (dtype) {
    case NpyDType::kFloat32: return 4;
    case NpyDType::kInt16: return 2;
    case NpyDType::kInt8: return 1;
    case NpyDType::kBool: return 1;
  }
  return 1;
}

const char* Descr(NpyDType dtype) {
  switch (dtype) {
    case NpyDType::kFloat32: return "<f4";
    case NpyDType::kInt16: return "<i2";
    case NpyDType::kInt8: return "|i1";
    case NpyDType::kBool: return "|b1";
  }
  return "";
}

// The header is a Python dict literal, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view text) : text_(text) {}

  bool Parse(std::string* descr, bool* fortran_order, std::vector<int64_t>* shape, std::string* error) {
    bool have_descr = false, have_order = false, have_shape = false;
    SkipSpace();
    if (!Consume('{')) return Fail("header is not a dict", error);
    for (;;) {
      SkipSpace();
      if (Consume('}')) break;
      std::string key;
      if (!ParseString(&key)) return Fail("bad key in header", error);
      SkipSpace();
      if (!Consume(':')) return Fail("expected ':' in header", error);
      SkipSpace();
      if (key == "descr" && !have_descr) {
        if (!ParseString(descr)) return Fail("'descr' is not a string", error);
        have_descr = true;
      } else if (key == "fortran_order" && !have_order) {
        if (Match("True"))
          *fortran_order = true;
        else if (Match("False"))
          *fortran_order = false;
        else
          return Fail("'fortran_order' is not True or False", error);
        have_order = true;
      } else if (key == "shape" && !have_shape) {
        if (!ParseShape(shape)) return Fail("'shape' is not a tuple of non-negative integers", error);
        have_shape = true;
      } else {
        return Fail("unexpected or repeated key " + QuoteForMessage(key) + " in header", error);
      }
      SkipSpace();
      if (Consume(',')) continue;
      SkipSpace();
      if (Consume('}')) break;
      return Fail("expected ',' or '}' in header", error);
    }
    SkipSpace();
    if (pos_ != text_.size()) return Fail("unexpected text after the header dict", error);
    if (!have_descr || !have_order || !have_shape) {
      return Fail("header lacks 'descr', 'fortran_order' or 'shape'", error);
    }
    return true;
  }

 private:
  static bool Fail(const std::string& what, std::string* error) {
    *error = what;
    return false;
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\t')) ++pos_;
  }
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Match(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool ParseString(std::string* out) {
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) return false;
    const char quote = text_[pos_++];
    const size_t end = text_.find(quote, pos_);
    if (end == std::string_view::npos) return false;
    *out = std::string(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return true;
  }
  bool ParseShape(std::vector<int64_t>* shape) {
    shape->clear();
    if (!Consume('(')) return false;
    for (;;) {
      SkipSpace();
      if (Consume(')')) return true;
      if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') return false;
      int64_t value = 0;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        if (value > kMaxElements) return false;
        value = value * 10 + (text_[pos_++] - '0');
      }
      if (Match("L")) {
      }  // Python 2 long suffix, still written by old files
      shape->push_back(value);
      SkipSpace();
      if (Consume(',')) continue;
      SkipSpace();
      if (Consume(')')) return true;
      return false;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

template <class T>
void CopyOut(std::span<const uint8_t> bytes, std::vector<T>* out, size_t count) {
  out->resize(count);
  if (count > 0) std::memcpy(out->data(), bytes.data(), count * sizeof(T));
}

}  // namespace

const char* NpyDTypeName(NpyDType dtype) {
  switch (dtype) {
    case NpyDType::kFloat32: return "float32";
    case NpyDType::kInt8: return "int8";
    case NpyDType::kInt16: return "int16";
    case NpyDType::kBool: return "bool";
  }
  return "?";
}

int64_t NpyArray::NumElements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string NpyArray::ShapeString() const {
  if (shape.empty()) return "scalar";
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += 'x';
    text += std::to_string(shape[i]);
  }
  return text;
}

NpyArray NpyArray::Float32(std::vector<int64_t> shape, std::span<const float> values) {
  NpyArray a;
  a.dtype = NpyDType::kFloat32;
  a.shape = std::move(shape);
  a.f32.assign(values.begin(), values.end());
  assert(a.NumElements() == static_cast<int64_t>(values.size()));
  return a;
}

NpyArray NpyArray::Int8(std::vector<int64_t> shape, std::span<const int8_t> values) {
  NpyArray a;
  a.dtype = NpyDType::kInt8;
  a.shape = std::move(shape);
  a.i8.assign(values.begin(), values.end());
  assert(a.NumElements() == static_cast<int64_t>(values.size()));
  return a;
}

NpyArray NpyArray::Bool(std::vector<int64_t> shape, std::span<const int8_t> values) {
  NpyArray a = Int8(std::move(shape), values);
  a.dtype = NpyDType::kBool;
  return a;
}

NpyArray NpyArray::Int16(std::vector<int64_t> shape, std::span<const int16_t> values) {
  NpyArray a;
  a.dtype = NpyDType::kInt16;
  a.shape = std::move(shape);
  a.i16.assign(values.begin(), values.end());
  assert(a.NumElements() == static_cast<int64_t>(values.size()));
  return a;
}

bool ParseNpy(std::span<const uint8_t> bytes, NpyArray* array, std::string* error) {
  if (bytes.size() < kPreambleV1 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    *error = "not a .npy file (bad magic)";
    return false;
  }
  const uint8_t major = bytes[6];
  size_t header_length, preamble;
  if (major == 1) {
    preamble = kPreambleV1;
    header_length = bytes[8] | (size_t{bytes[9]} << 8);
  } else if (major == 2 || major == 3) {
    preamble = kPreambleV2;
    if (bytes.size() < preamble) {
      *error = "truncated .npy preamble";
      return false;
    }
    header_length = bytes[8] | (size_t{bytes[9]} << 8) | (size_t{bytes[10]} << 16) | (size_t{bytes[11]} << 24);
  } else {
    *error = "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(bytes[7]);
    return false;
  }
  if (header_length > bytes.size() - preamble) {
    *error = "truncated: header length " + std::to_string(header_length) + " runs past the end of the file";
    return false;
  }
  const std::string_view header(reinterpret_cast<const char*>(bytes.data() + preamble), header_length);

  std::string descr;
  bool fortran_order = false;
  NpyArray parsed;
  if (!HeaderParser(header).Parse(&descr, &fortran_order, &parsed.shape, error)) return false;
  if (descr == "<f4") {
    parsed.dtype = NpyDType::kFloat32;
  } else if (descr == "|i1" || descr == "<i1" || descr == "i1") {
    parsed.dtype = NpyDType::kInt8;
  } else if (descr == "<i2") {
    parsed.dtype = NpyDType::kInt16;
  } else if (descr == "|b1" || descr == "<b1" || descr == "b1") {
    parsed.dtype = NpyDType::kBool;
  } else if (descr == "<f8") {
    *error = "dtype float64 is not supported; save float32 (array.astype(numpy.float32))";
    return false;
  } else {
    *error =
        "dtype " + QuoteForMessage(descr) + " is not supported (float32 '<f4', int8 '|i1', int16 '<i2' or bool '|b1')";
    return false;
  }
  if (fortran_order) {
    *error = "Fortran-order arrays are not supported; save a C-order array (numpy.ascontiguousarray)";
    return false;
  }
  int64_t count = 1;
  for (int64_t d : parsed.shape) {
    if (d != 0 && count > kMaxElements / d) {
      *error = "shape " + parsed.ShapeString() + " is too large";
      return false;
    }
    count *= d;
  }
  const size_t item = ItemSize(parsed.dtype);
  const size_t need = static_cast<size_t>(count) * item;
  const size_t have = bytes.size() - preamble - header_length;
  if (have < need) {
    *error = "truncated: " + parsed.ShapeString() + " " + NpyDTypeName(parsed.dtype) + " needs " +
             std::to_string(need) + " data bytes, found " + std::to_string(have);
    return false;
  }
  if (have > need) {
    *error = std::to_string(have - need) + " bytes of unexpected data after the " + parsed.ShapeString() + " " +
             NpyDTypeName(parsed.dtype) + " array";
    return false;
  }
  const auto data = bytes.subspan(preamble + header_length);
  switch (parsed.dtype) {
    case NpyDType::kFloat32: CopyOut(data, &parsed.f32, static_cast<size_t>(count)); break;
    case NpyDType::kInt8: CopyOut(data, &parsed.i8, static_cast<size_t>(count)); break;
    case NpyDType::kInt16: CopyOut(data, &parsed.i16, static_cast<size_t>(count)); break;
    case NpyDType::kBool:
      CopyOut(data, &parsed.i8, static_cast<size_t>(count));
      for (size_t i = 0; i < parsed.i8.size(); ++i) {
        if (parsed.i8[i] != 0 && parsed.i8[i] != 1) {
          *error = "bool array holds byte " + std::to_string(static_cast<uint8_t>(parsed.i8[i])) + " at flat index " +
                   std::to_string(i) + " (NumPy writes only 0 and 1)";
          return false;
        }
      }
      break;
  }
  *array = std::move(parsed);
  return true;
}

std::vector<uint8_t> SerializeNpy(const NpyArray& array) {
  std::string header = std::string("{'descr': '") + Descr(array.dtype) + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < array.shape.size(); ++i) {
    header += std::to_string(array.shape[i]);
    if (array.shape.size() == 1 || i + 1 < array.shape.size()) header += ",";
    if (i + 1 < array.shape.size()) header += " ";
  }
  header += "), }";
  // Pad with spaces so the data starts on a 64-byte boundary, as NumPy does.
  const size_t unpadded = kPreambleV1 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';

  const void* data = nullptr;
  size_t data_bytes = 0;
  switch (array.dtype) {
    case NpyDType::kFloat32:
      data = array.f32.data();
      data_bytes = array.f32.size() * 4;
      break;
    case NpyDType::kInt8:
    case NpyDType::kBool:
      data = array.i8.data();
      data_bytes = array.i8.size();
      break;
    case NpyDType::kInt16:
      data = array.i16.data();
      data_bytes = array.i16.size() * 2;
      break;
  }
  assert(data_bytes == static_cast<size_t>(array.NumElements()) * ItemSize(array.dtype));

  std::vector<uint8_t> out(kMagic, kMagic + sizeof kMagic);
  out.push_back(1);  // version 1.0
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(header.size() & 0xFF));
  out.push_back(static_cast<uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  const auto* begin = static_cast<const uint8_t*>(data);
  if (data_bytes > 0) out.insert(out.end(), begin, begin + data_bytes);
  return out;
}

}  // namespace edgefuse::core
