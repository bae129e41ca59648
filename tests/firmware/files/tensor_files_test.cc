// The file side of the command line's tensors (firmware/files): .npy and .safetensors
// files and calibration directories, every error naming the file.
#include "firmware/files/tensor_files.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "platform/file.h"
#include "tests/core/attention/reference_attention.h"
#include "tests/support/test_support.h"

namespace edgefuse::files {
namespace {

using testing::RandomAttentionWeights;
using testing::RandomNormal;

TEST(TensorFiles, NpyErrorsStartWithThePath) {
  const testing::ScratchDir dir;
  const std::string path = dir.File("values.npy");
  const int16_t values[] = {1, -2, 3};
  std::string error;
  ASSERT_TRUE(WriteNpyFile(path, core::NpyArray::Int16({3}, values), &error)) << error;
  core::NpyArray back;
  ASSERT_TRUE(ReadNpyFile(path, &back, &error)) << error;
  EXPECT_EQ(back.i16, (std::vector<int16_t>{1, -2, 3}));
  const std::vector<uint8_t> junk = {'j', 'u', 'n', 'k'};
  ASSERT_TRUE(platform::WriteFileBytes(path, junk, &error));
  EXPECT_FALSE(ReadNpyFile(path, &back, &error));
  EXPECT_EQ(error, path + ": not a .npy file (bad magic)");
  std::remove(path.c_str());
  EXPECT_FALSE(ReadNpyFile(path, &back, &error));
  EXPECT_EQ(error, path + ": No such file or directory");
}

TEST(TensorFiles, SafetensorsErrorsStartWithThePath) {
  core::SafetensorsFile file;
  std::string error;
  EXPECT_FALSE(ReadSafetensorsFile("/nonexistent/w.safetensors", &file, &error));
  EXPECT_EQ(error.rfind("/nonexistent/w.safetensors: ", 0), 0u) << error;
}

class CalibrationDirectory : public ::testing::Test {
 protected:
  void Write(const std::string& name, const core::NpyArray& array) {
    std::string error;
    ASSERT_TRUE(WriteNpyFile(dir_.File(name), array, &error)) << error;
  }
  void WriteBytes(const std::string& name, const std::string& bytes) {
    std::string error;
    ASSERT_TRUE(platform::WriteFileBytes(dir_.File(name), std::vector<uint8_t>(bytes.begin(), bytes.end()), &error))
        << error;
  }
  testing::ScratchDir dir_;
};

TEST_F(CalibrationDirectory, ReadsPairsAndMasks) {
  EF_SEEDED_RNG(rng);
  Write("000_query.npy", core::NpyArray::Float32({3, 8}, RandomNormal(rng, 24)));
  Write("000_context.npy", core::NpyArray::Float32({5, 4}, RandomNormal(rng, 20)));
  const int8_t mask[] = {0, 1, 0, 0, 1};
  Write("000_mask.npy", core::NpyArray::Bool({5}, mask));
  Write("001_query.npy", core::NpyArray::Float32({1, 2, 8}, RandomNormal(rng, 16)));
  Write("001_context.npy", core::NpyArray::Float32({7, 4}, RandomNormal(rng, 28)));
  WriteBytes("README.txt", "ignored");
  core::CalibrationSet set;
  std::string error;
  ASSERT_TRUE(ReadCalibrationDirectory(dir_.path(), 8, 4, &set, &error)) << error;
  EXPECT_EQ(set.ids, (std::vector<std::string>{"000", "001"}));
  EXPECT_EQ(set.masks[0], (std::vector<uint8_t>{0, 1, 0, 0, 1}));
  EXPECT_TRUE(set.masks[1].empty());
  const auto samples = set.Samples();
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[1].query.size(), 16u);
  EXPECT_EQ(samples[1].context.size(), 28u);

  const core::AttentionWeights weights = RandomAttentionWeights(rng, 8, 4);
  core::AttentionRanges ranges;
  ASSERT_TRUE(core::CalibrateAttention({.embed_dim = 8, .num_heads = 2, .kdim = 4}, weights, samples, &ranges, &error)) << error;
  EXPECT_FALSE(ranges[core::AttentionTensor::kScores].empty());
}

TEST_F(CalibrationDirectory, RejectsOrphansBadFilesAndEmptyDirectories) {
  core::CalibrationSet set;
  std::string error;
  EXPECT_FALSE(ReadCalibrationDirectory(dir_.path(), 8, 4, &set, &error));
  EXPECT_EQ(error, dir_.path() + ": no calibration pairs (<id>_query.npy with <id>_context.npy) in this directory");
  EF_SEEDED_RNG(rng);
  Write("a_query.npy", core::NpyArray::Float32({3, 8}, RandomNormal(rng, 24)));
  EXPECT_FALSE(ReadCalibrationDirectory(dir_.path(), 8, 4, &set, &error));
  EXPECT_EQ(error, dir_.path() + "/a_query.npy: calibration pair 'a' lacks its _context.npy");
  Write("a_context.npy", core::NpyArray::Float32({3, 5}, RandomNormal(rng, 15)));
  EXPECT_FALSE(ReadCalibrationDirectory(dir_.path(), 8, 4, &set, &error));
  EXPECT_EQ(error, dir_.path() + "/a_context.npy: context has 5 features per token but the weights need kdim = 4");
  WriteBytes("a_context.npy", "garbage");
  EXPECT_FALSE(ReadCalibrationDirectory(dir_.path(), 8, 4, &set, &error));
  EXPECT_EQ(error, dir_.path() + "/a_context.npy: not a .npy file (bad magic)");
  EXPECT_FALSE(ReadCalibrationDirectory(dir_.path() + "/missing", 8, 4, &set, &error));
  EXPECT_EQ(error, dir_.path() + "/missing: No such file or directory");
}

}  // namespace
}  // namespace edgefuse::files
