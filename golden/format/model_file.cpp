#include "eie/model_file.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "eie/bitstream.h"
#include "eie/crc32.h"
#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/huffman.h"
#include "eie/limits.h"
#include "eie/relative_index.h"

namespace eie {

namespace {

constexpr size_t kHeaderBytes = 20;
constexpr size_t kTrailerBytes = 4;
constexpr uint8_t kFlagRelu = 1u << 0;
constexpr uint8_t kFlagBias = 1u << 1;
constexpr size_t kWindowBytes = 20;    // input C, H, W; kernel, stride, padding; reserved
constexpr size_t kSequenceBytes = 16;  // steps, input, hidden; reserved

// Bytes of the block before a layer's weight block (docs/format.md, 4.2b and 4.2d).
size_t shape_block_bytes(LayerKind kind) {
  switch (kind) {
    case LayerKind::kConv2d:
    case LayerKind::kMaxPool2d:
      return kWindowBytes;
    case LayerKind::kLstm:
      return kSequenceBytes;
    default:
      return 0;
  }
}

// Layer types a file of `version` may hold: fully connected only before version 3, no LSTM
// before version 4.
uint8_t layer_kinds(uint16_t version) { return version < 3 ? 1 : version < 4 ? 3 : kLayerKinds; }

// The oldest version that holds `net`.
uint16_t version_for(const Network& net) {
  if (!net.input_order.empty()) return 5;
  for (const Layer& layer : net.layers) {
    if (layer.kind == LayerKind::kLstm) return 4;
  }
  return 3;
}

class ByteWriter {
 public:
  void u8(unsigned v) { out_.push_back(static_cast<uint8_t>(v)); }
  void u16(unsigned v) { put_le(v, 2); }
  void u32(uint32_t v) { put_le(v, 4); }
  void i16(int16_t v) { put_le(static_cast<uint16_t>(v), 2); }
  void i32(int32_t v) { put_le(static_cast<uint32_t>(v), 4); }
  void bytes(const uint8_t* p, size_t n) { out_.insert(out_.end(), p, p + n); }
  void bytes(const std::vector<uint8_t>& v) { bytes(v.data(), v.size()); }
  size_t size() const { return out_.size(); }
  std::vector<uint8_t>& data() { return out_; }

 private:
  void put_le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> out_;
};

// Reads little-endian fields within [pos, end); a read past end names the field being read.
class ByteReader {
 public:
  ByteReader(const std::vector<uint8_t>& data, size_t end, const std::string& source)
      : data_(data), end_(end), source_(source) {}
  uint8_t u8(const std::string& field) { return static_cast<uint8_t>(get_le(1, field)); }
  uint16_t u16(const std::string& field) { return static_cast<uint16_t>(get_le(2, field)); }
  uint32_t u32(const std::string& field) { return static_cast<uint32_t>(get_le(4, field)); }
  int16_t i16(const std::string& field) { return static_cast<int16_t>(get_le(2, field)); }
  int32_t i32(const std::string& field) { return static_cast<int32_t>(get_le(4, field)); }
  const uint8_t* bytes(size_t n, const std::string& field) {
    need(n, field);
    const uint8_t* p = data_.data() + pos_;
    pos_ += n;
    return p;
  }
  size_t pos() const { return pos_; }
  size_t remaining() const { return end_ - pos_; }

 private:
  void need(size_t n, const std::string& field) {
    if (n > end_ - pos_) {
      fail("{}: truncated: {} needs {} bytes at offset {} but only {} remain", source_, field, n,
           pos_, end_ - pos_);
    }
  }
  uint64_t get_le(int n, const std::string& field) {
    need(static_cast<size_t>(n), field);
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t{data_[pos_ + static_cast<size_t>(i)]} << (8 * i);
    pos_ += static_cast<size_t>(n);
    return v;
  }
  const std::vector<uint8_t>& data_;
  size_t end_;
  size_t pos_ = 0;
  const std::string& source_;
};

struct EncodedStream {
  StreamCoding coding = StreamCoding::kFixed;
  std::vector<uint8_t> lengths;  // Huffman code lengths, one per symbol of the alphabet
  std::vector<uint8_t> bytes;
  uint64_t bits = 0;

