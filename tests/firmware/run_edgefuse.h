// Runs the edgefuse command line in-process for tests: edgefuse::app::Main on an
// argument list, with stdout and stderr captured.
//
//   const edgefuse::app::CliResult run = edgefuse::app::RunEdgefuse({"info", "--json"});
//   EXPECT_EQ(run.status, edgefuse::app::kExitOk);
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "firmware/app/commands.h"

namespace edgefuse::app {

struct CliResult {
  int status;
  std::string out;
  std::string err;
};

inline CliResult RunEdgefuse(std::vector<std::string> args) {
  args.insert(args.begin(), "edgefuse");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int status = Main(static_cast<int>(args.size()), argv.data());
  std::fflush(stdout);
  CliResult run{status, ::testing::internal::GetCapturedStdout(), ::testing::internal::GetCapturedStderr()};
  return run;
}

// Lines of output (newline count): one-line errors have exactly one.
inline int Lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace edgefuse::app
