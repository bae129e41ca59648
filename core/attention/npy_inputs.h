// The block's inputs from .npy arrays, checked the way the command line needs: tokens
// as float32 [N, D] (or [1, N, D], batch first with one batch element), all finite, D
// as the weights require; a key padding mask as bool or int8 holding 0/1, shape [Nk]
// (or [1, Nk]). Every failure is one line naming `source` (the file) and the problem.
//
//   std::vector<float> query;
//   int64_t nq = 0;
//   if (!edgefuse::core::TokensFromNpy(array, "q.npy", "query", 256, "E", &query, &nq, &error)) { ... }
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/format/npy.h"

namespace edgefuse::core {

// `what` names the role ("query"), `dim_name` the required width ("E", "kdim").
bool TokensFromNpy(const NpyArray& array, const std::string& source, const char* what, int64_t dim,
                   const char* dim_name, std::vector<float>* values, int64_t* count, std::string* error);

// Mask bytes: 1 = ignore that key.
bool MaskFromNpy(const NpyArray& array, const std::string& source, int64_t nk, std::vector<uint8_t>* mask,
                 std::string* error);

}  // namespace edgefuse::core
