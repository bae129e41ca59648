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

TEST(OneLine, EscapesInsideAndDropsTheLineEnd) {
  EXPECT_EQ(OneLine("q.npy: truncated"), "q.npy: truncated");
  EXPECT_EQ(OneLine(""), "");
  // An exception text with its line end; a path with a newline in it.
  EXPECT_EQ(OneLine("OpenCV(4.6.0) error: (-215) in 'f'\n"), "OpenCV(4.6.0) error: (-215) in 'f'");
  EXPECT_EQ(OneLine("a\nb.npy: No such file\r\n \t"), "a\\nb.npy: No such file");
  EXPECT_EQ(OneLine("tab\there\x7f"), "tab\\x09here");
  EXPECT_EQ(OneLine(std::string(300, 'x')), std::string(300, 'x'));  // nothing cut
  EXPECT_EQ(OneLine("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(OneLine, IntoABufferNeverSplitsAnEscape) {
  char buffer[8];
  EXPECT_EQ(OneLineInto("abc\n", buffer, sizeof buffer), 3u);
  EXPECT_STREQ(buffer, "abc");
  EXPECT_EQ(OneLineInto("abcd\x01z", buffer, sizeof buffer), 4u);  // "\x01" does not fit after "abcd"
  EXPECT_STREQ(buffer, "abcd");
  EXPECT_EQ(OneLineInto("ab\ncd", buffer, sizeof buffer), 6u);
  EXPECT_STREQ(buffer, "ab\\ncd");
  EXPECT_EQ(OneLineInto(std::string(20, 'y'), buffer, sizeof buffer), 7u);
  EXPECT_STREQ(buffer, "yyyyyyy");
  EXPECT_EQ(OneLineInto("abc", buffer, 0), 0u);
}

}  // namespace
}  // namespace edgefuse::platform
