// `edgefuse attend` and `edgefuse bench attention`, in-process through their command
// functions (so they also run under QEMU): PyTorch golden files reproduced, and every
// kind of bad input answered with one line on stderr and exit status 2.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "core/format/npy.h"
#include "core/format/safetensors.h"
#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/files/tensor_files.h"
#include "platform/file.h"
#include "tests/support/test_support.h"

namespace edgefuse::app {
namespace {

// PyTorch computes in float32 too; both sides are within ~3e-7 of the exact result.
constexpr double kMaxRelativeError = 1e-5;  // output: max |ours - torch| / max |torch|
constexpr double kMaxWeightError = 1e-5;    // attention weights: max |ours - torch|

struct Result {
  int status;
  std::string out, err;
};

Result RunCommand(int (*command)(int, char**), std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  const int status = command(static_cast<int>(args.size()), argv.data());
  std::fflush(stdout);
  std::fflush(stderr);
  Result r{status, ::testing::internal::GetCapturedStdout(), ::testing::internal::GetCapturedStderr()};
  return r;
}

std::string Golden(const std::string& name, const std::string& file) {
  return testing::ProjectTestData("golden/attention/" + name + "/" + file);
}

class AttendTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.File(name); }
  std::string WriteBytes(const std::string& name, const std::vector<uint8_t>& bytes) {
    const std::string path = Path(name);
    std::string error;
    EXPECT_TRUE(platform::WriteFileBytes(path, bytes, &error)) << error;
    return path;
  }
  std::string WriteNpy(const std::string& name, const core::NpyArray& array) {
    return WriteBytes(name, core::SerializeNpy(array));
  }
  static std::vector<uint8_t> ReadBytes(const std::string& path) {
    std::vector<uint8_t> bytes;
    std::string error;
    EXPECT_TRUE(platform::ReadFileBytes(path, &bytes, &error)) << error;
    return bytes;
  }
  static core::NpyArray ReadNpy(const std::string& path) {
    core::NpyArray array;
    std::string error;
    EXPECT_TRUE(files::ReadNpyFile(path, &array, &error)) << error;
    return array;
  }

  // The arguments of a valid call on the golden case "packed", with `changes` applied
  // (an empty value removes an option).
  std::vector<std::string> PackedArgs(std::vector<std::pair<std::string, std::string>> changes = {}) {
    std::vector<std::pair<std::string, std::string>> options = {{"--weights", Golden("packed", "weights.safetensors")},
                                                                {"--query", Golden("packed", "query.npy")},
                                                                {"--context", Golden("packed", "context.npy")},
                                                                {"--out", Path("out.npy")}};
    for (const auto& [key, value] : changes) {
      bool found = false;
      for (auto& option : options) {
        if (option.first == key) {
          option.second = value;
          found = true;
        }
      }
      if (!found) options.emplace_back(key, value);
    }
    std::vector<std::string> args = {"attend"};
    for (const auto& [key, value] : options) {
      if (value.empty()) continue;
      args.push_back(key);
      if (value != "<flag>") args.push_back(value);
    }
    return args;
  }

  // Exit status 2 and exactly one line on stderr containing `expect`.
  void ExpectBadInput(const std::vector<std::string>& args, const std::string& expect) {
    const Result r = RunCommand(&RunAttend, args);
    EXPECT_EQ(r.status, kExitUsage) << r.err;
    EXPECT_NE(r.err.find(expect), std::string::npos) << "stderr: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "stderr: " << r.err;
    EXPECT_EQ(r.err.rfind("edgefuse: attend: ", 0), 0u) << r.err;
  }

  testing::ScratchDir dir_;
};

