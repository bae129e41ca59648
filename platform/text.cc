#include "platform/text.h"

#include <algorithm>

namespace edgefuse::platform {
namespace {

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }

// Byte c as it appears in a message: itself, \n, or \xNN. Returns the length (1-4).
size_t Escape(unsigned char c, char (&out)[4]) {
  if (c == '\n') {
    out[0] = '\\';
    out[1] = 'n';
    return 2;
  }
  if (!IsControl(c)) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out[0] = '\\';
  out[1] = 'x';
  out[2] = kHex[c >> 4];
  out[3] = kHex[c & 15];
  return 4;
}

std::string_view TrimEnd(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || IsControl(static_cast<unsigned char>(text.back())))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::string QuoteForMessage(std::string_view text) {
  constexpr size_t kMaxShown = 80;
  std::string out = "'";
  char escaped[4];
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    out.append(escaped, Escape(static_cast<unsigned char>(text[i]), escaped));
  }
  if (text.size() > kMaxShown) out += "...";
  out += "'";
  return out;
}

std::string OneLine(std::string_view message) {
  message = TrimEnd(message);
  std::string out;
  out.reserve(message.size());
  char escaped[4];
  for (char c : message) out.append(escaped, Escape(static_cast<unsigned char>(c), escaped));
  return out;
}

size_t OneLineInto(std::string_view message, char* out, size_t size) {
  if (size == 0) return 0;
  message = TrimEnd(message);
  size_t length = 0;
  char escaped[4];
  for (char c : message) {
    const size_t n = Escape(static_cast<unsigned char>(c), escaped);
    if (length + n > size - 1) break;  // an escape is never cut in half
    std::copy_n(escaped, n, out + length);
    length += n;
  }
  out[length] = '\0';
  return length;
}

}  // namespace edgefuse::platform
