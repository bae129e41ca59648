// The strict .safetensors reader: what valid files look like, and one test per way a
// file can be malformed, each a one-line reason.
#include "core/format/safetensors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace edgefuse::core {
namespace {

std::vector<uint8_t> FileImage(const std::string& header, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<uint8_t>(uint64_t{header.size()} >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

std::string ParseError(std::vector<uint8_t> bytes) {
  SafetensorsFile file;
  std::string error;
  EXPECT_FALSE(ParseSafetensors(std::move(bytes), &file, &error));
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  return error;
}

TEST(Safetensors, RoundTripsFloat32TensorsAndMetadata) {
  const SafetensorsF32Entry tensors[] = {
      {"a", {2, 3}, {1, 2, 3, 4, 5, 6}}, {"b.c", {1}, {-0.5f}}, {"empty", {0, 4}, {}}};
  const std::pair<std::string, std::string> metadata[] = {{"num_heads", "8"}, {"format", "pt"}};
  SafetensorsFile file;
  std::string error;
  ASSERT_TRUE(ParseSafetensors(SerializeSafetensorsF32(tensors, metadata), &file, &error)) << error;
  ASSERT_EQ(file.tensors.size(), 3u);
  EXPECT_EQ(file.data_start % 8, 0u);
  const SafetensorsTensor* a = file.Find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a->ShapeString(), "[2, 3]");
  std::vector<float> values;
  ASSERT_TRUE(ToFloat32(file, *a, &values, &error)) << error;
  EXPECT_EQ(values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  ASSERT_TRUE(ToFloat32(file, *file.Find("empty"), &values, &error)) << error;
  EXPECT_TRUE(values.empty());
  ASSERT_NE(file.Metadata("num_heads"), nullptr);
  EXPECT_EQ(*file.Metadata("num_heads"), "8");
  EXPECT_EQ(file.Metadata("missing"), nullptr);
  EXPECT_EQ(file.Find("missing"), nullptr);
}

TEST(Safetensors, ConvertsHalfBfloatAndDoubleExactly) {
  // F16: 1.0 (0x3C00), -2.5 (0xC100), smallest subnormal (0x0001), inf (0x7C00).
  // BF16: 1.0 (0x3F80), -0.15625 (0xBE20). F64: 0.1 rounds to float's 0.1f.
  std::vector<uint8_t> data = {0x00, 0x3C, 0x00, 0xC1, 0x01, 0x00, 0x00, 0x7C, 0x80, 0x3F, 0x20, 0xBE};
  const double d = 0.1;
  data.resize(16);  // pad so the F64 starts at byte 16 (not required by the format)
  const auto* db = reinterpret_cast<const uint8_t*>(&d);
  data.insert(data.end(), db, db + 8);
  const std::string header = R"({"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},)"
                             R"("bf":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},)"
                             R"("pad":{"dtype":"U8","shape":[4],"data_offsets":[12,16]},)"
                             R"("d":{"dtype":"F64","shape":[],"data_offsets":[16,24]}})";
  SafetensorsFile file;
  std::string error;
  ASSERT_TRUE(ParseSafetensors(FileImage(header, data), &file, &error)) << error;
  std::vector<float> v;
  ASSERT_TRUE(ToFloat32(file, *file.Find("h"), &v, &error)) << error;
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], -2.5f);
  EXPECT_EQ(v[2], std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(v[3]));
  ASSERT_TRUE(ToFloat32(file, *file.Find("bf"), &v, &error)) << error;
  EXPECT_EQ(v, (std::vector<float>{1.0f, -0.15625f}));
  ASSERT_TRUE(ToFloat32(file, *file.Find("d"), &v, &error)) << error;
  EXPECT_EQ(v, (std::vector<float>{0.1f}));
  EXPECT_FALSE(ToFloat32(file, *file.Find("pad"), &v, &error));
  EXPECT_EQ(error, "tensor 'pad': dtype U8 is not supported here (F32, F16, BF16 or F64)");
}

TEST(Safetensors, HeaderMayBePaddedWithSpaces) {
  const std::string header = R"({"x":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}})" + std::string(6, ' ');
  SafetensorsFile file;
  std::string error;
  ASSERT_TRUE(ParseSafetensors(FileImage(header, {1, 2}), &file, &error)) << error;
  EXPECT_EQ(file.Data(*file.Find("x"))[1], 2);
}

