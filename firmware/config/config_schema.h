// The configuration schema as data: one Field per key, with the member it sets, its
// range and its description. config.cc walks JSON documents, --set values and the
// documentation through this table, so adding a key means adding a member to
// config.h and one line to the table in config_schema.cc.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "firmware/config/config.h"

namespace edgefuse::config::schema {

template <typename T>
using Ref = T& (*)(Config&);

using FieldRef = std::variant<Ref<bool>, Ref<int>, Ref<int64_t>, Ref<double>, Ref<std::string>, Ref<std::vector<int>>,
                              Ref<VideoSourceKind>, Ref<AudioSourceKind>, Ref<WindowMode>, Ref<Precision>,
                              Ref<Colormap>, Ref<platform::LogLevel>>;

struct Field {
  const char* path;  // "sinks.mjpeg.port"
  FieldRef ref;
  double min;  // integers, numbers and list items: the inclusive range
  double max;
  bool integer_as_string;  // a string key that also takes a non-negative integer (a device index)
  const char* help;
};

std::span<const Field> Fields();
const Field* FindField(std::string_view path);

template <typename E>
struct EnumName {
  const char* name;
  E value;
};

template <typename E>
std::span<const EnumName<E>> EnumNames();
template <>
std::span<const EnumName<VideoSourceKind>> EnumNames<VideoSourceKind>();
template <>
std::span<const EnumName<AudioSourceKind>> EnumNames<AudioSourceKind>();
template <>
std::span<const EnumName<WindowMode>> EnumNames<WindowMode>();
template <>
std::span<const EnumName<Precision>> EnumNames<Precision>();
template <>
std::span<const EnumName<Colormap>> EnumNames<Colormap>();
template <>
std::span<const EnumName<platform::LogLevel>> EnumNames<platform::LogLevel>();

}  // namespace edgefuse::config::schema
