// Packing of the right-hand operand B into the layouts of gemm.h (scalar code, run at
// plan creation for fully connected weights and once per call for batch matmul).
//
//   std::vector<uint8_t> packed(pack::Qs8C4Size(n, k, /*per_channel=*/false));
//   pack::Qs8C4(input, params, /*per_channel=*/false, packed.data());
//
// Column terms fold the bias and the zero points into one constant per column, as
// XNNPACK does, so that the tile loops only add it once.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/kernels/gemm/gemm.h"

namespace edgefuse::core::kernels::pack {

// qs8 x qs8, dot-product tiles of 16 columns x 4 depths (..._4x16c4); per channel, the
// buffer starts with the header of gemm.h.
size_t Qs8C4TileBytes(size_t k, bool per_channel);
size_t Qs8C4Size(size_t n, size_t k, bool per_channel);
void Qs8C4(const Qs8PackInput& input, const Qs8GemmParams& params, bool per_channel, void* packed);
// One tile (columns j0 .. j0 + 15) of the above, at `tile`.
void Qs8C4Tile(const Qs8PackInput& input, const Qs8GemmParams& params, bool per_channel, size_t j0, void* tile);

// qs8 x qs8, per channel, tiles of 4 columns x 16 depths (..._4x4c16, no dot product),
// after the header of gemm.h; only for the operands Qs8C16Accepts.
size_t Qs8C16TileBytes(size_t k);
size_t Qs8C16Size(size_t n, size_t k);
void Qs8C16(const Qs8PackInput& input, const Qs8GemmParams& params, void* packed);
bool Qs8C16Accepts(const Qs8PackInput& input, const Qs8GemmParams& params);

// qs8 x qs8, int16 tiles of 16 columns (..._4x16, no dot product).
size_t Qs8I16TileBytes(size_t k, bool per_channel);
size_t Qs8I16Size(size_t n, size_t k, bool per_channel);
void Qs8I16(const Qs8PackInput& input, const Qs8GemmParams& params, bool per_channel, void* packed);
void Qs8I16Tile(const Qs8PackInput& input, const Qs8GemmParams& params, bool per_channel, size_t j0, void* tile);

// qs16 x qs8 (16x8 fully connected, int16 P x int8 V), int16 tiles of 16 columns (neon).
inline constexpr size_t kQs16Qs8I16HeaderBytes = 16 * (8 + 4 + 8);
size_t Qs16Qs8I16TileBytes(size_t k);
size_t Qs16Qs8I16Size(size_t n, size_t k);
void Qs16Qs8I16(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed);
void Qs16Qs8I16Tile(const Qs16PackInput& input, const Qs16GemmParams& params, size_t j0, void* tile);

// qs16 x qs8, dot-product tiles of 16 columns x 4 depths (neondot, A split into bytes).
inline constexpr size_t kQs16Qs8C4HeaderBytes = 16 * (8 + 4 + 4 + 8);
size_t Qs16Qs8C4TileBytes(size_t k);
size_t Qs16Qs8C4Size(size_t n, size_t k);
void Qs16Qs8C4(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed);
void Qs16Qs8C4Tile(const Qs16PackInput& input, const Qs16GemmParams& params, size_t j0, void* tile);
// The column constant of a Qs16Qs8C4 tile from the column sum of B.
int64_t Qs16Qs8C4Constant(const Qs16PackInput& input, const Qs16GemmParams& params, size_t j, int64_t sum);

// qs16 x qs16 (zero points 0), tiles of 8 columns: max |B| of the tile, B split into
// high and low bytes, and B whole.
inline constexpr size_t kQs16SplitHeaderBytes = 16;
size_t Qs16SplitTileBytes(size_t k);
size_t Qs16SplitSize(size_t n, size_t k);
void Qs16Split(const Qs16PackInput& input, const Qs16GemmParams& params, void* packed);
void Qs16SplitTile(const Qs16PackInput& input, size_t j0, void* tile);

// The header of the qs16 x qs8 tiles from column constants C: C * M, M, [256 M,] -S.
void WriteQs16Header(const Qs16PackInput& input, const Qs16GemmParams& params, size_t j0, const int64_t* constant,
                     bool with_m256, uint8_t* tile);

}  // namespace edgefuse::core::kernels::pack
