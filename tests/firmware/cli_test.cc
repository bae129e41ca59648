#include "firmware/app/cli.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/json/json.h"
#include "firmware/app/commands.h"
#include "tests/firmware/run_edgefuse.h"

namespace edgefuse::app {
namespace {

TEST(Cli, UnknownCommandIsOneLineAndExit2) {
  CliResult run = RunEdgefuse({"fly"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(run.err, "edgefuse: unknown command 'fly' (see edgefuse --help)\n");
  EXPECT_EQ(run.out, "");
}

TEST(Cli, UnknownTopLevelOptionIsOneLineAndExit2) {
  CliResult run = RunEdgefuse({"--frobnicate"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(Lines(run.err), 1);
  EXPECT_NE(run.err.find("unknown option '--frobnicate'"), std::string::npos);
}

TEST(Cli, UnknownSubcommandOptionIsOneLineAndExit2) {
  CliResult run = RunEdgefuse({"info", "--yaml"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(run.err, "edgefuse info: unknown option '--yaml' (see edgefuse info --help)\n");
  run = RunEdgefuse({"info", "extra"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(Lines(run.err), 1);
  run = RunEdgefuse({"info", "--json=yes"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(Lines(run.err), 1);
}

// Arguments are outside text: a line break in one is escaped, so every error stays one
// line (the same OneLine runs on every error the commands print).
TEST(Cli, ArgumentsWithLineBreaksStayOnOneLine) {
  CliResult run = RunEdgefuse({"fly\naway"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(run.err, "edgefuse: unknown command 'fly\\naway' (see edgefuse --help)\n");
  run = RunEdgefuse({"info", "--ya\nml"});
  EXPECT_EQ(run.err, "edgefuse info: unknown option '--ya\\nml' (see edgefuse info --help)\n");
  run = RunEdgefuse(
      {"attend", "--weights", "w\n.safetensors", "--query", "q.npy", "--context", "c.npy", "--out", "o.npy"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(run.err, "edgefuse: attend: w\\n.safetensors: No such file or directory\n");
}

TEST(Cli, VersionAndHelp) {
  CliResult run = RunEdgefuse({"--version"});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(run.out, std::string("edgefuse ") + EDGEFUSE_VERSION + "\n");
  run = RunEdgefuse({"--help"});
  EXPECT_EQ(run.status, kExitOk);
  for (const auto& command : Commands()) EXPECT_NE(run.out.find(command.name), std::string::npos);
  run = RunEdgefuse({"info", "--help"});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_NE(run.out.find("--json"), std::string::npos);
}

TEST(Cli, InfoJsonDescribesThisMachine) {
  CliResult run = RunEdgefuse({"info", "--json"});
  ASSERT_EQ(run.status, kExitOk) << run.err;
  core::Json info;
  std::string error;
  ASSERT_TRUE(core::ParseJson(run.out, &info, &error)) << error << "\n" << run.out;
  const core::Json* cpu = info.Find("cpu");
  ASSERT_NE(cpu, nullptr);
#if defined(__aarch64__)
  EXPECT_EQ(cpu->Find("arch")->AsString(), "aarch64");
  EXPECT_TRUE(cpu->Find("neon")->AsBool());
#else
  EXPECT_EQ(cpu->Find("arch")->AsString(), "x86-64");
  EXPECT_FALSE(cpu->Find("neon")->AsBool());
  EXPECT_FALSE(cpu->Find("dotprod")->AsBool());
#endif
  const core::Json* libraries = info.Find("libraries");
  ASSERT_NE(libraries, nullptr);
  EXPECT_EQ(libraries->Find("opencv")->Find("version")->AsString().rfind("4.6", 0), 0u);
  EXPECT_NE(libraries->Find("portaudio")->Find("version")->AsString().find("V19"), std::string::npos);
  EXPECT_TRUE(libraries->Find("xnnpack")->Find("initialized")->AsBool());
  EXPECT_NE(info.Find("board")->Find("id"), nullptr);
}

TEST(Cli, ParseArgsValuesAndErrors) {
  static constexpr OptionSpec kOptions[] = {{"out", "FILE", "output"}, {"fast", nullptr, "flag"}};
  std::vector<std::string> words = {"x", "--out", "a.npy", "--fast"};
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  ParsedArgs args;
  EXPECT_EQ(ParseArgs("x", kOptions, static_cast<int>(argv.size()), argv.data(), &args), -1);
  EXPECT_EQ(args.Get("out"), "a.npy");
  EXPECT_TRUE(args.Has("fast"));
  EXPECT_EQ(args.Get("missing", "default"), "default");

  std::vector<std::string> words2 = {"x", "--out=b.npy", "--out", "c.npy"};
  argv.clear();
  for (auto& w : words2) argv.push_back(w.data());
  ParsedArgs twice;
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(ParseArgs("x", kOptions, static_cast<int>(argv.size()), argv.data(), &twice), kExitUsage);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("given twice"), std::string::npos);

  std::vector<std::string> words3 = {"x", "--out"};
  argv.clear();
  for (auto& w : words3) argv.push_back(w.data());
  ParsedArgs missing;
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(ParseArgs("x", kOptions, static_cast<int>(argv.size()), argv.data(), &missing), kExitUsage);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("needs a value"), std::string::npos);
}

TEST(Cli, ParseIntIsStrict) {
  long value = 0;
  EXPECT_TRUE(ParseInt("42", 1, 100, &value));
  EXPECT_EQ(value, 42);
  EXPECT_FALSE(ParseInt("42x", 1, 100, &value));
  EXPECT_FALSE(ParseInt("", 1, 100, &value));
  EXPECT_FALSE(ParseInt("0", 1, 100, &value));
  EXPECT_FALSE(ParseInt("99999999999999999999", 1, 100, &value));
}

}  // namespace
}  // namespace edgefuse::app
