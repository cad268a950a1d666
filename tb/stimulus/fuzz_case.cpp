#include "stimulus/fuzz_case.h"

#include <algorithm>
#include <array>
#include <random>
#include <string>

#include "eie/balance.h"
#include "eie/error.h"

namespace eie::tb {

namespace {

// The widest layer the fuzzer makes: wide enough for several groups and padding on few PEs,
// small enough that a case runs in milliseconds.
constexpr uint32_t kMaxWidth = 48;
constexpr std::array<double, 4> kIdleLevels = {0, 0.1, 0.3, 0.6};
constexpr std::array<double, 4> kBackpressureLevels = {0, 0.3, 0.7, 0.9};

// Every field is read XOR its default, so that an all-zero input (the one a fuzzer starts from
// with no corpus) or one that ends early decodes to a typical case: all PEs, FIFO limit 2, two
// layers 24 wide with a quarter of their weights, ReLU, half the inputs non-zero, all from the
// PRNG. Without this the fuzzer starts at a one-weight network, far from most bugs.
constexpr uint8_t kDefaultActivePe = 4;       // 1 + 4 % NumPe: the fuzz build's 5 PEs
constexpr uint8_t kDefaultFifoLimit = 1;      // limit 2
constexpr uint8_t kDefaultShape = 0x81;       // two layers, one input, act_frac 8
constexpr uint8_t kDefaultWidth = 23;         // 24 wide
constexpr uint8_t kDefaultLayerFlags = 0x90;  // from the PRNG, ReLU, narrow values, w_frac 10
constexpr uint8_t kDefaultDensity = 4;        // a quarter of the weights kept
constexpr uint8_t kDefaultInputMode = 0x88;   // from the PRNG, narrow values, half kept

// The fuzzer's bytes in order, zero past the end, each XOR the default of the field it is for.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t byte(uint8_t field_default = 0) {
    return static_cast<uint8_t>((pos_ < size_ ? data_[pos_++] : 0) ^ field_default);
  }
  uint64_t bytes(int count) {
    uint64_t v = 0;
    for (int i = 0; i < count; ++i) v = v << 8 | byte();
    return v;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Where a layer's or an input's values come from: the input itself, or a PRNG seeded from it.
class ValueSource {
 public:
  ValueSource(ByteReader& in, bool prng) : in_(in), prng_(prng) {
    if (prng_) rng_.seed(in_.bytes(8));
  }
  uint8_t byte() { return prng_ ? static_cast<uint8_t>(rng_()) : in_.byte(); }
  uint64_t bytes(int count) {
    uint64_t v = 0;
    for (int i = 0; i < count; ++i) v = v << 8 | byte();
    return v;
  }
  // A value in [-range, range] from byte_count bytes; when range is the largest of that many
  // bytes (32767 from 2, INT32_MAX from 4), any value of them, the most negative included.
  int64_t value(int byte_count, int64_t range) {
    const uint64_t raw = bytes(byte_count);
    const int64_t full = int64_t{1} << (8 * byte_count);
    if (range >= full / 2 - 1) return static_cast<int64_t>(raw) - full / 2;
    return static_cast<int64_t>(raw % static_cast<uint64_t>(2 * range + 1)) - range;
  }
  // Whether a weight or activation is kept at density byte d (bits 4:0; 16 and above: all).
  static bool kept(uint8_t b, uint8_t d) { return (b >> 4) < std::min<int>(d & 31, 16); }

 private:
  ByteReader& in_;
  bool prng_;
  std::mt19937_64 rng_;
};

Layer decode_layer(ByteReader& in, uint32_t rows, uint32_t cols, size_t index) {
  const uint8_t flags = in.byte(kDefaultLayerFlags);
  const uint8_t density = in.byte(kDefaultDensity);
  const bool wide = flags & 0x40;
  ValueSource src(in, flags & 0x80);
  Layer layer;
  layer.name = "fuzz" + std::to_string(index + 1);
  layer.w_frac = wide ? (flags & 15) : 10 + (flags & 15) % 6;
  layer.relu = flags & 0x10;
  for (size_t c = 1; c < layer.codebook.size(); ++c) {
    layer.codebook[c] = static_cast<int16_t>(src.value(2, wide ? 32767 : 4096));
  }
  if (flags & 0x20) {
    layer.bias.resize(rows);
    for (auto& b : layer.bias) b = static_cast<int32_t>(src.value(4, wide ? INT32_MAX : 4096));
  }
  std::vector<uint8_t> dense(size_t{rows} * cols, 0);
  for (auto& w : dense) {
    const uint8_t b = src.byte();
    if (ValueSource::kept(b, density)) w = b & 15;
  }
  layer.weights = CodeMatrix::from_dense(rows, cols, dense);
  return layer;
}

std::vector<int16_t> decode_input(ByteReader& in, uint32_t width) {
  const uint8_t mode = in.byte(kDefaultInputMode);
  ValueSource src(in, mode & 0x80);
  std::vector<int16_t> x(width, 0);
  for (auto& a : x) {
    const uint8_t keep = src.byte();
    const auto v = static_cast<int16_t>(src.value(2, mode & 0x40 ? 32767 : 1024));
    if (ValueSource::kept(keep, mode)) a = v;
  }
  return x;
}

}  // namespace

std::optional<FuzzCase> decode_fuzz_case(const uint8_t* data, size_t size, const HwConfig& built) {
  ByteReader in(data, size);
  FuzzCase c;
  c.active_pe = 1 + in.byte(kDefaultActivePe) % built.num_pe;
  // One byte: the FIFO limit, and from its upper part the hold slots in use (the default: all).
  const uint8_t limits = in.byte(kDefaultFifoLimit);
  c.fifo_limit = 1 + limits % built.fifo_depth;
  c.hold_limit = built.hold_slots - limits / built.fifo_depth % (built.hold_slots + 1);
  const uint8_t flags = in.byte();
  c.idle = kIdleLevels[flags & 3];
  c.backpressure = kBackpressureLevels[(flags >> 2) & 3];
  c.backdoor = flags & 0x10;
  c.readback = flags & 0x20;
  c.dirty_codebook0 = flags & 0x40;
  c.balance = flags & 0x80;
  const uint8_t shape = in.byte(kDefaultShape);
  const uint32_t layers = 1 + (shape & 3) % std::max(1u, built.max_layers);
  const uint32_t inferences = 1 + ((shape >> 2) & 3) % 3;
  c.net.act_frac = shape >> 4;
  c.rand_reset = static_cast<uint32_t>(in.bytes(2));
  c.seed = in.bytes(2);

  const uint32_t widest = std::min(kMaxWidth, c.active_pe * built.act_depth);
  std::vector<uint32_t> widths(layers + 1);
  for (auto& w : widths) w = 1 + in.byte(kDefaultWidth) % widest;
  for (uint32_t l = 0; l < layers; ++l) {
    c.net.layers.push_back(decode_layer(in, widths[l + 1], widths[l], l));
  }
  for (uint32_t r = 0; r < inferences; ++r) c.inputs.push_back(decode_input(in, widths[0]));

  if (c.balance) {  // an odd seed also orders the inputs
    c.net = balance_network(c.net, c.active_pe, {(c.seed & 1) != 0});
    for (std::vector<int16_t>& x : c.inputs) x = network_order(c.net, x);
  }
  HwConfig config = built;
  config.active_pe = c.active_pe;
  c.net.validate();  // by construction; a throw here is a bug in this decoder
  try {
    build_memory_image(c.net, config);
  } catch (const Error&) {
    return std::nullopt;  // too many entries or pointers for the build's memories
  }
  return c;
}

}  // namespace eie::tb
