// A small, strict JSON (RFC 8259) value, parser and writer: enough for the
// safetensors header, config files and the `--json` outputs of the CLI, with
// errors that say where the text went wrong. Objects keep their key order.
//
//   edgefuse::core::Json doc;
//   std::string error;
//   if (!edgefuse::core::ParseJson(text, &doc, &error)) { ... error is one line ... }
//   const edgefuse::core::Json* heads = doc.Find("num_heads");
//
//   edgefuse::core::Json out = edgefuse::core::Json::Object();
//   out.Set("neon", true);
//   std::string text = out.Dump();  // {\n  "neon": true\n}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgefuse::core {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool value) : type_(Type::kBool), bool_(value) {}
  Json(int value) : Json(static_cast<int64_t>(value)) {}
  Json(int64_t value);
  Json(uint64_t value) : Json(static_cast<int64_t>(value)) {}
  Json(double value) : type_(Type::kNumber), number_(value) {}
  Json(const char* value) : type_(Type::kString), string_(value) {}
  Json(std::string value) : type_(Type::kString), string_(std::move(value)) {}
  Json(std::string_view value) : type_(Type::kString), string_(value) {}

  static Json Array() {
    Json j;
    j.type_ = Type::kArray;
    return j;
  }
  static Json Object() {
    Json j;
    j.type_ = Type::kObject;
    return j;
  }

  Type type() const { return type_; }
  bool IsNull() const { return type_ == Type::kNull; }
  bool IsBool() const { return type_ == Type::kBool; }
  bool IsNumber() const { return type_ == Type::kNumber; }
  // A number written without fraction or exponent that fits in int64.
  bool IsInteger() const { return type_ == Type::kNumber && is_integer_; }
  bool IsString() const { return type_ == Type::kString; }
  bool IsArray() const { return type_ == Type::kArray; }
  bool IsObject() const { return type_ == Type::kObject; }

  bool AsBool() const { return bool_; }
  double AsDouble() const { return number_; }
  int64_t AsInt() const { return integer_; }
  const std::string& AsString() const { return string_; }
  const std::vector<Json>& Items() const { return items_; }
  const std::vector<std::pair<std::string, Json>>& Members() const { return members_; }

  // Arrays.
  Json& Append(Json value);
  // Objects: Set replaces an existing key; Find returns nullptr when absent.
  Json& Set(std::string_view key, Json value);
  const Json* Find(std::string_view key) const;
  Json* Find(std::string_view key);

  // Pretty-printed with two-space indentation ("key": value), or compact on one line.
  std::string Dump(bool pretty = true) const;

 private:
  void DumpTo(std::string* out, bool pretty, int depth) const;

  Type type_ = Type::kNull;
  bool bool_ = false;
  bool is_integer_ = false;
  int64_t integer_ = 0;
  double number_ = 0.0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;

  friend class JsonParser;
};

// Parses exactly one JSON value (surrounding whitespace allowed). Rejects trailing
// data, duplicate object keys, invalid escapes and nesting deeper than 64 levels.
// On failure returns false and sets *error to "<what> at byte <offset>".
bool ParseJson(std::string_view text, Json* out, std::string* error);

// Appends text as a JSON string literal (with quotes) to *out.
void AppendJsonString(std::string_view text, std::string* out);

}  // namespace edgefuse::core
