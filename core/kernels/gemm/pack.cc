#include "core/kernels/gemm/pack.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace edgefuse::core::kernels::pack {
namespace {

QuantizedMultiplier ColumnMultiplier(const QuantizedMultiplier* channel, const QuantizedMultiplier& tensor, size_t j) {
  return channel != nullptr ? channel[j] : tensor;
}

// Per-channel multipliers of 16 columns as the vector code wants them (zero past n).
void WriteChannelMultipliers(const QuantizedMultiplier* q, size_t j0, size_t n, size_t lanes, int32_t* out) {
  for (size_t c = 0; c < lanes; ++c) {
    const size_t j = j0 + c;
    const QuantizedMultiplier m = j < n ? q[j] : QuantizedMultiplier{};
    out[c] = m.multiplier;
    out[lanes + c] = m.shift > 0 ? m.shift : 0;
    out[2 * lanes + c] = m.shift > 0 ? 0 : m.shift;
  }
}

// The header of a per-channel buffer (gemm.h); returns where the tiles start.
uint8_t* WriteChannelHeader(const Qs8PackInput& in, uint8_t* out) {
  int32_t header[kQs8C4ChannelHeaderBytes / 4] = {1};
  for (size_t j = 0; j < in.n; ++j) header[0] &= static_cast<int32_t>(in.channel_multipliers[j].shift <= -1);
  std::memcpy(out, header, sizeof header);
  return out + kQs8C4ChannelHeaderBytes;
}

// Sums wrap modulo 2^32, like the kernels' int32 accumulators.
int32_t WrapAdd(int32_t a, int64_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

}  // namespace

size_t Qs8C4TileBytes(size_t k, bool per_channel) { return 64 + (per_channel ? 192 : 0) + 16 * RoundUp(k, 16); }
size_t Qs8C4Size(size_t n, size_t k, bool per_channel) {
  return (per_channel ? kQs8C4ChannelHeaderBytes : 0) + RoundUp(n, 16) / 16 * Qs8C4TileBytes(k, per_channel);
}

void Qs8C4Tile(const Qs8PackInput& in, const Qs8GemmParams& params, bool per_channel, size_t j0, void* out) {
  assert(!per_channel || in.channel_multipliers != nullptr);
  const size_t kp = RoundUp(in.k, 16);
  const int32_t za = params.lhs_zero_point, zb = params.rhs_zero_point;
  uint8_t* tile = static_cast<uint8_t*>(out);
  int32_t* colterm = reinterpret_cast<int32_t*>(tile);
  int8_t* b = reinterpret_cast<int8_t*>(tile + 64 + (per_channel ? 192 : 0));
  std::memset(b, 0, 16 * kp);
  for (size_t c = 0; c < 16; ++c) {
    const size_t j = j0 + c;
    int32_t term = 0;
    if (j < in.n) {
      int32_t sum = 0;
      for (size_t kk = 0; kk < in.k; ++kk) {
        const int8_t v = in.rhs.At<int8_t>(j, kk);
        b[(kk / 4) * 64 + c * 4 + kk % 4] = v;
        sum += v;
      }
      // bias - za * sum_k B + k * za * zb
      term = WrapAdd(WrapAdd(in.bias != nullptr ? in.bias[j] : 0, -int64_t{za} * sum),
                     static_cast<int64_t>(in.k) * za * zb);
    }
    colterm[c] = term;
  }
  if (per_channel) {
    WriteChannelMultipliers(in.channel_multipliers, j0, in.n, 16, reinterpret_cast<int32_t*>(tile + 64));
  }
}

void Qs8C4(const Qs8PackInput& in, const Qs8GemmParams& params, bool per_channel, void* packed) {
  uint8_t* tile = static_cast<uint8_t*>(packed);
  if (per_channel) tile = WriteChannelHeader(in, tile);
  for (size_t j0 = 0; j0 < in.n; j0 += 16, tile += Qs8C4TileBytes(in.k, per_channel)) {
    Qs8C4Tile(in, params, per_channel, j0, tile);
  }
}

size_t Qs8C16TileBytes(size_t k) { return 64 + 4 * RoundUp(k, 16); }
size_t Qs8C16Size(size_t n, size_t k) { return kQs8C4ChannelHeaderBytes + RoundUp(n, 4) / 4 * Qs8C16TileBytes(k); }

// Two int8 x int8 products summed in int16 (SMULL + SMLAL2) overflow only for
// (-128) x (-128) twice; without a weight of -128 they cannot.
bool Qs8C16Accepts(const Qs8PackInput& in, const Qs8GemmParams& params) {
  if (params.rhs_zero_point != 0 || in.channel_multipliers == nullptr) return false;
  for (size_t j = 0; j < in.n; ++j) {
    for (size_t kk = 0; kk < in.k; ++kk) {
      if (in.rhs.At<int8_t>(j, kk) == -128) return false;
    }
  }
  return true;
}

void Qs8C16(const Qs8PackInput& in, const Qs8GemmParams& params, void* packed) {
  assert(Qs8C16Accepts(in, params));
  uint8_t* out = WriteChannelHeader(in, static_cast<uint8_t*>(packed));
  const size_t kp = RoundUp(in.k, 16);
  const int32_t za = params.lhs_zero_point;
  for (size_t j0 = 0; j0 < in.n; j0 += 4, out += Qs8C16TileBytes(in.k)) {
    int32_t* colterm = reinterpret_cast<int32_t*>(out);
    WriteChannelMultipliers(in.channel_multipliers, j0, in.n, 4, colterm + 4);
    int8_t* b = reinterpret_cast<int8_t*>(out + 64);
    std::memset(b, 0, 4 * kp);
    for (size_t c = 0; c < 4; ++c) {
      const size_t j = j0 + c;
      int32_t sum = 0;
      if (j < in.n) {
        for (size_t kk = 0; kk < in.k; ++kk) {
          const int8_t v = in.rhs.At<int8_t>(j, kk);
          b[(kk / 16) * 64 + c * 16 + kk % 16] = v;
          sum += v;
        }
      }
      // bias - za * sum_k B (the weight zero point is 0)
      colterm[c] = j < in.n ? WrapAdd(in.bias != nullptr ? in.bias[j] : 0, -int64_t{za} * sum) : 0;
    }
  }
}

size_t Qs8I16TileBytes(size_t k, bool per_channel) { return 64 + (per_channel ? 192 : 0) + 32 * k; }
size_t Qs8I16Size(size_t n, size_t k, bool per_channel) {
  return RoundUp(n, 16) / 16 * Qs8I16TileBytes(k, per_channel);
}

void Qs8I16Tile(const Qs8PackInput& in, const Qs8GemmParams& params, bool per_channel, size_t j0, void* out) {
  assert(!per_channel || in.channel_multipliers != nullptr);
  const int32_t zb = params.rhs_zero_point;
  uint8_t* tile = static_cast<uint8_t*>(out);
  int32_t* colterm = reinterpret_cast<int32_t*>(tile);
  int16_t* b = reinterpret_cast<int16_t*>(tile + 64 + (per_channel ? 192 : 0));
  for (size_t c = 0; c < 16; ++c) {
    const size_t j = j0 + c;
    colterm[c] = j < in.n && in.bias != nullptr ? in.bias[j] : 0;
    for (size_t kk = 0; kk < in.k; ++kk) {
      b[kk * 16 + c] = j < in.n ? static_cast<int16_t>(in.rhs.At<int8_t>(j, kk) - zb) : 0;
    }
  }
  if (per_channel) WriteChannelMultipliers(in.channel_multipliers, j0, in.n, 16, reinterpret_cast<int32_t*>(tile + 64));
}

void Qs8I16(const Qs8PackInput& in, const Qs8GemmParams& params, bool per_channel, void* packed) {
  uint8_t* tile = static_cast<uint8_t*>(packed);
  for (size_t j0 = 0; j0 < in.n; j0 += 16, tile += Qs8I16TileBytes(in.k, per_channel)) {
    Qs8I16Tile(in, params, per_channel, j0, tile);
  }
}

// The 64-bit header shared by the qs16 x qs8 tiles: C * M, M, [256 M,] -S per column.
void WriteQs16Header(const Qs16PackInput& in, const Qs16GemmParams& params, size_t j0, const int64_t* constant,
                     bool with_m256, uint8_t* tile) {
  int64_t* cm = reinterpret_cast<int64_t*>(tile);
  int32_t* m = reinterpret_cast<int32_t*>(tile + 128);
  int32_t* m256 = reinterpret_cast<int32_t*>(tile + 192);
  int64_t* neg_shift = reinterpret_cast<int64_t*>(tile + (with_m256 ? 256 : 192));
  for (size_t c = 0; c < 16; ++c) {
    const size_t j = j0 + c;
    const QuantizedMultiplier q =
        j < in.n ? ColumnMultiplier(in.channel_multipliers, params.multiplier, j) : QuantizedMultiplier{};
    const int32_t reduced = ReducedMultiplier(q.multiplier);
    cm[c] = constant[c] * reduced;
    m[c] = reduced;
    if (with_m256) m256[c] = reduced * 256;
    neg_shift[c] = -ReducedShift(q);
  }
}

size_t Qs16Qs8I16TileBytes(size_t k) { return kQs16Qs8I16HeaderBytes + 32 * k; }
size_t Qs16Qs8I16Size(size_t n, size_t k) { return RoundUp(n, 16) / 16 * Qs16Qs8I16TileBytes(k); }

void Qs16Qs8I16Tile(const Qs16PackInput& in, const Qs16GemmParams& params, size_t j0, void* out) {
  const int32_t za = params.lhs_zero_point, zb = params.rhs_zero_point;
  uint8_t* tile = static_cast<uint8_t*>(out);
  int16_t* b = reinterpret_cast<int16_t*>(tile + kQs16Qs8I16HeaderBytes);
  int64_t constant[16] = {};
  for (size_t c = 0; c < 16; ++c) {
    const size_t j = j0 + c;
    int64_t sum = 0;
    for (size_t kk = 0; kk < in.k; ++kk) {
      const int16_t v = j < in.n ? static_cast<int16_t>(in.rhs.At<int8_t>(j, kk) - zb) : 0;
      b[kk * 16 + c] = v;
      sum += v;
    }
    // bias - za * sum_k (B - zb)
    if (j < in.n) constant[c] = (in.bias != nullptr ? in.bias[j] : 0) - za * sum;
  }
  WriteQs16Header(in, params, j0, constant, /*with_m256=*/false, tile);
}

void Qs16Qs8I16(const Qs16PackInput& in, const Qs16GemmParams& params, void* packed) {
  uint8_t* tile = static_cast<uint8_t*>(packed);
  for (size_t j0 = 0; j0 < in.n; j0 += 16, tile += Qs16Qs8I16TileBytes(in.k)) Qs16Qs8I16Tile(in, params, j0, tile);
}

size_t Qs16Qs8C4TileBytes(size_t k) { return kQs16Qs8C4HeaderBytes + 16 * RoundUp(k, 16); }
size_t Qs16Qs8C4Size(size_t n, size_t k) { return RoundUp(n, 16) / 16 * Qs16Qs8C4TileBytes(k); }

// (128 - za) sum_k B + k za zb + bias: the column constant of a split-A tile, from the
// column sum of B.
int64_t Qs16Qs8C4Constant(const Qs16PackInput& in, const Qs16GemmParams& params, size_t j, int64_t sum) {
  const int64_t za = params.lhs_zero_point, zb = params.rhs_zero_point;
  return (in.bias != nullptr ? in.bias[j] : 0) + (128 - za) * sum + static_cast<int64_t>(in.k) * za * zb;
}

void Qs16Qs8C4Tile(const Qs16PackInput& in, const Qs16GemmParams& params, size_t j0, void* out) {
  const size_t kp = RoundUp(in.k, 16);
  uint8_t* tile = static_cast<uint8_t*>(out);
  int8_t* b = reinterpret_cast<int8_t*>(tile + kQs16Qs8C4HeaderBytes);
  std::memset(b, 0, 16 * kp);
  int64_t constant[16] = {};
  for (size_t c = 0; c < 16; ++c) {
    const size_t j = j0 + c;
    if (j >= in.n) continue;
    int64_t sum = 0;
    for (size_t kk = 0; kk < in.k; ++kk) {
      const int8_t v = in.rhs.At<int8_t>(j, kk);
      b[(kk / 4) * 64 + c * 4 + kk % 4] = v;
      sum += v;
    }
    // A = 256 Ah + (Al - 128) + 128; the row term -zb sum_k A is added by the kernel.
    constant[c] = Qs16Qs8C4Constant(in, params, j, sum);
  }
  WriteQs16Header(in, params, j0, constant, /*with_m256=*/true, tile);
}

void Qs16Qs8C4(const Qs16PackInput& in, const Qs16GemmParams& params, void* packed) {
  uint8_t* tile = static_cast<uint8_t*>(packed);
  for (size_t j0 = 0; j0 < in.n; j0 += 16, tile += Qs16Qs8C4TileBytes(in.k)) Qs16Qs8C4Tile(in, params, j0, tile);
}

size_t Qs16SplitTileBytes(size_t k) { return kQs16SplitHeaderBytes + 48 * k; }
size_t Qs16SplitSize(size_t n, size_t k) { return RoundUp(n, 8) / 8 * Qs16SplitTileBytes(k); }

void Qs16SplitTile(const Qs16PackInput& in, size_t j0, void* out) {
  uint8_t* tile = static_cast<uint8_t*>(out);
  int16_t* split = reinterpret_cast<int16_t*>(tile + kQs16SplitHeaderBytes);
  int16_t* whole = split + 16 * in.k;
  int32_t max_abs = 0;
  for (size_t kk = 0; kk < in.k; ++kk) {
    for (size_t c = 0; c < 8; ++c) {
      const size_t j = j0 + c;
      const int16_t v = j < in.n ? in.rhs.At<int16_t>(j, kk) : 0;
      split[kk * 16 + c] = static_cast<int16_t>(v >> 8);       // [-128, 127]
      split[kk * 16 + 8 + c] = static_cast<int16_t>(v & 255);  // [0, 255]
      whole[kk * 8 + c] = v;
      max_abs = std::max<int32_t>(max_abs, v < 0 ? -v : v);
    }
  }
  std::memset(tile, 0, kQs16SplitHeaderBytes);
  std::memcpy(tile, &max_abs, sizeof(max_abs));
}

void Qs16Split(const Qs16PackInput& in, const Qs16GemmParams& params, void* packed) {
  assert(params.lhs_zero_point == 0 && params.rhs_zero_point == 0);
  (void)params;
  uint8_t* tile = static_cast<uint8_t*>(packed);
  for (size_t j0 = 0; j0 < in.n; j0 += 8, tile += Qs16SplitTileBytes(in.k)) Qs16SplitTile(in, j0, tile);
}

}  // namespace edgefuse::core::kernels::pack
