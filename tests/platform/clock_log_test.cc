#include <gtest/gtest.h>

#include <thread>

#include "platform/clock.h"
#include "platform/log.h"
#include "platform/shared_library.h"
#include "tests/support/test_support.h"

namespace edgefuse::platform {
namespace {

TEST(Clock, MonotonicAndNanoseconds) {
  const int64_t a = MonotonicNowNs();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const int64_t b = MonotonicNowNs();
  EXPECT_GE(b - a, 2'000'000);
  EXPECT_LT(b - a, 5'000'000'000);  // generous: QEMU on a loaded machine is slow
  EXPECT_DOUBLE_EQ(NsToMs(1'500'000), 1.5);
  EXPECT_DOUBLE_EQ(NsToSeconds(2'000'000'000), 2.0);
}

TEST(Log, ParsesLevels) {
  LogLevel level = LogLevel::kInfo;
  EXPECT_TRUE(ParseLogLevel("debug", &level));
  EXPECT_EQ(level, LogLevel::kDebug);
  EXPECT_TRUE(ParseLogLevel("off", &level));
  EXPECT_EQ(level, LogLevel::kOff);
  EXPECT_FALSE(ParseLogLevel("verbose", &level));
  EXPECT_EQ(level, LogLevel::kOff);
}

TEST(Log, WritesOneLineAboveThresholdOnly) {
  const LogLevel saved = GetLogLevel();
  SetLogLevel(LogLevel::kWarn);
  ::testing::internal::CaptureStderr();
  EF_LOG_INFO("hidden %d", 1);
  EF_LOG_WARN("shown %d", 2);
  const std::string out = ::testing::internal::GetCapturedStderr();
  SetLogLevel(saved);
  EXPECT_EQ(out, "edgefuse: warning: shown 2\n");
}

TEST(Log, TruncatesLongMessagesToOneLine) {
  const LogLevel saved = GetLogLevel();
  SetLogLevel(LogLevel::kInfo);
  ::testing::internal::CaptureStderr();
  EF_LOG_ERROR("%s", std::string(5000, 'x').c_str());
  const std::string out = ::testing::internal::GetCapturedStderr();
  SetLogLevel(saved);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1);
  EXPECT_LE(out.size(), 1024u);
}

TEST(Log, EscapesLineBreaksInsideAMessage) {
  const LogLevel saved = GetLogLevel();
  SetLogLevel(LogLevel::kInfo);
  ::testing::internal::CaptureStderr();
  EF_LOG_WARN("camera %s: %s", "/dev/video\n0", "OpenCV error: (-215)\n");
  const std::string out = ::testing::internal::GetCapturedStderr();
  SetLogLevel(saved);
  EXPECT_EQ(out, "edgefuse: warning: camera /dev/video\\n0: OpenCV error: (-215)\n");
}

TEST(SharedLibrary, DebianPackageVersionFromStatusFile) {
  const std::string root = testing::ProjectTestData("platform/testdata/dpkg-root");
  EXPECT_EQ(DebianPackageVersion("libxnnpack0", root), "0.0~git20220216.ae108ef-2");
  EXPECT_EQ(DebianPackageVersion("libxnnpack", root), "9.9");  // exact names, not prefixes
  EXPECT_EQ(DebianPackageVersion("libportaudio2", root), "19.6.0-1.2");
  EXPECT_EQ(DebianPackageVersion("absent", root), "");
  EXPECT_EQ(DebianPackageVersion("libxnnpack0", "/nonexistent"), "");
}

TEST(SharedLibrary, PathOfALoadedSymbol) {
  // A symbol of the C library: always a shared object in these builds.
  const std::string path = SharedLibraryPathOf(reinterpret_cast<const void*>(&std::getenv));
  EXPECT_NE(path.find("libc"), std::string::npos) << path;
}

}  // namespace
}  // namespace edgefuse::platform
