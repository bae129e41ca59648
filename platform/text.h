// Text from outside (a file's header, a tensor name, a command-line value, a file name)
// made safe to put into a one-line message.
//
//   *error = "unknown key " + edgefuse::platform::QuoteForMessage(key);  // unknown key 'a\nb'
#pragma once

#include <string>
#include <string_view>

namespace edgefuse::platform {

// 'text' for a one-line message: control characters escaped (\n, \x01), and cut
// after 80 bytes with "...".
std::string QuoteForMessage(std::string_view text);

}  // namespace edgefuse::platform