  uint64_t serialized_bytes() const { return 1 + lengths.size() + 4 + bytes.size(); }
};

// Fixed-width coding, or Huffman when allowed and smaller including its length table.
EncodedStream encode_stream(const std::vector<uint16_t>& symbols, int symbol_bits, bool huffman) {
  EncodedStream fixed;
  BitWriter fw;
  for (uint16_t s : symbols) fw.put(s, symbol_bits);
  fixed.bytes = fw.bytes();
  fixed.bits = fw.bit_count();
  if (!huffman || symbols.empty()) return fixed;

  std::vector<uint64_t> freq(size_t{1} << symbol_bits, 0);
  for (uint16_t s : symbols) ++freq[s];
  const HuffmanCode code = HuffmanCode::build(freq);
  EncodedStream coded;
  coded.coding = StreamCoding::kHuffman;
  coded.lengths = code.lengths();
  BitWriter hw;
  code.encode(symbols, hw);
  coded.bytes = hw.bytes();
  coded.bits = hw.bit_count();
  return coded.serialized_bytes() < fixed.serialized_bytes() ? coded : fixed;
}

void write_stream(ByteWriter& w, const EncodedStream& s) {
  require(s.bytes.size() <= UINT32_MAX, "stream of {} bytes exceeds the format's 32-bit size field",
          s.bytes.size());
  w.u8(static_cast<unsigned>(s.coding));
  w.bytes(s.lengths);
  w.u32(static_cast<uint32_t>(s.bytes.size()));
  w.bytes(s.bytes);
}

std::vector<uint16_t> read_stream(ByteReader& r, size_t count, int symbol_bits,
                                  const std::string& source, const std::string& what,
                                  bool& huffman) {
  const uint8_t coding = r.u8(what + " coding");
  huffman = huffman || coding == 1;
  require(coding <= 1, "{}: {} coding {} is unknown (0 = fixed width, 1 = Huffman)", source, what,
          coding);
  std::vector<uint8_t> lengths;
  if (coding == 1) {
    const uint8_t* p = r.bytes(size_t{1} << symbol_bits, what + " Huffman code lengths");
    lengths.assign(p, p + (size_t{1} << symbol_bits));
  }
  const uint32_t nbytes = r.u32(what + " byte count");
  const uint8_t* data = r.bytes(nbytes, what + " data");
  BitReader bits(data, nbytes);
  std::vector<uint16_t> symbols;
  try {
    if (coding == 0) {
      require(nbytes == (count * static_cast<uint64_t>(symbol_bits) + 7) / 8,
              "{} fixed-width bytes for {} symbols of {} bits, expected {}", nbytes, count,
              symbol_bits, (count * static_cast<uint64_t>(symbol_bits) + 7) / 8);
      symbols.reserve(count);
      for (size_t i = 0; i < count; ++i)
        symbols.push_back(static_cast<uint16_t>(bits.get(symbol_bits)));
    } else {
      symbols = HuffmanCode::from_lengths(lengths).decode(bits, count);
    }
    require(bits.at_clean_end(),
            "{} bytes hold more than the {} symbols declared, or non-zero padding bits", nbytes,
            count);
  } catch (const Error& e) {
    fail("{}: {}: {}", source, what, e.what());
  }
  return symbols;
}

// A weighted layer's weight block (docs/format.md, 4.2): shape, flags, codebook, streams, bias.
void write_weights(ByteWriter& body, const Layer& layer, const LayerCoding& coding) {
  const RelativeStream rs = encode_relative(layer.weights, coding.rel_bits);
  require(rs.entries() <= UINT32_MAX, "layer '{}': {} entries exceed the format's 32-bit count",
          layer.name, rs.entries());
  body.u32(layer.weights.rows);
  body.u32(layer.weights.cols);
  body.u8((layer.relu ? kFlagRelu : 0u) | (layer.bias.empty() ? 0u : kFlagBias));
  body.u8(static_cast<unsigned>(layer.w_frac));
  body.u8(static_cast<unsigned>(coding.rel_bits));
  body.u8(0);
  for (int16_t c : layer.codebook) body.i16(c);
  body.u32(static_cast<uint32_t>(layer.weights.nnz()));
  body.u32(static_cast<uint32_t>(rs.entries()));
  write_stream(body, encode_stream(rs.weight, 4, coding.huffman));
  write_stream(body, encode_stream(rs.gap, coding.rel_bits, coding.huffman));
  for (int32_t b : layer.bias) body.i32(b);
}

void write_window(ByteWriter& w, const Layer& layer) {
  w.u32(layer.in_shape.channels);
  w.u32(layer.in_shape.height);
  w.u32(layer.in_shape.width);
  for (uint32_t v : {layer.window.kernel_h, layer.window.kernel_w, layer.window.stride_h,
                     layer.window.stride_w, layer.window.pad_h, layer.window.pad_w}) {
    w.u8(v);
  }
  w.u16(0);
}

void write_sequence(ByteWriter& w, const Layer& layer) {
  w.u32(layer.sequence.steps);
  w.u32(layer.sequence.input);
  w.u32(layer.sequence.hidden);
  w.u32(0);
}

void write_layer(ByteWriter& w, const Layer& layer, const LayerCoding& coding) {
  ByteWriter body;
  body.u8(static_cast<unsigned>(layer.kind));
  body.u8(static_cast<unsigned>(layer.name.size()));
  body.bytes(reinterpret_cast<const uint8_t*>(layer.name.data()), layer.name.size());
  if (layer.kind == LayerKind::kConv2d || layer.kind == LayerKind::kMaxPool2d) {
    write_window(body, layer);
  }
  if (layer.kind == LayerKind::kLstm) write_sequence(body, layer);
  if (layer.has_weights()) write_weights(body, layer, coding);
  require(body.size() <= UINT32_MAX, "layer '{}': section of {} bytes exceeds 32 bits", layer.name,
          body.size());
  w.u32(static_cast<uint32_t>(body.size()));
  w.bytes(body.data());
}

// Reads a convolution's or pooling's window block (docs/format.md, 4.2b).
void read_window(ByteReader& r, Layer& layer, const std::string& source, const std::string& where) {
  layer.in_shape.channels = r.u32(where + " input channels");
  layer.in_shape.height = r.u32(where + " input height");
  layer.in_shape.width = r.u32(where + " input width");
  for (uint32_t* v : {&layer.window.kernel_h, &layer.window.kernel_w, &layer.window.stride_h,
                      &layer.window.stride_w, &layer.window.pad_h, &layer.window.pad_w}) {
    *v = r.u8(where + " window");
  }
  require(r.u16(where + " window reserved bytes") == 0, "{}: {} window reserved bytes are not zero",
          source, where);
}

// Reads an LSTM's sequence block (docs/format.md, 4.2d); the weight block checks it.
void read_sequence(ByteReader& r, Layer& layer, const std::string& source,
                   const std::string& where) {
  layer.sequence.steps = r.u32(where + " steps");
  layer.sequence.input = r.u32(where + " input size");
  layer.sequence.hidden = r.u32(where + " hidden size");
  require(r.u32(where + " sequence reserved bytes") == 0,
          "{}: {} sequence reserved bytes are not zero", source, where);
}

// Reads a weighted layer's weight block into `layer` (its kind, name and window already read);
// `coding` receives how its streams were stored. The shape words are counted (limits.h) before
// any buffer of the layer is allocated.
void read_weights(ByteReader& r, Layer& layer, const std::string& source, const std::string& where,
                  LayerCoding& coding, uint64_t& shape_total) {
  const uint32_t rows = r.u32(where + " rows");
  const uint32_t cols = r.u32(where + " cols");
  require(rows >= 1 && rows <= kMaxDimension && cols >= 1 && cols <= kMaxDimension,
          "{}: {} shape {}x{} outside 1..{} per dimension", source, where, rows, cols,
          kMaxDimension);
  if (layer.kind == LayerKind::kConv2d) {
    layer.weights.rows = rows;  // the output channels, for the window's output shape
    try {
      check_window(layer, where);
    } catch (const Error& e) {
      fail("{}: {}", source, e.what());
    }
    check_kernel_columns(cols, layer.in_shape, layer.window, fmt::format("{}: {}", source, where));
  }
  if (layer.kind == LayerKind::kLstm) {
    layer.weights.rows = rows;
    layer.weights.cols = cols;
    try {
      check_sequence(layer, where);
    } catch (const Error& e) {
      fail("{}: {}", source, e.what());
    }
  }
  add_shape_words(shape_total, rows, cols, 0, fmt::format("{}: {}", source, where));
  const uint8_t flags = r.u8(where + " flags");
  require((flags & ~(kFlagRelu | kFlagBias)) == 0, "{}: {} flags 0x{:02x} has unknown bits", source,
          where, flags);
  layer.relu = (flags & kFlagRelu) != 0;
  require(!layer.relu || layer.kind != LayerKind::kLstm,
          "{}: {} is an LSTM, whose gate matrix has no ReLU, but its ReLU flag is set", source,
          where);
  layer.w_frac = r.u8(where + " w_frac");
  require(layer.w_frac <= kMaxFrac, "{}: {} w_frac {} outside [0, 15]", source, where,
          layer.w_frac);
  const int rel_bits = r.u8(where + " relative index width");
  require(rel_bits >= kMinRelBits && rel_bits <= kMaxRelBits,
          "{}: {} relative index width {} outside [1, 8]", source, where, rel_bits);
  require(r.u8(where + " reserved byte") == 0, "{}: {} reserved byte is not zero", source, where);
  for (int i = 0; i < kCodebookSize; ++i) {
    layer.codebook[static_cast<size_t>(i)] = r.i16(fmt::format("{} codebook[{}]", where, i));
  }
  require(layer.codebook[0] == 0, "{}: {} codebook[0] is {} but index 0 is reserved for zero",
          source, where, layer.codebook[0]);
  const uint32_t nnz = r.u32(where + " non-zero count");
  const uint32_t entries = r.u32(where + " entry count");
  require(nnz <= uint64_t{rows} * cols, "{}: {} declares {} non-zeros in a {}x{} matrix", source,
          where, nnz, rows, cols);
  require(entries >= nnz, "{}: {} declares {} entries for {} non-zeros", source, where, entries,
          nnz);
  require(entries <= r.remaining() * 8, "{}: {} declares {} entries, more than the file can hold",
          source, where, entries);

  RelativeStream rs;
  rs.rel_bits = rel_bits;
  coding = LayerCoding{rel_bits, false};
  rs.weight = read_stream(r, entries, 4, source, where + " weight-index stream", coding.huffman);
  rs.gap =
      read_stream(r, entries, rel_bits, source, where + " relative-index stream", coding.huffman);
  try {
    layer.weights = decode_relative(rs, rows, cols);
  } catch (const Error& e) {
    fail("{}: {}: {}", source, where, e.what());
  }
  require(layer.weights.nnz() == nnz, "{}: {} stream holds {} non-zeros, header says {}", source,
          where, layer.weights.nnz(), nnz);
  if (flags & kFlagBias) {
    layer.bias.resize(rows);
    for (uint32_t i = 0; i < rows; ++i) layer.bias[i] = r.i32(fmt::format("{} bias[{}]", where, i));
  }
}

// Reads one layer section of a file of `version`; `coding` receives how its streams were stored.
// `shape_total` accumulates the shape words of the layers so far (limits.h), checked before the
// layer's buffers are allocated.
Layer read_layer(ByteReader& r, const std::string& source, uint16_t version, uint32_t index,
                 LayerCoding& coding, uint64_t& shape_total) {
  const std::string at = fmt::format("layer {}", index + 1);
  const uint32_t section = r.u32(at + " section length");
  require(section <= r.remaining(), "{}: truncated: {} declares {} bytes but {} remain", source, at,
          section, r.remaining());
  const size_t section_end = r.pos() + section;

  Layer layer;
  if (version >= 3) {
    const uint8_t kind = r.u8(at + " layer type");
    require(kind < layer_kinds(version),
            "{}: {} layer type {} is unknown to version {} (0 = fully connected, 1 = convolution, "
            "2 = max pooling{})",
            source, at, kind, version, version >= 4 ? ", 3 = LSTM" : "");
    layer.kind = static_cast<LayerKind>(kind);
  }
  const uint8_t name_len = r.u8(at + " name length");
  const uint8_t* name = r.bytes(name_len, at + " name");
  layer.name.assign(reinterpret_cast<const char*>(name), name_len);
  for (char c : layer.name) {
    require(c >= 0x20 && c < 0x7f, "{}: {} name contains a non-printable byte", source, at);
  }
  const std::string where = layer.name.empty() ? at : fmt::format("{} ('{}')", at, layer.name);
  if (layer.kind == LayerKind::kConv2d || layer.kind == LayerKind::kMaxPool2d) {
    read_window(r, layer, source, where);
  }
  if (layer.kind == LayerKind::kLstm) read_sequence(r, layer, source, where);
  if (layer.has_weights()) {
    read_weights(r, layer, source, where, coding, shape_total);
  } else {
    layer.relu = false;
    try {
      check_window(layer, where);
    } catch (const Error& e) {
      fail("{}: {}", source, e.what());
    }
  }
  if (layer.kind != LayerKind::kFullyConnected) {
    add_window_words(shape_total, layer.window_words(), fmt::format("{}: {}", source, where));
  }
  require(r.pos() == section_end, "{}: {} section is {} bytes but its fields take {}", source,
          where, section, section - (section_end - r.pos()));
  return layer;
}

}  // namespace

SectionSize layer_section_size(const Layer& layer, const LayerCoding& coding) {
  SectionSize s;
  // length field, type, name, window or sequence block
  s.total_bytes = 4 + 1 + 1 + layer.name.size() + shape_block_bytes(layer.kind);
  if (!layer.has_weights()) return s;
  const RelativeStream rs = encode_relative(layer.weights, coding.rel_bits);
  const EncodedStream ws = encode_stream(rs.weight, 4, coding.huffman);
  const EncodedStream gs = encode_stream(rs.gap, coding.rel_bits, coding.huffman);
  s.entries = rs.entries();
  s.padding = rs.padding();
  s.weight_bits = ws.bits;
  s.index_bits = gs.bits;
  s.weight_coding = ws.coding;
  s.index_coding = gs.coding;
  // shape, flags/w_frac/rel_bits/reserved, codebook, counts, streams, bias
  s.total_bytes += 8 + 4 + 2 * kCodebookSize + 8 + ws.serialized_bytes() + gs.serialized_bytes() +
                   4 * layer.bias.size();
  return s;
}

LayerCoding best_coding(const Layer& layer, bool huffman) {
  LayerCoding best{kMinRelBits, huffman};
  if (!layer.has_weights()) return best;
  uint64_t best_bytes = UINT64_MAX;
  for (int bits = kMinRelBits; bits <= kMaxRelBits; ++bits) {
    const uint64_t bytes = layer_section_size(layer, {bits, huffman}).total_bytes;
    if (bytes < best_bytes) {
      best_bytes = bytes;
      best.rel_bits = bits;
    }
  }
  return best;
}

std::vector<uint8_t> serialize_model(const ModelFile& model) {
  model.net.validate();
  require(model.coding.size() == model.net.layers.size(),
          "model has {} layer codings for {} "
          "layers",
          model.coding.size(), model.net.layers.size());
  require(model.net.layers.size() <= kMaxLayers, "model has {} layers, at most {} allowed",
          model.net.layers.size(), kMaxLayers);
  ByteWriter w;
  w.bytes(reinterpret_cast<const uint8_t*>(kModelMagic), 8);
  w.u16(version_for(model.net));
  w.u16(0);
  w.u8(static_cast<unsigned>(model.net.act_frac));
  w.u8(0);
  w.u8(0);
  w.u8(0);
  w.u32(static_cast<uint32_t>(model.net.layers.size()));
  for (size_t l = 0; l < model.net.layers.size(); ++l) {
    const Layer& layer = model.net.layers[l];
    require(layer.weights.rows <= kMaxDimension && layer.weights.cols <= kMaxDimension,
            "{}: shape {}x{} exceeds the file format's {} per dimension", layer_label(model.net, l),
            layer.weights.rows, layer.weights.cols, kMaxDimension);
    write_layer(w, layer, model.coding[l]);
  }
  // Version 2: the output order (0 = outputs in their own order); version 5: the input order.
  const auto order = [&](const std::vector<uint32_t>& o) {
    w.u32(static_cast<uint32_t>(o.size()));
    for (uint32_t p : o) w.u32(p);
  };
  order(model.net.output_order);
  if (!model.net.input_order.empty()) order(model.net.input_order);
  w.u32(crc32(w.data().data(), w.size()));
  return std::move(w.data());
}

namespace {

// Reads an order section (4.2c, 4.2e): its count, 0 or `size`, then its entries; Network::validate
// checks that they are a permutation.
std::vector<uint32_t> read_order(ByteReader& r, const std::string& source, const char* what,
                                 uint32_t size) {
  const uint32_t count = r.u32(fmt::format("{} order count", what));
  require(count == 0 || count == size, "{}: {} order has {} entries for {} {}s", source, what,
          count, size, what);
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < count; ++i) order.push_back(r.u32(fmt::format("{} order[{}]", what, i)));
  return order;
}

}  // namespace

