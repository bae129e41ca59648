#include "platform/file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/support/test_support.h"

namespace edgefuse::platform {
namespace {

TEST(File, WriteThenReadBack) {
  const testing::ScratchDir dir;
  const std::string path = dir.File("bytes");
  const std::vector<uint8_t> data = {0, 1, 2, 255};
  std::string error;
  ASSERT_TRUE(WriteFileBytes(path, data, &error)) << error;
  std::vector<uint8_t> back;
  ASSERT_TRUE(ReadFileBytes(path, &back, &error)) << error;
  EXPECT_EQ(back, data);
  EXPECT_FALSE(ReadFileBytes(path, &back, &error, /*max_bytes=*/3));
  EXPECT_EQ(error, path + ": file too large (4 bytes)");
}

TEST(File, OneLineErrors) {
  std::vector<uint8_t> bytes;
  std::string error;
  EXPECT_FALSE(ReadFileBytes("/nonexistent/x.npy", &bytes, &error));
  EXPECT_EQ(error, "/nonexistent/x.npy: No such file or directory");
  EXPECT_FALSE(ReadFileBytes("/", &bytes, &error));
  EXPECT_EQ(error, "/: not a regular file");
  EXPECT_FALSE(WriteFileBytes("/nonexistent/out.npy", bytes, &error));
  EXPECT_EQ(error.rfind("/nonexistent/out.npy: cannot create: ", 0), 0u) << error;
}

TEST(File, ListDirectorySortsNames) {
  const testing::ScratchDir scratch;
  const std::string dir = scratch.File("list");
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  std::string error;
  for (const char* name : {"b.npy", "a.npy", "c"}) {
    ASSERT_TRUE(WriteFileBytes(dir + "/" + name, std::vector<uint8_t>{1}, &error)) << error;
  }
  std::vector<std::string> names;
  ASSERT_TRUE(ListDirectory(dir, &names, &error)) << error;
  EXPECT_EQ(names, (std::vector<std::string>{"a.npy", "b.npy", "c"}));
  for (const auto& name : names) unlink((dir + "/" + name).c_str());
  rmdir(dir.c_str());
  EXPECT_FALSE(ListDirectory(dir, &names, &error));
  EXPECT_EQ(error, dir + ": No such file or directory");
  EXPECT_FALSE(ListDirectory("/etc/hostname", &names, &error));
  EXPECT_EQ(error, "/etc/hostname: Not a directory");
}

}  // namespace
}  // namespace edgefuse::platform