TEST(Safetensors, RejectsTruncatedFiles) {
  EXPECT_EQ(ParseError({1, 2, 3}), "truncated: 3 bytes, too short for the 8-byte header length of a .safetensors file");
  std::vector<uint8_t> bytes =
      FileImage(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", {0, 0, 0, 0, 0, 0, 0, 0});
  std::vector<uint8_t> cut_header(bytes.begin(), bytes.begin() + 20);
  EXPECT_EQ(ParseError(cut_header), "truncated: the header length says 54 bytes but 12 follow");
  std::vector<uint8_t> cut_data(bytes.begin(), bytes.end() - 3);
  EXPECT_EQ(ParseError(cut_data), "tensor 'x': data_offsets [0, 8) run past the 5-byte data section (truncated file?)");
}

TEST(Safetensors, RejectsOversizedHeaderLength) {
  std::vector<uint8_t> bytes = {0, 0, 0, 0, 0, 1, 0, 0, '{', '}'};  // 2^40
  EXPECT_EQ(ParseError(bytes),
            "header length 1099511627776 exceeds the limit of 100000000 bytes (not a .safetensors file?)");
  bytes = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_NE(ParseError(bytes).find("exceeds the limit"), std::string::npos);
}

TEST(Safetensors, RejectsBadJson) {
  EXPECT_EQ(ParseError(FileImage(" {}", {})), "the header does not start with '{'");
  EXPECT_NE(ParseError(FileImage("{\"x\": ", {})).find("header is not valid JSON: "), std::string::npos);
  EXPECT_NE(ParseError(FileImage(R"({"a":{},"a":{}})", {})).find("duplicate"), std::string::npos);
  EXPECT_EQ(ParseError(FileImage(R"({"x":[1]})", {})), "tensor 'x' is not an object");
  EXPECT_EQ(ParseError(FileImage(R"({"__metadata__":{"n":8}})", {})), "\"__metadata__\" value of 'n' is not a string");
  EXPECT_EQ(ParseError(FileImage(R"({"__metadata__":[]})", {})), "\"__metadata__\" is not an object");
}

TEST(Safetensors, RejectsBadTensorEntries) {
  const auto entry = [](const std::string& body) { return FileImage("{\"w\":{" + body + "}}", {0, 0, 0, 0}); };
  EXPECT_EQ(ParseError(entry(R"("dtype":"F17","shape":[1],"data_offsets":[0,4])")),
            "tensor 'w' has an unknown dtype 'F17'");
  EXPECT_EQ(ParseError(entry(R"("dtype":32,"shape":[1],"data_offsets":[0,4])")),
            "tensor 'w' has an unknown dtype '32'");
  EXPECT_EQ(ParseError(entry(R"("dtype":"F32","shape":[-1],"data_offsets":[0,4])")),
            "tensor 'w': \"shape\" holds '-1', not a non-negative integer");
  EXPECT_EQ(ParseError(entry(R"("dtype":"F32","shape":[1.5],"data_offsets":[0,4])")),
            "tensor 'w': \"shape\" holds '1.5', not a non-negative integer");
  EXPECT_EQ(ParseError(entry(R"("dtype":"F32","shape":[1],"data_offsets":[4,0])")),
            "tensor 'w': \"data_offsets\" is not [begin, end] with 0 <= begin <= end");
  EXPECT_EQ(ParseError(entry(R"("dtype":"F32","shape":[1],"data_offsets":[0])")),
            "tensor 'w': \"data_offsets\" is not [begin, end] with 0 <= begin <= end");
  EXPECT_EQ(ParseError(entry(R"("dtype":"F32","shape":[2],"data_offsets":[0,4])")),
            "tensor 'w': [2] F32 needs 8 bytes but data_offsets span 4");
  EXPECT_EQ(ParseError(entry(R"("dtype":"F32","shape":[1])")),
            "tensor 'w' lacks \"dtype\", \"shape\" or \"data_offsets\"");
  EXPECT_EQ(ParseError(entry(R"("dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1)")),
            "tensor 'w' has an unknown key 'extra'");
  EXPECT_EQ(ParseError(entry(R"("dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4])")),
            "tensor 'w': shape is too large");
}

TEST(Safetensors, RejectsOverlapsHolesAndTrailingData) {
  const std::vector<uint8_t> data(12, 0);
  EXPECT_EQ(ParseError(FileImage(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                 R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                 std::vector<uint8_t>(8, 0))),
            "tensors 'a' and 'b' overlap (bytes [4, 8))");
  EXPECT_EQ(ParseError(FileImage(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                 R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                                 data)),
            "bytes [4, 8) of the data section belong to no tensor");
  EXPECT_EQ(ParseError(FileImage(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", data)),
            "4 bytes of data after the last tensor");
  // The same tensors listed out of order are fine: the format does not fix the order.
  SafetensorsFile file;
  std::string error;
  EXPECT_TRUE(ParseSafetensors(FileImage(R"({"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},)"
                                         R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                                         data),
                               &file, &error))
      << error;
}

TEST(Safetensors, NamesFromTheFileStayOnOneLine) {
  // A tensor name with a newline and a control character (found by the fuzzer).
  EXPECT_EQ(ParseError(FileImage(R"({"a\nb\u0001":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}})", {})),
            "tensor 'a\\nb\\x01': [1] F32 needs 4 bytes but data_offsets span 8");
}

}  // namespace
}  // namespace edgefuse::core