struct GoldenCase {
  const char* name;
  bool mask, per_head, pass_heads;
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

class AttendGolden : public AttendTest, public ::testing::WithParamInterface<GoldenCase> {
 protected:
  // The arguments of one case (the same as tests/golden/attention/make_integer_golden.sh).
  std::vector<std::string> Args(const GoldenCase& c, const char* precision, const std::string& out,
                                const std::string& attn);
  std::pair<double, double> Check(const GoldenCase& c, const char* precision, double output_bound, double weight_bound);
};

std::vector<std::string> AttendGolden::Args(const GoldenCase& c, const char* precision, const std::string& out,
                                            const std::string& attn) {
  std::vector<std::string> args = {"attend",
                                   "--weights",
                                   Golden(c.name, "weights.safetensors"),
                                   "--query",
                                   Golden(c.name, "query.npy"),
                                   "--context",
                                   Golden(c.name, "context.npy"),
                                   "--out",
                                   out,
                                   "--attn-out",
                                   attn,
                                   "--threads",
                                   "2",
                                   "--precision",
                                   precision};
  if (c.mask) args.insert(args.end(), {"--key-padding-mask", Golden(c.name, "mask.npy")});
  if (c.per_head) args.push_back("--attn-per-head");
  if (c.pass_heads) {
    const core::NpyArray want_attn = ReadNpy(Golden(c.name, "attn.npy"));
    args.insert(args.end(), {"--heads", std::to_string(want_attn.shape[want_attn.shape.size() - 3])});
  }
  return args;
}

// Runs `attend` on a golden case at a precision (the integer ones calibrated on the
// inputs themselves) and compares with PyTorch; returns the output and weights errors.
std::pair<double, double> AttendGolden::Check(const GoldenCase& c, const char* precision, double output_bound,
                                              double weight_bound) {
  const std::string out = Path("out.npy"), attn = Path("attn.npy");
  const Result r = RunCommand(&RunAttend, Args(c, precision, out, attn));
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  if (r.status != kExitOk) return {1.0, 1.0};
  std::pair<double, double> errors;

  for (const auto& [got_path, want_path, relative] :
       {std::tuple{out, Golden(c.name, "out.npy"), true}, std::tuple{attn, Golden(c.name, "attn.npy"), false}}) {
    const core::NpyArray got = ReadNpy(got_path), want = ReadNpy(want_path);
    EXPECT_EQ(got.shape, want.shape) << want_path;
    if (got.shape != want.shape) return {1.0, 1.0};
    double max_error = 0, max_want = 0;
    for (size_t i = 0; i < want.f32.size(); ++i) {
      max_error = std::max(max_error, std::abs(double{got.f32[i]} - want.f32[i]));
      max_want = std::max(max_want, std::abs(double{want.f32[i]}));
    }
    const double error = relative ? max_error / max_want : max_error;
    std::printf("[golden] %s %s %s: %s error %.3g\n", precision, c.name, relative ? "output" : "attention weights",
                relative ? "max relative" : "max absolute", error);
    EXPECT_LT(error, relative ? output_bound : weight_bound) << precision << " " << want_path;
    (relative ? errors.first : errors.second) = error;
  }
  return errors;
}

TEST_P(AttendGolden, ReproducesPyTorch) { Check(GetParam(), "f32", kMaxRelativeError, kMaxWeightError); }

// The integer blocks on the same files, calibrated on the inputs being processed (so
// every range is the tensor's own): max relative output error (the measure of the
// float tests, stricter than relative L2) and max absolute weights error. Bounds from
// measurement with a margin (worst case kdim_masked_int8, E=24 with 4 heads: int8
// 2.2% / 0.0089, 16x8 0.78% / 0.0023; core/attention/README.md).
TEST_P(AttendGolden, IntegerPrecisionsApproximatePyTorch) {
  Check(GetParam(), "int8", 0.04, 0.015);
  Check(GetParam(), "int16", 0.015, 0.005);
}

// The integer precisions give, byte for byte, what the x86-64 host build wrote
// (tests/golden/attention/make_integer_golden.sh): on every CPU model and kernel tier.
TEST_P(AttendGolden, IntegerPrecisionsGiveTheHostBuildsBytes) {
  const GoldenCase& c = GetParam();
  for (const char* precision : {"int8", "int16"}) {
    const std::string out = Path("out.npy"), attn = Path("attn.npy");
    const Result r = RunCommand(&RunAttend, Args(c, precision, out, attn));
    ASSERT_EQ(r.status, kExitOk) << r.err;
    const std::string stem = std::string("integer/") + c.name + "_" + precision;
    EXPECT_EQ(ReadBytes(out), ReadBytes(testing::ProjectTestData("golden/attention/" + stem + "_out.npy")))
        << precision << " output of " << c.name;
    EXPECT_EQ(ReadBytes(attn), ReadBytes(testing::ProjectTestData("golden/attention/" + stem + "_attn.npy")))
        << precision << " weights of " << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(PyTorch, AttendGolden,
                         ::testing::Values(GoldenCase{"packed", false, false, false},
                                           GoldenCase{"packed_masked_bool", true, false, false},
                                           GoldenCase{"kdim_masked_int8", true, true, true},
                                           GoldenCase{"kdim_batched", false, false, false},
                                           GoldenCase{"no_bias", true, true, false}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(AttendTest, RejectsMalformedSafetensors) {
  const std::vector<uint8_t> good = ReadBytes(Golden("packed", "weights.safetensors"));
  std::vector<uint8_t> bytes(good.begin(), good.begin() + 100);
  ExpectBadInput(PackedArgs({{"--weights", WriteBytes("truncated_header.safetensors", bytes)}}),
                 "truncated_header.safetensors: truncated: the header length says");
  bytes.assign(good.begin(), good.end() - 10);
  ExpectBadInput(PackedArgs({{"--weights", WriteBytes("truncated_data.safetensors", bytes)}}), "run past the");
  bytes = good;
  bytes[5] = 0x40;  // header length ~ 2^46
  ExpectBadInput(PackedArgs({{"--weights", WriteBytes("oversized.safetensors", bytes)}}), "exceeds the limit");
  ExpectBadInput(PackedArgs({{"--weights", Path("missing.safetensors")}}),
                 "missing.safetensors: No such file or directory");

  // Valid files that are not valid weights: a wrong dtype, a wrong shape.
  const std::string header = R"({"in_proj_weight":{"dtype":"I32","shape":[96,32],"data_offsets":[0,12288]},)"
                             R"("out_proj.weight":{"dtype":"F32","shape":[32,32],"data_offsets":[12288,16384]}})";
  bytes.clear();
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<uint8_t>(uint64_t{header.size()} >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.resize(bytes.size() + 16384, 0);
  ExpectBadInput(PackedArgs({{"--weights", WriteBytes("wrong_dtype.safetensors", bytes)}, {"--heads", "4"}}),
                 "wrong_dtype.safetensors: tensor 'in_proj_weight': dtype I32 is not supported here");
  const core::SafetensorsF32Entry wrong_shape[] = {{"in_proj_weight", {96, 33}, std::vector<float>(96 * 33, 0.1f)},
                                                   {"out_proj.weight", {32, 32}, std::vector<float>(32 * 32, 0.1f)}};
  ExpectBadInput(
      PackedArgs({{"--weights", WriteBytes("wrong_shape.safetensors", core::SerializeSafetensorsF32(wrong_shape))},
                  {"--heads", "4"}}),
      "wrong_shape.safetensors: tensor 'in_proj_weight' has shape [96, 33], expected [96, 32]");
  const core::SafetensorsF32Entry no_out_proj[] = {{"in_proj_weight", {96, 32}, std::vector<float>(96 * 32, 0.1f)}};
  ExpectBadInput(
      PackedArgs({{"--weights", WriteBytes("missing_tensor.safetensors", core::SerializeSafetensorsF32(no_out_proj))},
                  {"--heads", "4"}}),
      "missing_tensor.safetensors: missing tensor 'out_proj.weight' [E, E]");
}

TEST_F(AttendTest, RejectsBadNpyInputs) {
  const core::NpyArray query = ReadNpy(Golden("packed", "query.npy"));      // [5, 32]
  const core::NpyArray context = ReadNpy(Golden("packed", "context.npy"));  // [12, 32]
  ExpectBadInput(PackedArgs({{"--query", WriteBytes("garbage.npy", {'n', 'o', 'p', 'e'})}}),
                 "garbage.npy: not a .npy file (bad magic)");
  std::vector<uint8_t> bytes = core::SerializeNpy(query);
  bytes.resize(bytes.size() - 4);
  ExpectBadInput(PackedArgs({{"--query", WriteBytes("short.npy", bytes)}}), "short.npy: truncated");
  std::vector<float> values = query.f32;
  ExpectBadInput(PackedArgs({{"--query", WriteNpy("rank1.npy", core::NpyArray::Float32({160}, values))}}),
                 "rank1.npy: query must have shape [N, E] or [1, N, E], not 160");
  ExpectBadInput(PackedArgs({{"--query", WriteNpy("batch2.npy", core::NpyArray::Float32({2, 5, 16}, values))}}),
                 "batch2.npy: query must have shape [N, E] or [1, N, E], not 2x5x16");
  ExpectBadInput(PackedArgs({{"--query", WriteNpy("wide.npy", core::NpyArray::Float32({4, 40}, values))}}),
                 "wide.npy: query has 40 features per token but the weights need E = 32");
  ExpectBadInput(PackedArgs({{"--query", WriteNpy("empty.npy", core::NpyArray::Float32({0, 32}, {}))}}),
                 "empty.npy: query has no tokens");
  const int16_t ints[] = {1, 2};
  ExpectBadInput(PackedArgs({{"--query", WriteNpy("int16.npy", core::NpyArray::Int16({1, 2}, ints))}}),
                 "int16.npy: query must be float32, not int16");
  values[2 * 32 + 7] = std::nanf("");
  ExpectBadInput(PackedArgs({{"--query", WriteNpy("nan.npy", core::NpyArray::Float32({5, 32}, values))}}),
                 "nan.npy: query holds NaN at token 2, feature 7");
  values = context.f32;
  values[11 * 32 + 31] = -INFINITY;
  ExpectBadInput(PackedArgs({{"--context", WriteNpy("inf.npy", core::NpyArray::Float32({12, 32}, values))}}),
                 "inf.npy: context holds an infinity at token 11, feature 31");
  ExpectBadInput(PackedArgs({{"--context", Golden("kdim_masked_int8", "context.npy")}}),
                 "context has 40 features per token but the weights need kdim = 32");

  const int8_t mask_values[] = {0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0};
  ExpectBadInput(PackedArgs({{"--key-padding-mask", WriteNpy("mask2.npy", core::NpyArray::Int8({12}, mask_values))}}),
                 "mask2.npy: key padding mask holds 2 at 4 (not 0 or 1)");
  const int8_t eleven[11] = {0, 1};
  ExpectBadInput(PackedArgs({{"--key-padding-mask", WriteNpy("mask11.npy", core::NpyArray::Bool({11}, eleven))}}),
                 "mask11.npy: key padding mask must have shape [12] (one entry per context token), not 11");
  ExpectBadInput(PackedArgs({{"--key-padding-mask", Golden("packed", "query.npy")}}),
                 "key padding mask must be bool or int8 (0/1), not float32");
}

TEST_F(AttendTest, RejectsBadCommandLines) {
  ExpectBadInput(PackedArgs({{"--out", ""}}), "--out is required");
  ExpectBadInput(PackedArgs({{"--weights", ""}}), "--weights is required");
  ExpectBadInput(PackedArgs({{"--precision", "fp16"}}), "--precision must be f32, int8 or int16, not 'fp16'");
  ExpectBadInput(PackedArgs({{"--heads", "0"}}), "--heads must be a positive integer");
  ExpectBadInput(PackedArgs({{"--threads", "many"}}), "--threads must be an integer in [1, 256]");
  ExpectBadInput(PackedArgs({{"--attn-per-head", "<flag>"}}), "--attn-per-head needs --attn-out");
  ExpectBadInput(PackedArgs({{"--calibration", dir_.path()}}),
                 "--calibration applies to --precision int8 or int16 only");
  ExpectBadInput(PackedArgs({{"--heads", "8"}}), "head count 8 disagrees with the file's num_heads 4");
  ExpectBadInput({"attend", "--weights", Golden("kdim_masked_int8", "weights.safetensors"), "--query",
                  Golden("kdim_masked_int8", "query.npy"), "--context", Golden("kdim_masked_int8", "context.npy"),
                  "--out", Path("o.npy"), "--heads", "5"},
                 "head count 5 does not divide embed dim 24");
  const Result r = RunCommand(&RunAttend, {"attend", "--bogus"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "edgefuse attend: unknown option '--bogus' (see edgefuse attend --help)\n");
}

TEST_F(AttendTest, IntegerPrecisionsCalibrateFromADirectory) {
  // The calibration set is read (and checked) before anything runs.
  ExpectBadInput(PackedArgs({{"--precision", "int8"}, {"--calibration", dir_.path()}}), "no calibration pairs");
  WriteBytes("000_query.npy", ReadBytes(Golden("packed", "query.npy")));
  WriteBytes("000_context.npy", ReadBytes(Golden("packed", "context.npy")));
  for (const char* precision : {"int8", "int16"}) {
    const Result r = RunCommand(&RunAttend, PackedArgs({{"--precision", precision}, {"--calibration", dir_.path()}}));
    ASSERT_EQ(r.status, kExitOk) << r.err;
    EXPECT_EQ(r.out.rfind(std::string("attend: ") + precision + ": ", 0), 0u) << r.out;
    const core::NpyArray got = ReadNpy(Path("out.npy")), want = ReadNpy(Golden("packed", "out.npy"));
    ASSERT_EQ(got.shape, want.shape);
    double max_error = 0, max_want = 0;
    for (size_t i = 0; i < want.f32.size(); ++i) {
      max_error = std::max(max_error, std::abs(double{got.f32[i]} - want.f32[i]));
      max_want = std::max(max_want, std::abs(double{want.f32[i]}));
    }
    EXPECT_LT(max_error / max_want, 0.05) << precision;
  }
}

TEST_F(AttendTest, UnwritableOutputIsAFailureNotBadInput) {
  const Result r = RunCommand(&RunAttend, PackedArgs({{"--out", "/nonexistent/out.npy"}}));
  EXPECT_EQ(r.status, kExitFailure);
  EXPECT_NE(r.err.find("/nonexistent/out.npy: cannot create"), std::string::npos) << r.err;
}

TEST(BenchAttention, PrintsTimePerCall) {
  const Result r =
      RunCommand(&RunBench, {"bench", "attention", "--precision", "f32", "--heads", "4", "--nq", "8", "--nk", "19",
                             "--dim", "32", "--kdim", "24", "--iters", "3", "--threads", "2"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("^attention f32 H=4 E=32 kdim=24 Nq=8 Nk=19 threads=2: "
                                                  "[0-9.]+ ms per call \\(3 calls\\)")))
      << r.out;
}

TEST(BenchAttention, IntegerPrecisions) {
  for (const char* precision : {"int8", "int16"}) {
    const Result r = RunCommand(&RunBench, {"bench", "attention", "--precision", precision, "--heads", "4", "--nq", "8",
                                            "--nk", "19", "--dim", "32", "--iters", "3", "--threads", "2"});
    ASSERT_EQ(r.status, kExitOk) << r.err;
    EXPECT_TRUE(std::regex_search(r.out, std::regex(std::string("^attention ") + precision +
                                                    " H=4 E=32 kdim=32 Nq=8 Nk=19 threads=2: "
                                                    "[0-9.]+ ms per call \\(3 calls\\)")))
        << r.out;
  }
}

TEST(BenchAttention, RejectsBadOptions) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"bench"}, "bench: name a benchmark"},
      {{"bench", "nothing"}, "bench: unknown benchmark 'nothing'"},
      {{"bench", "attention", "--precision", "f32"}, "--heads is required"},
      {{"bench", "attention", "--precision", "f32", "--heads", "3", "--nq", "1", "--nk", "1", "--dim", "8", "--iters",
        "1"},
       "--heads 3 does not divide --dim 8"},
      {{"bench", "attention", "--precision", "int8", "--heads", "2", "--nq", "1", "--nk", "5000", "--dim", "8",
        "--iters", "1"},
       "precision int8 supports at most 4095 context tokens"},
  };
  for (const auto& [args, expect] : cases) {
    const Result r = RunCommand(&RunBench, args);
    EXPECT_EQ(r.status, kExitUsage) << expect;
    EXPECT_NE(r.err.find(expect), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace edgefuse::app
