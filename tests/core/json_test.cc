#include "core/json/json.h"

#include <gtest/gtest.h>

namespace edgefuse::core {
namespace {

Json MustParse(std::string_view text) {
  Json json;
  std::string error;
  EXPECT_TRUE(ParseJson(text, &json, &error)) << error;
  return json;
}

std::string ParseError(std::string_view text) {
  Json json;
  std::string error;
  EXPECT_FALSE(ParseJson(text, &json, &error)) << "accepted: " << text;
  return error;
}

TEST(Json, ParsesASafetensorsStyleHeader) {
  Json doc = MustParse(R"({"__metadata__":{"num_heads":"4"},
    "in_proj_weight":{"dtype":"F32","shape":[192,64],"data_offsets":[0,49152]}})");
  ASSERT_TRUE(doc.IsObject());
  const Json* w = doc.Find("in_proj_weight");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->Find("dtype")->AsString(), "F32");
  ASSERT_EQ(w->Find("shape")->Items().size(), 2u);
  EXPECT_TRUE(w->Find("shape")->Items()[0].IsInteger());
  EXPECT_EQ(w->Find("data_offsets")->Items()[1].AsInt(), 49152);
  EXPECT_EQ(doc.Members()[0].first, "__metadata__");  // key order kept
}

TEST(Json, NumbersStringsAndLiterals) {
  Json doc =
      MustParse(R"([0, -12, 1.5, 2e3, -0.25e-2, 9007199254740993, true, false, null, "a\"b\\\n\u00e9\ud83d\ude00"])");
  const auto& items = doc.Items();
  EXPECT_EQ(items[0].AsInt(), 0);
  EXPECT_EQ(items[1].AsInt(), -12);
  EXPECT_FALSE(items[2].IsInteger());
  EXPECT_DOUBLE_EQ(items[2].AsDouble(), 1.5);
  EXPECT_DOUBLE_EQ(items[3].AsDouble(), 2000.0);
  EXPECT_DOUBLE_EQ(items[4].AsDouble(), -0.0025);
  EXPECT_EQ(items[5].AsInt(), 9007199254740993);  // beyond double precision, exact as int64
  EXPECT_TRUE(items[6].AsBool());
  EXPECT_FALSE(items[7].AsBool());
  EXPECT_TRUE(items[8].IsNull());
  EXPECT_EQ(items[9].AsString(), "a\"b\\\n\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(Json, RejectsMalformedTextWithAPosition) {
  EXPECT_EQ(ParseError("{\"a\":1,}"), "expected a string key in object at byte 7");
  EXPECT_NE(ParseError("[1,2").find("unterminated array"), std::string::npos);
  EXPECT_NE(ParseError("{\"a\":1,\"a\":2}").find("duplicate object key"), std::string::npos);
  EXPECT_NE(ParseError("01").find("unexpected data"), std::string::npos);
  EXPECT_NE(ParseError("1.").find("invalid number"), std::string::npos);
  EXPECT_NE(ParseError("\"\\x\"").find("invalid escape"), std::string::npos);
  EXPECT_NE(ParseError("\"\\ud800\"").find("unpaired surrogate"), std::string::npos);
  EXPECT_NE(ParseError("\"a\nb\"").find("control character"), std::string::npos);
  EXPECT_NE(ParseError("{} x").find("unexpected data"), std::string::npos);
  EXPECT_NE(ParseError("").find("unexpected end"), std::string::npos);
  EXPECT_NE(ParseError("nul").find("invalid literal"), std::string::npos);
  EXPECT_NE(ParseError(std::string(100, '[')).find("nesting too deep"), std::string::npos);
}

TEST(Json, DumpsPrettyAndCompact) {
  Json doc = Json::Object();
  doc.Set("neon", true);
  doc.Set("arch", "aarch64");
  Json& list = doc.Set("list", Json::Array());
  list.Append(1);
  list.Append(0.5);
  doc.Set("empty", Json::Object());
  EXPECT_EQ(doc.Dump(),
            "{\n  \"neon\": true,\n  \"arch\": \"aarch64\",\n  \"list\": [\n    1,\n    0.5\n  ],\n  \"empty\": {}\n}");
  EXPECT_EQ(doc.Dump(false), R"({"neon":true,"arch":"aarch64","list":[1,0.5],"empty":{}})");
  doc.Set("neon", false);  // replaces, keeps position
  EXPECT_EQ(doc.Dump(false).substr(0, 14), R"({"neon":false,)");
}

TEST(Json, RoundTripsThroughDump) {
  const std::string text = R"({"a":[1,-2.5,"x\ty",null,{"b":false}],"c":"\u0001"})";
  Json doc = MustParse(text);
  Json again = MustParse(doc.Dump());
  EXPECT_EQ(doc.Dump(false), again.Dump(false));
  EXPECT_EQ(doc.Dump(false), text);
}

}  // namespace
}  // namespace edgefuse::core
