#include "fuzz_checks.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "eie/crc32.h"
#include "eie/error.h"
#include "eie/idx.h"
#include "eie/inference.h"
#include "eie/memory_image.h"
#include "eie/model_file.h"
#include "eie/npy.h"

namespace eie::fuzz {
namespace {

// A broken invariant is a bug, not bad input: report it the way a sanitizer would.
[[noreturn]] void violated(const char* what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

// Bounds on the work done per input, so one input stays well under a millisecond or so.
constexpr uint64_t kMaxRunEntries = 1u << 16;
constexpr uint32_t kMaxRunDim = 1u << 12;

void check_model_bytes(const std::vector<uint8_t>& bytes) {
  ModelFile model;
  try {
    model = parse_model(bytes, "fuzz input");
  } catch (const Error&) {
    return;  // rejected with a message: fine
  }
  // Whatever parses must serialise, and the result must be a fixed point of parse + serialise.
  const std::vector<uint8_t> once = serialize_model(model);
  const ModelFile again = parse_model(once, "re-serialised fuzz input");
  if (serialize_model(again) != once) violated("model file: serialise(parse(x)) is not stable");
  if (!(again.net == model.net)) violated("model file: the re-read network differs");

  uint64_t entries = 0;
  for (const Layer& layer : model.net.layers) {
    if (layer.outputs() > kMaxRunDim || layer.inputs() > kMaxRunDim) return;
    // A convolution's products, one per output position, and the patches they read.
    entries += layer.positions() * (layer.weights.nnz() + layer.patch_size());
  }
  if (entries > kMaxRunEntries || model.net.layers.empty()) return;
  // A valid model runs: golden inference on a deterministic input, and a memory image for a
  // small array (which may refuse a model too big for it, with a message).
  std::vector<int16_t> input(model.net.inputs());
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<int16_t>(i * 2654435761u);
  for (uint32_t num_pe : {1u, 3u, 64u}) {
    const auto outputs = GoldenModel(model.net, num_pe).run(input);
    if (outputs.size() != model.net.layers.size()) violated("inference: one output per layer");
    if (outputs.back().size() != model.net.outputs()) violated("inference: output size");
  }
  try {
    HwConfig config;
    config.num_pe = 4;
    build_memory_image(model.net, config);
  } catch (const Error&) {
  }
}

}  // namespace

void check_model_file(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  check_model_bytes(bytes);
  // Almost every mutation breaks the CRC-32 trailer; with it recomputed the mutation reaches the
  // header and layer parsers behind the checksum.
  if (size < 4) return;
  const uint32_t crc = crc32(bytes.data(), size - 4);
  for (size_t i = 0; i < 4; ++i) bytes[size - 4 + i] = static_cast<uint8_t>(crc >> (8 * i));
  if (!std::equal(bytes.begin(), bytes.end(), data)) check_model_bytes(bytes);
}

void check_npy(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  for (NpyKind kind : {NpyKind::kFloat, NpyKind::kFloatOrInt16}) {
    try {
      const NpyArray a = parse_npy(bytes, "fuzz input", kind);
      size_t count = 1;
      for (size_t d : a.shape) count *= d;
      if (a.values.size() != count) violated("npy: value count differs from the shape");
      if (a.dtype != "<f4" && a.dtype != "<f8" && a.dtype != "<i2") violated("npy: dtype");
    } catch (const Error&) {
    }
  }
}

void check_idx(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  try {
    const IdxImages img = parse_idx_images(bytes, "fuzz input");
    uint64_t n = 0;
    if (__builtin_mul_overflow(uint64_t{img.count}, uint64_t{img.rows}, &n) ||
        __builtin_mul_overflow(n, uint64_t{img.cols}, &n) || img.pixels.size() != n) {
      violated("idx: pixel count differs from the header");
    }
  } catch (const Error&) {
  }
  try {
    const std::vector<uint8_t> labels = parse_idx_labels(bytes, "fuzz input");
    if (labels.size() + 8 != size) violated("idx: label count differs from the file size");
  } catch (const Error&) {
  }
}

}  // namespace eie::fuzz