ModelFile parse_model(const std::vector<uint8_t>& bytes, const std::string& source) {
  require(bytes.size() >= 8 && std::memcmp(bytes.data(), kModelMagic, 8) == 0,
          "{}: not an EIE model file (bad magic; expected \"{}\")", source, kModelMagic);
  require(bytes.size() >= kHeaderBytes + kTrailerBytes,
          "{}: truncated: {} bytes, a model file has at least {}", source, bytes.size(),
          kHeaderBytes + kTrailerBytes);
  const size_t body_end = bytes.size() - kTrailerBytes;
  ByteReader r(bytes, body_end, source);
  r.bytes(8, "magic");
  const uint16_t version = r.u16("version");
  require(version >= 1 && version <= kModelVersion,
          "{}: format version {} is not supported (this build reads versions 1 to {})", source,
          version, kModelVersion);
  // The checksum is checked before any field is trusted: a corrupt file is named as such rather
  // than by whichever field the corruption happened to hit.
  uint32_t stored_crc = 0;
  for (int i = 0; i < 4; ++i)
    stored_crc |= uint32_t{bytes[body_end + static_cast<size_t>(i)]} << (8 * i);
  const uint32_t actual_crc = crc32(bytes.data(), body_end);
  require(stored_crc == actual_crc,
          "{}: checksum mismatch (stored CRC-32 0x{:08x}, computed "
          "0x{:08x}): the file is corrupt or truncated",
          source, stored_crc, actual_crc);
  require(r.u16("header flags") == 0, "{}: header flags are not zero", source);
  ModelFile model;
  model.net.act_frac = r.u8("act_frac");
  require(model.net.act_frac <= kMaxFrac, "{}: act_frac {} outside [0, 15]", source,
          model.net.act_frac);
  for (int i = 0; i < 3; ++i) {
    require(r.u8("header reserved byte") == 0, "{}: header reserved bytes are not zero", source);
  }
  const uint32_t layers = r.u32("layer count");
  require(layers >= 1 && layers <= kMaxLayers, "{}: layer count {} outside 1..{}", source, layers,
          kMaxLayers);
  uint64_t shape_total = 0;
  for (uint32_t l = 0; l < layers; ++l) {
    LayerCoding coding;
    model.net.layers.push_back(read_layer(r, source, version, l, coding, shape_total));
    model.coding.push_back(coding);
  }
  if (version >= 2) {
    model.net.output_order = read_order(r, source, "output", model.net.layers.back().outputs());
  }
  if (version >= 5) model.net.input_order = read_order(r, source, "input", model.net.inputs());
  require(r.remaining() == 0, "{}: {} unexpected bytes after the last layer", source,
          r.remaining());
  try {
    model.net.validate();
  } catch (const Error& e) {
    fail("{}: {}", source, e.what());
  }
  return model;
}

