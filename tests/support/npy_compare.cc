// npy_compare: compares an .npy tensor a command wrote with a golden one, for the
// command-line tests (tests/support/cli_check.cmake runs it, through the emulator
// when cross-compiled).
//
//   npy_compare OUT.npy GOLDEN.npy --exact           same dtype, shape and bytes
//   npy_compare OUT.npy GOLDEN.npy --max-abs 1e-5    float32, |out - golden| <= tolerance
//
// Prints one line saying what it found; exit status 0 on a match, 1 otherwise, 2 for
// a file it cannot read.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/format/npy.h"
#include "firmware/files/tensor_files.h"

namespace {

int Usage() {
  std::fprintf(stderr, "usage: npy_compare OUT.npy GOLDEN.npy (--exact | --max-abs TOLERANCE)\n");
  return 2;
}

int CompareExact(const edgefuse::core::NpyArray& out, const edgefuse::core::NpyArray& golden) {
  const bool same = out.f32.size() == golden.f32.size() &&
                    std::memcmp(out.f32.data(), golden.f32.data(), out.f32.size() * sizeof(float)) == 0 &&
                    out.i8 == golden.i8 && out.i16 == golden.i16;
  if (!same) {
    for (size_t i = 0; i < out.f32.size(); ++i) {
      if (std::memcmp(&out.f32[i], &golden.f32[i], sizeof(float)) != 0) {
        std::printf("npy_compare: differ at flat index %zu: %.9g, golden %.9g\n", i, out.f32[i], golden.f32[i]);
        return 1;
      }
    }
    std::printf("npy_compare: integer elements differ\n");
    return 1;
  }
  std::printf("npy_compare: %s %s identical bytes\n", out.ShapeString().c_str(),
              edgefuse::core::NpyDTypeName(out.dtype));
  return 0;
}

int CompareWithin(const edgefuse::core::NpyArray& out, const edgefuse::core::NpyArray& golden, double tolerance) {
  if (out.dtype != edgefuse::core::NpyDType::kFloat32) {
    std::printf("npy_compare: --max-abs needs float32, got %s\n", edgefuse::core::NpyDTypeName(out.dtype));
    return 1;
  }
  double worst = 0.0;
  for (size_t i = 0; i < out.f32.size(); ++i) {
    const double error = std::fabs(static_cast<double>(out.f32[i]) - golden.f32[i]);
    if (!(error <= tolerance)) {
      std::printf("npy_compare: flat index %zu: %.9g, golden %.9g (tolerance %g)\n", i, out.f32[i], golden.f32[i],
                  tolerance);
      return 1;
    }
    worst = std::fmax(worst, error);
  }
  std::printf("npy_compare: %s float32 within %g (largest difference %.3g)\n", out.ShapeString().c_str(), tolerance,
              worst);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return Usage();
  const bool exact = std::strcmp(argv[3], "--exact") == 0;
  if (!exact && (std::strcmp(argv[3], "--max-abs") != 0 || argc < 5)) return Usage();
  edgefuse::core::NpyArray out, golden;
  std::string error;
  if (!edgefuse::files::ReadNpyFile(argv[1], &out, &error) || !edgefuse::files::ReadNpyFile(argv[2], &golden, &error)) {
    std::printf("npy_compare: %s\n", error.c_str());
    return 2;
  }
  if (out.dtype != golden.dtype || out.shape != golden.shape) {
    std::printf("npy_compare: %s %s, golden %s %s\n", out.ShapeString().c_str(),
                edgefuse::core::NpyDTypeName(out.dtype), golden.ShapeString().c_str(),
                edgefuse::core::NpyDTypeName(golden.dtype));
    return 1;
  }
  return exact ? CompareExact(out, golden) : CompareWithin(out, golden, std::strtod(argv[4], nullptr));
}
