// libFuzzer target: the .safetensors parser and the nn.MultiheadAttention weight
// mapping on arbitrary bytes. Whatever the input, they must return (true, or false
// with a one-line error), never crash, read out of bounds or loop. Build and run with
// tests/fuzz/run-fuzz.sh (clang's -fsanitize=fuzzer,address,undefined).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/attention/weights.h"
#include "core/format/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  edgefuse::core::SafetensorsFile file;
  std::string error;
  if (!edgefuse::core::ParseSafetensors(std::vector<uint8_t>(data, data + size), &file, &error)) {
    if (error.empty() || error.find('\n') != std::string::npos) std::abort();
    return 0;
  }
  for (const auto& tensor : file.tensors) {
    std::vector<float> values;
    if (!edgefuse::core::ToFloat32(file, tensor, &values, &error) && error.find('\n') != std::string::npos) {
      std::abort();
    }
  }
  int heads = 0;
  edgefuse::core::AttentionWeights weights;
  if (!edgefuse::core::AttentionWeightsFromSafetensors(file, &heads, &weights, &error) &&
      (error.empty() || error.find('\n') != std::string::npos)) {
    std::abort();
  }
  return 0;
}
