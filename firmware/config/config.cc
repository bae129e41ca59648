#include "firmware/config/config.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

#include "firmware/config/config_schema.h"
#include "platform/file.h"
#include "platform/text.h"

namespace edgefuse::config {
namespace {

using core::Json;
using schema::Field;

constexpr size_t kMaxListItems = 16;

// A value as it appears in an error: compact JSON, cut short when long.
std::string Shown(const Json& value) {
  std::string text = value.Dump(/*pretty=*/false);
  if (text.size() > 48) text = text.substr(0, 45) + "...";
  return text;
}

// A key path as it appears in an error: as written, or quoted with its control
// characters escaped when it has any (a key is any JSON string).
std::string ShownKey(const std::string& path) {
  const bool plain = std::all_of(path.begin(), path.end(), [](char c) { return c >= 0x20 && c != 0x7f; });
  return plain ? path : platform::QuoteForMessage(path);
}

std::string FormatNumber(double value) {
  char buffer[32];
  // Whole numbers in full (a seed's 2^53 - 1, not 9.00719925474099e+15).
  if (value == std::floor(value) && std::fabs(value) < 1e17) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
  }
  return buffer;
}

std::string Range(const Field& field) { return FormatNumber(field.min) + ".." + FormatNumber(field.max); }

template <typename E>
std::string EnumChoices() {
  std::string text;
  for (const auto& entry : schema::EnumNames<E>()) {
    if (!text.empty()) text += ", ";
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "\"" + std::string(...).
    text += '"';
    text += entry.name;
    text += '"';
  }
  return text;
}

template <typename E>
const char* EnumName(E value) {
  for (const auto& entry : schema::EnumNames<E>()) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

// What a field takes, as error messages and the documentation say it.
struct TypeText {
  std::string operator()(schema::Ref<bool>) const { return "true or false"; }
  std::string operator()(schema::Ref<int>) const { return "an integer in " + Range(*field); }
  std::string operator()(schema::Ref<int64_t>) const { return "an integer in " + Range(*field); }
  std::string operator()(schema::Ref<double>) const { return "a number in " + Range(*field); }
  std::string operator()(schema::Ref<std::string>) const {
    return field->integer_as_string ? "a string or a non-negative integer" : "a string";
  }
  std::string operator()(schema::Ref<std::vector<int>>) const {
    return "a list of 1 to " + std::to_string(kMaxListItems) + " integers in " + Range(*field);
  }
  template <typename E>
  std::string operator()(schema::Ref<E>) const {
    return "one of " + EnumChoices<E>();
  }
  const Field* field;
};

bool IntegerInRange(const Json& value, const Field& field) {
  return value.IsInteger() && static_cast<double>(value.AsInt()) >= field.min &&
         static_cast<double>(value.AsInt()) <= field.max;
}

// Stores value into the member field refers to; false when the value does not fit.
struct Assign {
  bool operator()(schema::Ref<bool> ref) const {
    if (!value->IsBool()) return false;
    ref(*config) = value->AsBool();
    return true;
  }
  bool operator()(schema::Ref<int> ref) const {
    if (!IntegerInRange(*value, *field)) return false;
    ref(*config) = static_cast<int>(value->AsInt());
    return true;
  }
  bool operator()(schema::Ref<int64_t> ref) const {
    if (!IntegerInRange(*value, *field)) return false;
    ref(*config) = value->AsInt();
    return true;
  }
  bool operator()(schema::Ref<double> ref) const {
    if (!value->IsNumber() || !std::isfinite(value->AsDouble()) || value->AsDouble() < field->min ||
        value->AsDouble() > field->max) {
      return false;
    }
    ref(*config) = value->AsDouble();
    return true;
  }
  bool operator()(schema::Ref<std::string> ref) const {
    if (value->IsString()) {
      ref(*config) = value->AsString();
      return true;
    }
    if (field->integer_as_string && value->IsInteger() && value->AsInt() >= 0) {
      ref(*config) = std::to_string(value->AsInt());
      return true;
    }
    return false;
  }
  bool operator()(schema::Ref<std::vector<int>> ref) const {
    if (!value->IsArray() || value->Items().empty() || value->Items().size() > kMaxListItems) return false;
    std::vector<int> items;
    for (const Json& item : value->Items()) {
      if (!IntegerInRange(item, *field)) return false;
      items.push_back(static_cast<int>(item.AsInt()));
    }
    ref(*config) = std::move(items);
    return true;
  }
  template <typename E>
  bool operator()(schema::Ref<E> ref) const {
    if (!value->IsString()) return false;
    for (const auto& entry : schema::EnumNames<E>()) {
      if (value->AsString() == entry.name) {
        ref(*config) = entry.value;
        return true;
      }
    }
    return false;
  }
  const Field* field;
  const Json* value;
  Config* config;
};

// The member's current value as JSON.
struct ToJson {
  Json operator()(schema::Ref<bool> ref) const { return Json(ref(*config)); }
  Json operator()(schema::Ref<int> ref) const { return Json(ref(*config)); }
  Json operator()(schema::Ref<int64_t> ref) const { return Json(ref(*config)); }
  Json operator()(schema::Ref<double> ref) const { return Json(ref(*config)); }
  Json operator()(schema::Ref<std::string> ref) const { return Json(ref(*config)); }
  Json operator()(schema::Ref<std::vector<int>> ref) const {
    Json list = Json::Array();
    for (int item : ref(*config)) list.Append(Json(item));
    return list;
  }
  template <typename E>
  Json operator()(schema::Ref<E> ref) const {
    return Json(EnumName(ref(*config)));
  }
  Config* config;
};

bool SetField(const Field& field, const Json& value, std::string_view origin, Config* config, std::string* error) {
  if (std::visit(Assign{&field, &value, config}, field.ref)) return true;
  *error = std::string(origin) + ": " + field.path + ": expected " + std::visit(TypeText{&field}, field.ref) +
           ", got " + Shown(value);
  return false;
}

// True when some key lies below path ("sinks" for "sinks.mjpeg.port").
bool IsSection(std::string_view path) {
  for (const Field& field : schema::Fields()) {
    const std::string_view key = field.path;
    if (key.size() > path.size() && key.substr(0, path.size()) == path && key[path.size()] == '.') return true;
  }
  return false;
}

// The keys directly below a section, in schema order ("window", "mjpeg", ... for "sinks").
std::string ChildKeys(std::string_view section) {
  std::vector<std::string> children;
  const std::string prefix = section.empty() ? "" : std::string(section) + ".";
  for (const Field& field : schema::Fields()) {
    const std::string_view key = field.path;
    if (key.substr(0, prefix.size()) != prefix) continue;
    const std::string child(key.substr(prefix.size(), key.find('.', prefix.size()) - prefix.size()));
    if (std::find(children.begin(), children.end(), child) == children.end()) children.push_back(child);
  }
  std::string text;
  for (const auto& child : children) text += (text.empty() ? "" : ", ") + child;
  return text;
}

bool ApplySection(const Json& object, const std::string& section, std::string_view origin, Config* config,
                  std::string* error) {
  if (!object.IsObject()) {
    *error = std::string(origin) + ": " + (section.empty() ? "the top level" : section) + ": expected an object, got " +
             Shown(object);
    return false;
  }
  for (const auto& [key, value] : object.Members()) {
    std::string path = section;
    if (!path.empty()) path += '.';
    path += key;
    if (const Field* field = schema::FindField(path)) {
      if (!SetField(*field, value, origin, config, error)) return false;
    } else if (IsSection(path)) {
      if (!ApplySection(value, path, origin, config, error)) return false;
    } else {
      *error =
          std::string(origin) + ": " + ShownKey(path) + ": unknown key (expected one of " + ChildKeys(section) + ")";
      return false;
    }
  }
  return true;
}

// "expected ',' at byte 57" -> "expected ',' at line 3, column 12".
std::string WithLineAndColumn(const std::string& message, std::string_view text) {
  const std::string marker = " at byte ";
  const size_t at = message.rfind(marker);
  if (at == std::string::npos) return message;
  const size_t offset = std::strtoull(message.c_str() + at + marker.size(), nullptr, 10);
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return message.substr(0, at) + " at line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

bool ApplyConfigJson(const Json& doc, std::string_view origin, Config* config, std::string* error) {
  return ApplySection(doc, "", origin, config, error);
}

bool LoadConfigFile(const std::string& path, Config* config, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!platform::ReadFileBytes(path, &bytes, error, size_t{1} << 20)) return false;
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  Json doc;
  std::string parse_error;
  if (!core::ParseJson(text, &doc, &parse_error)) {
    *error = path + ": invalid JSON: " + WithLineAndColumn(parse_error, text);
    return false;
  }
  return ApplyConfigJson(doc, path, config, error);
}

bool ApplySetting(std::string_view setting, std::string_view origin, Config* config, std::string* error) {
  const size_t equals = setting.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    *error = std::string(origin) + ": expected KEY=VALUE, got " + Shown(Json(setting));
    return false;
  }
  const std::string key(setting.substr(0, equals));
  const std::string_view text = setting.substr(equals + 1);
  Json value;
  std::string ignored;
  const Field* field = schema::FindField(key);
  const bool string_key = field != nullptr && std::holds_alternative<schema::Ref<std::string>>(field->ref);
  // Strings are taken as written (a GStreamer pipeline is not JSON); a quoted JSON
  // string is unquoted. Other keys parse as JSON, and a bare word is a string (an
  // enum name: --set runtime.log_level=debug).
  if (string_key
          ? !(text.size() >= 2 && text.front() == '"' && core::ParseJson(text, &value, &ignored) && value.IsString())
          : !core::ParseJson(text, &value, &ignored)) {
    value = Json(text);
  }
  if (field != nullptr) return SetField(*field, value, origin, config, error);
  if (IsSection(key)) return ApplySection(value, key, origin, config, error);
  const size_t dot = key.rfind('.');
  const std::string section = dot == std::string::npos ? "" : key.substr(0, dot);
  if (!section.empty() && !IsSection(section)) {
    *error = std::string(origin) + ": " + ShownKey(key) + ": unknown key";
  } else {
    *error = std::string(origin) + ": " + ShownKey(key) + ": unknown key (expected one of " + ChildKeys(section) + ")";
  }
  return false;
}

bool ValidateConfig(const Config& config, std::string* error) {
  const auto fail = [error](const std::string& message) {
    *error = message;
    return false;
  };
  const VideoSourceConfig& video = config.sources.video;
  if (video.kind == VideoSourceKind::kFile && video.file.empty()) {
    return fail("sources.video.file: required when sources.video.kind is \"file\"");
  }
  if (video.kind == VideoSourceKind::kGstreamer && video.pipeline.empty()) {
    return fail("sources.video.pipeline: required when sources.video.kind is \"gstreamer\"");
  }
  if (config.sources.audio.kind == AudioSourceKind::kFile && config.sources.audio.file.empty()) {
    return fail("sources.audio.file: required when sources.audio.kind is \"file\"");
  }
  const VisionFrontendConfig& vision = config.frontends.vision;
  if (vision.width % vision.grid_w != 0) {
    return fail("frontends.vision.width: " + std::to_string(vision.width) + " is not a multiple of grid_w (" +
                std::to_string(vision.grid_w) + ")");
  }
  if (vision.height % vision.grid_h != 0) {
    return fail("frontends.vision.height: " + std::to_string(vision.height) + " is not a multiple of grid_h (" +
                std::to_string(vision.grid_h) + ")");
  }
  if (config.frontends.audio.hop_ms > config.frontends.audio.window_ms) {
    return fail("frontends.audio.hop_ms: " + FormatNumber(config.frontends.audio.hop_ms) +
                " is longer than window_ms (" + FormatNumber(config.frontends.audio.window_ms) + ")");
  }
  // Every lag must leave most of the window overlapping: at most half of it.
  const double window_ms = 1000.0 * config.fusion.window_frames / video.fps;
  for (int lag : config.fusion.lags_ms) {
    if (2.0 * std::abs(lag) > window_ms) {
      return fail("fusion.lags_ms: a lag of " + std::to_string(lag) + " ms is more than half of the window (" +
                  std::to_string(config.fusion.window_frames) + " frames at " + FormatNumber(video.fps) + " fps)");
    }
  }
  const std::string& fourcc = config.sinks.video.fourcc;
  if (!fourcc.empty() && fourcc.size() != 4) {
    return fail("sinks.video.fourcc: expected 4 characters, got " + Shown(Json(fourcc)));
  }
  if (config.sinks.mjpeg.bind.empty()) return fail("sinks.mjpeg.bind: must not be empty");
  return true;
}

Json ConfigToJson(const Config& config) {
  // The accessors take a mutable Config; this copy is only read.
  Config copy = config;
  Json root = Json::Object();
  for (const Field& field : schema::Fields()) {
    // Walk down (creating) the sections of the key, then set the leaf.
    const std::string_view path = field.path;
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
      const size_t dot = path.find('.', start);
      parts.emplace_back(path.substr(start, dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    Json* node = &root;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      Json* child = node->Find(parts[i]);
      node = child != nullptr ? child : &node->Set(parts[i], Json::Object());
    }
    node->Set(parts.back(), std::visit(ToJson{&copy}, field.ref));
  }
  return root;
}

std::vector<ConfigKey> ConfigKeys() {
  Config defaults;
  std::vector<ConfigKey> keys;
  for (const Field& field : schema::Fields()) {
    keys.push_back({field.path, std::visit(TypeText{&field}, field.ref), field.help,
                    std::visit(ToJson{&defaults}, field.ref).Dump(/*pretty=*/false)});
  }
  return keys;
}

const char* VideoSourceKindName(VideoSourceKind kind) { return EnumName(kind); }
const char* AudioSourceKindName(AudioSourceKind kind) { return EnumName(kind); }

}  // namespace edgefuse::config
