#include "core/format/npy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>

#include "platform/file.h"
#include "tests/support/test_support.h"

namespace edgefuse::core {
namespace {

std::vector<uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

// What numpy.save writes for numpy.arange(6, dtype=numpy.float32).reshape(2, 3):
// header padded with spaces so the data starts at byte 128.
std::vector<uint8_t> NumpyArange23() {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  header.append(118 - header.size() - 1, ' ');
  header += '\n';
  std::string file = std::string("\x93NUMPY\x01\x00", 8) + std::string("\x76\x00", 2) + header;
  for (int i = 0; i < 6; ++i) {
    const float v = static_cast<float>(i);
    file.append(reinterpret_cast<const char*>(&v), 4);
  }
  return Bytes(file);
}

std::string ParseError(const std::vector<uint8_t>& bytes) {
  NpyArray array;
  std::string error;
  EXPECT_FALSE(ParseNpy(bytes, &array, &error));
  return error;
}

TEST(Npy, ReadsWhatNumpyWrites) {
  NpyArray array;
  std::string error;
  ASSERT_TRUE(ParseNpy(NumpyArange23(), &array, &error)) << error;
  EXPECT_EQ(array.dtype, NpyDType::kFloat32);
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(array.f32, (std::vector<float>{0, 1, 2, 3, 4, 5}));
}

TEST(Npy, WritesWhatNumpyWrites) {
  const float values[] = {0, 1, 2, 3, 4, 5};
  EXPECT_EQ(SerializeNpy(NpyArray::Float32({2, 3}, values)), NumpyArange23());
}

TEST(Npy, RoundTripsEveryDTypeAndRank) {
  const int8_t i8[] = {-128, 0, 127};
  const int16_t i16[] = {-32768, 1, 32767, -2};
  const float scalar[] = {std::nanf("")};
  for (const NpyArray& original : {NpyArray::Int8({3}, i8), NpyArray::Int16({2, 1, 2}, i16),
                                   NpyArray::Float32({}, scalar), NpyArray::Float32({0, 4}, {})}) {
    NpyArray back;
    std::string error;
    ASSERT_TRUE(ParseNpy(SerializeNpy(original), &back, &error)) << error;
    EXPECT_EQ(back.dtype, original.dtype);
    EXPECT_EQ(back.shape, original.shape);
    EXPECT_EQ(back.i8, original.i8);
    EXPECT_EQ(back.i16, original.i16);
    ASSERT_EQ(back.f32.size(), original.f32.size());
    if (!back.f32.empty()) {
      EXPECT_EQ(std::memcmp(back.f32.data(), original.f32.data(), back.f32.size() * 4), 0);  // NaN bits too
    }
    EXPECT_EQ((SerializeNpy(original).size() - back.f32.size() * 4 - back.i16.size() * 2 - back.i8.size()) % 64, 0u)
        << "data must start on a 64-byte boundary";
  }
}

TEST(Npy, RefusesBadFilesWithOneLineReasons) {
  std::vector<uint8_t> good = NumpyArange23();
  EXPECT_EQ(ParseError(Bytes("hello")), "not a .npy file (bad magic)");
  EXPECT_EQ(ParseError(std::vector<uint8_t>(good.begin(), good.end() - 4)),
            "truncated: 2x3 float32 needs 24 data bytes, found 20");
  std::vector<uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_EQ(ParseError(longer), "1 bytes of unexpected data after the 2x3 float32 array");
  std::vector<uint8_t> short_header(good.begin(), good.begin() + 40);
  EXPECT_NE(ParseError(short_header).find("runs past the end"), std::string::npos);

  auto with_header = [&](std::string header) {
    header += '\n';
    std::string file = std::string("\x93NUMPY\x01\x00", 8);
    file.push_back(static_cast<char>(header.size()));
    file.push_back(0);
    return Bytes(file + header);
  };
  EXPECT_NE(ParseError(with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }")).find("float64"),
            std::string::npos);
  EXPECT_NE(ParseError(with_header("{'descr': '>f4', 'fortran_order': False, 'shape': (0,), }")).find("'>f4'"),
            std::string::npos);
  EXPECT_NE(ParseError(with_header("{'descr': '<f4', 'fortran_order': True, 'shape': (0,), }")).find("Fortran"),
            std::string::npos);
  EXPECT_NE(ParseError(with_header("{'descr': '<f4', 'shape': (0,), }")).find("lacks"), std::string::npos);
  EXPECT_NE(ParseError(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }")).find("shape"),
            std::string::npos);
  EXPECT_NE(ParseError(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999, 99999999, 999999), }"))
                .find("too large"),
            std::string::npos);
  EXPECT_NE(ParseError(with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}")).find("'x'"),
            std::string::npos);
  std::vector<uint8_t> v9 = good;
  v9[6] = 9;
  EXPECT_EQ(ParseError(v9), "unsupported .npy format version 9.0");
  // Header text is quoted with its control characters escaped (found by the fuzzer).
  EXPECT_EQ(ParseError(with_header("{'des\x19: False\nshape': (2,), }")),
            "unexpected or repeated key 'des\\x19: False\\nshape' in header");

  EXPECT_EQ(ParseError(with_header("{'descr': '<f\n4', 'fortran_order': False, 'shape': (0,), }")),
            "dtype '<f\\n4' is not supported (float32 '<f4', int8 '|i1', int16 '<i2' or bool '|b1')");
}

TEST(Npy, ReadsAndWritesNumpyBool) {
  const int8_t mask[] = {0, 1, 1, 0};
  const std::vector<uint8_t> bytes = SerializeNpy(NpyArray::Bool({4}, mask));
  EXPECT_NE(std::string(bytes.begin(), bytes.end()).find("'descr': '|b1'"), std::string::npos);
  NpyArray back;
  std::string error;
  ASSERT_TRUE(ParseNpy(bytes, &back, &error)) << error;
  EXPECT_EQ(back.dtype, NpyDType::kBool);
  EXPECT_EQ(back.i8, (std::vector<int8_t>{0, 1, 1, 0}));
  std::vector<uint8_t> bad(bytes.begin(), bytes.end() - 1);
  bad.push_back(2);  // NumPy never writes a bool byte other than 0 or 1
  EXPECT_EQ(ParseError(bad), "bool array holds byte 2 at flat index 3 (NumPy writes only 0 and 1)");
}

}  // namespace
}  // namespace edgefuse::core
