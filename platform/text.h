// Text from outside (a file's header, a tensor name, a command-line value, a file name)
// made safe to put into a one-line message.
//
//   *error = "unknown key " + edgefuse::platform::QuoteForMessage(key);  // unknown key 'a\nb'
//   std::fprintf(stderr, "edgefuse: %s\n", edgefuse::platform::OneLine(error).c_str());
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace edgefuse::platform {

// 'text' for a one-line message: control characters escaped (\n, \x01), and cut
// after 80 bytes with "...".
std::string QuoteForMessage(std::string_view text);

// A whole message made one line, for the places that print it: trailing whitespace
// and line ends dropped (exception texts end in one), other control characters
// escaped as in QuoteForMessage. Nothing is cut.
std::string OneLine(std::string_view message);

// OneLine into a caller's buffer, for code that must not allocate (logging): writes at
// most size - 1 bytes and a terminating 0, and returns the length written.
size_t OneLineInto(std::string_view message, char* out, size_t size);

}  // namespace edgefuse::platform
