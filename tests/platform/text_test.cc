#include "platform/text.h"

#include <gtest/gtest.h>

#include <string>

namespace edgefuse::platform {
namespace {

TEST(QuoteForMessage, EscapesControlCharactersAndCutsLongText) {
  EXPECT_EQ(QuoteForMessage("q.npy"), "'q.npy'");
  EXPECT_EQ(QuoteForMessage(""), "''");
  EXPECT_EQ(QuoteForMessage("a\nb\x01\x7f\x1f"), "'a\\nb\\x01\\x7f\\x1f'");
  EXPECT_EQ(QuoteForMessage(std::string("\0", 1)), "'\\x00'");
  EXPECT_EQ(QuoteForMessage("tab\there"), "'tab\\x09here'");
  EXPECT_EQ(QuoteForMessage(std::string(80, 'x')), "'" + std::string(80, 'x') + "'");
  EXPECT_EQ(QuoteForMessage(std::string(100, 'x')), "'" + std::string(80, 'x') + "...'");
  // Bytes above 0x7f pass unchanged: UTF-8 names stay readable.
  EXPECT_EQ(QuoteForMessage("caf\xc3\xa9"), "'caf\xc3\xa9'");
}

}  // namespace
}  // namespace edgefuse::platform
