// The tensor files of the edgefuse command line (DESIGN.md §5) read from and written
// to disk: core parses and serializes bytes (core/format, core/attention), this unit
// does the file and directory I/O through platform/file.h and puts the path in front
// of every error.
//
//   edgefuse::core::NpyArray q;
//   std::string error;
//   if (!edgefuse::files::ReadNpyFile("q.npy", &q, &error)) { ... "q.npy: truncated: ..." ... }
//   edgefuse::files::WriteNpyFile("out.npy", edgefuse::core::NpyArray::Float32({8, 64}, values), &error);
//
// A calibration set on disk is a directory of .npy pairs <id>_query.npy [Nq, E] and
// <id>_context.npy [Nk, kdim], with an optional <id>_mask.npy key padding mask; <id> is
// any name (000, 001, ...). Files with other names are ignored; a query without its
// context (or the reverse) is an error.
#pragma once

#include <cstdint>
#include <string>

#include "core/attention/calibration.h"
#include "core/format/npy.h"
#include "core/format/safetensors.h"

namespace edgefuse::files {

// core::ParseNpy / SerializeNpy on a file; errors are prefixed with the path.
bool ReadNpyFile(const std::string& path, core::NpyArray* array, std::string* error);
bool WriteNpyFile(const std::string& path, const core::NpyArray& array, std::string* error);

// core::ParseSafetensors on a file; errors start with the path.
bool ReadSafetensorsFile(const std::string& path, core::SafetensorsFile* file, std::string* error);

// Reads every <id>_query.npy / <id>_context.npy (/ <id>_mask.npy) of a directory, with
// the checks of core/attention/npy_inputs.h. Errors name the file.
bool ReadCalibrationDirectory(const std::string& directory, int64_t embed_dim, int64_t kdim,
                              core::CalibrationSet* set, std::string* error);

}  // namespace edgefuse::files