uint64_t model_size_bound(const std::vector<uint8_t>& head) {
  const auto u32_at = [&](size_t at) {
    return uint32_t{head[at]} | uint32_t{head[at + 1]} << 8 | uint32_t{head[at + 2]} << 16 |
           uint32_t{head[at + 3]} << 24;
  };
  if (head.size() < kHeaderBytes) return kMaxModelFileBytes;
  // Not a model, or a header the parser rejects: nothing more is needed to say so.
  if (std::memcmp(head.data(), kModelMagic, 8) != 0) return 8;
  const unsigned version = head[8] | unsigned{head[9]} << 8;
  const uint32_t layers = u32_at(16);
  if (layers == 0 || layers > kMaxLayers) return kHeaderBytes;
  // Walk the section lengths read so far; the size is known once the last one is in.
  uint64_t pos = kHeaderBytes;
  for (uint32_t l = 0; l < layers; ++l) {
    if (pos + 4 > head.size()) return kMaxModelFileBytes;
    pos += 4 + uint64_t{u32_at(static_cast<size_t>(pos))};
    require(pos <= kMaxModelFileBytes,
            "layer {} section ends at byte {}, past the {} bytes a model file may hold", l + 1, pos,
            kMaxModelFileBytes);
  }
  // The output order (version 2 on), then the input order (version 5).
  for (unsigned from : {2U, 5U}) {
    if (version < from) break;
    if (pos + 4 > head.size()) return kMaxModelFileBytes;
    pos += 4 + 4 * uint64_t{u32_at(static_cast<size_t>(pos))};
    require(pos + kTrailerBytes <= kMaxModelFileBytes,
            "the {} order ends at byte {}, past the {} bytes a model file may hold",
            from == 2 ? "output" : "input", pos, kMaxModelFileBytes);
  }
  require(pos + kTrailerBytes <= kMaxModelFileBytes,
          "the checksum would end past the {} bytes a model file may hold", kMaxModelFileBytes);
  return pos + kTrailerBytes;
}

ModelFile read_model(const std::string& path) {
  return parse_model(read_file(path, kMaxModelFileBytes, "model file", model_size_bound), path);
}

void write_model(const std::string& path, const ModelFile& model) {
  write_output(path, serialize_model(model));
}

ModelFile make_model_file(Network net, bool huffman) {
  ModelFile model;
  for (const Layer& layer : net.layers) model.coding.push_back(best_coding(layer, huffman));
  model.net = std::move(net);
  return model;
}

}  // namespace eie
