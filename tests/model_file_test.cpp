// The model file (docs/format.md, "Model file"): byte layout, round trips and every rejection.
#include "eie/model_file.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "eie/crc32.h"
#include "eie/error.h"
#include "eie/report.h"
#include "test_util.h"

namespace eie {
namespace {

Network sample_network(std::mt19937_64& rng, double density = 0.1) {
  Network net;
  net.act_frac = 7;
  const std::vector<uint32_t> widths = {50, 30, 8};
  for (size_t l = 0; l + 1 < widths.size(); ++l) {
    Layer layer;
    layer.name = l == 0 ? "fc1" : "";
    layer.weights = test::random_code_matrix(widths[l + 1], widths[l], density, rng);
    layer.w_frac = 11 + static_cast<int>(l);
    for (int c = 1; c < kCodebookSize; ++c) {
      layer.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(c * 1000 - 8000);
    }
    if (l == 0) {
      for (uint32_t i = 0; i < widths[l + 1]; ++i)
        layer.bias.push_back(static_cast<int32_t>(i) * 77 - 900);
    }
    layer.relu = l == 0;
    net.layers.push_back(layer);
  }
  return net;
}

// A small convolutional network: conv 1x10x10 (3x3, padding 1) -> 4x10x10, max pool 2x2 ->
// 4x5x5, conv (3x3, stride 2) -> 3x2x2, fully connected 12 -> 5.
Network sample_cnn(std::mt19937_64& rng) {
  Network net;
  net.act_frac = 8;
  const auto weighted = [&](LayerKind kind, uint32_t rows, uint32_t cols, double density) {
    Layer layer;
    layer.kind = kind;
    layer.weights = test::random_code_matrix(rows, cols, density, rng);
    layer.w_frac = 12;
    for (int c = 1; c < kCodebookSize; ++c) {
      layer.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(c * 300 - 2400);
    }
    for (uint32_t i = 0; i < rows; ++i) layer.bias.push_back(static_cast<int32_t>(i) * 50 - 70);
    return layer;
  };
  Layer conv1 = weighted(LayerKind::kConv2d, 4, 9, 0.8);
  conv1.name = "conv1";
  conv1.in_shape = {1, 10, 10};
  conv1.window = {3, 3, 1, 1, 1, 1};
  Layer pool;
  pool.kind = LayerKind::kMaxPool2d;
  pool.name = "pool1";
  pool.relu = false;
  pool.in_shape = {4, 10, 10};
  pool.window = {2, 2, 2, 2, 0, 0};
  Layer conv2 = weighted(LayerKind::kConv2d, 3, 36, 0.5);
  conv2.in_shape = {4, 5, 5};
  conv2.window = {3, 3, 2, 2, 0, 0};
  conv2.bias.clear();
  Layer fc = weighted(LayerKind::kFullyConnected, 5, 12, 0.6);
  fc.relu = false;
  net.layers = {conv1, pool, conv2, fc};

  return net;
}

void set_crc(std::vector<uint8_t>& b) {
  const uint32_t crc = crc32(b.data(), b.size() - 4);
  for (int i = 0; i < 4; ++i)
    b[b.size() - 4 + static_cast<size_t>(i)] = static_cast<uint8_t>(crc >> (8 * i));
}

// Expects parse_model to reject `b` with a message containing `needle`.
void expect_reject(const std::vector<uint8_t>& b, const std::string& needle) {
  try {
    parse_model(b, "m.eie");
    ADD_FAILURE() << "accepted a file that should fail with: " << needle;
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(needle), std::string::npos) << what;
    EXPECT_EQ(what.rfind("m.eie", 0), 0u) << "message must start with the file name: " << what;
  }
}

// Every proper prefix of a valid file, and the file with any one byte flipped, is rejected.
void expect_every_truncation_rejected(const std::vector<uint8_t>& b) {
  for (size_t n = 0; n < b.size(); ++n) {
    EXPECT_THROW(
        parse_model(std::vector<uint8_t>(b.begin(), b.begin() + static_cast<long>(n)), "t"), Error)
        << "prefix of " << n << " bytes";
  }
}

void expect_every_byte_flip_rejected(const std::vector<uint8_t>& b) {
  for (size_t i = 0; i < b.size(); ++i) {
    std::vector<uint8_t> c = b;
    c[i] ^= 0x10;
    EXPECT_THROW(parse_model(c, "c"), Error) << "byte " << i;
  }
}

// `good` with the given bytes set and its CRC restored is rejected with `needle`.
void expect_patched_reject(std::vector<uint8_t> good,
                           std::initializer_list<std::pair<size_t, uint8_t>> bytes,
                           const std::string& needle) {
  for (const auto& [at, v] : bytes) good[at] = v;
  set_crc(good);
  expect_reject(good, needle);
}

TEST(ModelFile, Crc32MatchesTheStandardCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0xCBF43926u);
}

TEST(ModelFile, RoundTripsEveryCoding) {
  std::mt19937_64 rng(11);
  for (double density : {0.0, 0.03, 0.3, 1.0}) {
    const Network net = sample_network(rng, density);
    for (bool huffman : {false, true}) {
      for (int bits = 1; bits <= 8; ++bits) {
        ModelFile m{net, {{bits, huffman}, {bits, huffman}}};
        const std::vector<uint8_t> bytes = serialize_model(m);
        const ModelFile back = parse_model(bytes, "mem");
        ASSERT_EQ(back.net, net) << density << " " << huffman << " " << bits;
        EXPECT_EQ(back.coding[0].rel_bits, bits);
        EXPECT_EQ(serialize_model(back), bytes);  // canonical: rewriting gives the same bytes
        EXPECT_EQ(layer_section_size(net.layers[0], m.coding[0]).total_bytes +
                      layer_section_size(net.layers[1], m.coding[1]).total_bytes + 28,
                  bytes.size());
      }
    }
  }
}

TEST(ModelFile, HeaderLayout) {
  std::mt19937_64 rng(12);
  const std::vector<uint8_t> b = serialize_model(make_model_file(sample_network(rng)));
  EXPECT_EQ(std::string(b.begin(), b.begin() + 8), "EIEMODEL");
  EXPECT_EQ(b[8] | b[9] << 8, 3);  // the oldest version that holds fully connected layers
  EXPECT_EQ(b[12], 7);             // act_frac
  EXPECT_EQ(b[16], 2);             // layer count, little-endian u32
  EXPECT_EQ(b[24], 0);             // layer 1 type: fully connected
  EXPECT_EQ(b[25], 3);             // name length, then "fc1"
  EXPECT_EQ(std::string(b.begin() + 26, b.begin() + 29), "fc1");
  EXPECT_EQ(b[29], 30);  // rows
  EXPECT_EQ(b[33], 50);  // cols
  EXPECT_EQ(b[37], 3);   // flags: relu | bias
  EXPECT_EQ(b[38], 11);  // w_frac
}

TEST(ModelFile, HuffmanMakesItSmaller) {
  std::mt19937_64 rng(13);
  Network net = sample_network(rng, 0.1);
  // Skew the indices as trained layers are skewed: most weights share few centroids.
  for (Layer& l : net.layers) {
    for (uint8_t& c : l.weights.code) c = rng() % 4 == 0 ? c : 8;
  }
  const size_t fixed = serialize_model(make_model_file(net, false)).size();
  const size_t coded = serialize_model(make_model_file(net, true)).size();
  EXPECT_LT(coded, fixed);
}

TEST(ModelFile, WritesAtomicallyAndReadsBack) {
  std::mt19937_64 rng(14);
  const ModelFile m = make_model_file(sample_network(rng));
  test::TempDir dir;
  write_model(dir.file("a.eie"), m);
  EXPECT_EQ(read_model(dir.file("a.eie")).net, m.net);
  EXPECT_EQ(test::list_dir(dir.path()), std::vector<std::string>{"a.eie"});
  EXPECT_THROW(write_model(dir.file("missing/b.eie"), m), Error);
  EXPECT_EQ(test::list_dir(dir.path()).size(), 1u);
  EXPECT_THROW(read_model(dir.file("none.eie")), Error);
  // An invalid network is refused before anything is written.
  ModelFile bad = m;
  bad.net.layers[1].weights.cols = 3;
  EXPECT_THROW(write_model(dir.file("c.eie"), bad), Error);
  EXPECT_FALSE(test::file_exists(dir.file("c.eie")));
}

TEST(ModelFile, RejectsEveryTruncation) {
  std::mt19937_64 rng(15);
  const std::vector<uint8_t> b = serialize_model(make_model_file(sample_network(rng)));
  expect_every_truncation_rejected(b);
}

TEST(ModelFile, RejectsEverySingleByteCorruption) {
  std::mt19937_64 rng(16);
  const std::vector<uint8_t> b = serialize_model(make_model_file(sample_network(rng)));
  expect_every_byte_flip_rejected(b);
}

TEST(ModelFile, RejectionMessagesNameTheProblem) {
  std::mt19937_64 rng(17);
  const std::vector<uint8_t> good = serialize_model(make_model_file(sample_network(rng)));
  // Patches byte i, restores a valid CRC, and expects the named rejection.
  const auto patched = [&](size_t i, uint8_t v, const std::string& needle) {
    std::vector<uint8_t> b = good;
    b[i] = v;
    set_crc(b);
    expect_reject(b, needle);
  };
  expect_reject({'N', 'O', 'T', 'M', 'O', 'D', 'E', 'L', 1, 0}, "not an EIE model file");
  expect_reject(std::vector<uint8_t>(good.begin(), good.begin() + 10), "truncated");
  std::vector<uint8_t> flipped = good;
  flipped[40] ^= 1;
  expect_reject(flipped, "checksum mismatch");
  patched(8, 6, "version 6 is not supported");
  patched(10, 1, "header flags");
  patched(12, 16, "act_frac 16");
  patched(13, 1, "reserved");
  patched(16, 0, "layer count 0");
  patched(24, 3, "layer type 3 is unknown to version 3");
  patched(29, 0, "shape 0x50");       // rows of layer 1
  patched(37, 0x07, "unknown bits");  // flags
  patched(38, 16, "w_frac 16");
  patched(39, 0, "relative index width 0");
  patched(39, 9, "relative index width 9");
  patched(40, 1, "reserved byte");
  patched(41, 5, "codebook[0]");          // codebook[0] low byte
  patched(81, 2, "coding 2 is unknown");  // layer 1 weight-index stream
}

TEST(ModelFile, RejectsInconsistentSections) {
  std::mt19937_64 rng(18);
  const ModelFile m = make_model_file(sample_network(rng));
  const std::vector<uint8_t> good = serialize_model(m);
  std::vector<uint8_t> b = good;
  b.insert(b.end() - 4, {0, 0});
  set_crc(b);
  expect_reject(b, "2 unexpected bytes after the last layer");

  // A section whose declared length exceeds its fields: the next layer starts inside it.
  b = good;
  b[20] = static_cast<uint8_t>(b[20] + 1);
  set_crc(b);
  expect_reject(b, "but its fields take");

  // Two layers that do not chain: splice sections of two valid one-layer files.
  const auto one_layer_file = [](const Layer& layer) {
    Network n;
    n.layers.push_back(layer);
    return serialize_model(make_model_file(n));
  };
  Layer second = m.net.layers[1];
  second.weights = test::random_code_matrix(8, 29, 0.2, rng);
  const std::vector<uint8_t> x = one_layer_file(m.net.layers[0]);
  const std::vector<uint8_t> y = one_layer_file(second);
  std::vector<uint8_t> spliced(x.begin(), x.end() - 8);  // drop order count and CRC
  spliced.insert(spliced.end(), y.begin() + 20, y.end());
  spliced[16] = 2;
  set_crc(spliced);
  expect_reject(spliced, "takes 29 inputs but fc1 produces 30 outputs");
}

TEST(ModelFile, RejectsBadHuffmanTables) {
  std::mt19937_64 rng(19);
  Network net = sample_network(rng, 1.0);
  for (Layer& l : net.layers) {
    for (uint8_t& c : l.weights.code) c = rng() % 8 == 0 ? c : 3;  // skewed: Huffman wins
  }
  const std::vector<uint8_t> good = serialize_model(make_model_file(net));
  ASSERT_EQ(good[81], 1) << "layer 1's weight stream is expected to be Huffman-coded";
  std::vector<uint8_t> b = good;
  for (size_t i = 82; i < 82 + 16; ++i) b[i] = 1;  // sixteen 1-bit codes: over-subscribed
  set_crc(b);
  expect_reject(b, "weight-index stream");
  b = good;
  b[82 + 3] = 30;  // a code longer than the 24-bit limit
  set_crc(b);
  expect_reject(b, "Huffman");
}

TEST(ModelFile, OutputOrderRoundTripsAndIsValidated) {
  std::mt19937_64 rng(20);
  ModelFile m = make_model_file(sample_network(rng));
  m.net.output_order = {7, 0, 1, 2, 3, 4, 5, 6};  // the last layer has 8 outputs
  const std::vector<uint8_t> b = serialize_model(m);
  EXPECT_EQ(parse_model(b, "m.eie").net.output_order, m.net.output_order);
  std::vector<uint8_t> dup = b;
  dup[dup.size() - 8] = 0;  // the last entry (6) becomes a second 0
  set_crc(dup);
  expect_reject(dup, "not a permutation");
  ModelFile bad = m;
  bad.net.output_order.pop_back();
  EXPECT_THROW(serialize_model(bad), Error);
}

uint32_t read_u32_le(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} | uint32_t{b[at + 1]} << 8 | uint32_t{b[at + 2]} << 16 |
         uint32_t{b[at + 3]} << 24;
}

// A network with an input order: sample_network's 50 inputs reversed.
ModelFile with_input_order(std::mt19937_64& rng) {
  ModelFile m = make_model_file(sample_network(rng));
  for (uint32_t i = 0; i < 50; ++i) m.net.input_order.push_back(49 - i);
  return m;
}

TEST(ModelFile, InputOrderRoundTripsInVersionFiveAndIsValidated) {
  std::mt19937_64 rng(22);
  const ModelFile m = with_input_order(rng);
  const std::vector<uint8_t> b = serialize_model(m);
  EXPECT_EQ(b[8] | b[9] << 8, 5);
  EXPECT_EQ(parse_model(b, "m.eie").net, m.net);
  // 4.2e: after the (empty) output order, the count and the entries, then the CRC.
  EXPECT_EQ(read_u32_le(b, b.size() - 4 - 4 * 50 - 4), 50u);
  EXPECT_EQ(read_u32_le(b, b.size() - 4 - 4 * 50 - 8), 0u);
  EXPECT_EQ(read_u32_le(b, b.size() - 8), 0u);  // the last entry
  EXPECT_EQ(make_report(m).file_bytes, b.size());
  // Without an input order the same network is version 3, 204 bytes shorter.
  ModelFile plain = m;
  plain.net.input_order.clear();
  EXPECT_EQ(serialize_model(plain)[8], 3);
  EXPECT_EQ(serialize_model(plain).size() + 204, b.size());
  // A version 5 file may say 0: inputs in their own order.
  std::vector<uint8_t> empty = serialize_model(plain);
  empty.insert(empty.end() - 4, {0, 0, 0, 0});
  empty[8] = 5;
  set_crc(empty);
  EXPECT_EQ(parse_model(empty, "m.eie").net, plain.net);

  std::vector<uint8_t> dup = b;
  dup[dup.size() - 8] = 1;  // the last entry (0) becomes a second 1
  set_crc(dup);
  expect_reject(dup, "input order is not a permutation (at 1)");
  std::vector<uint8_t> big = b;
  big[big.size() - 8] = 50;  // out of range
  set_crc(big);
  expect_reject(big, "input order is not a permutation (at 50)");
  std::vector<uint8_t> count = b;
  count[count.size() - 4 - 4 * 50 - 4] = 49;
  set_crc(count);
  expect_reject(count, "input order has 49 entries for 50 inputs");
  std::vector<uint8_t> older = b;  // version 4 has no input order: its bytes are left over
  older[8] = 4;
  set_crc(older);
  expect_reject(older, "204 unexpected bytes after the last layer");
  ModelFile short_order = m;
  short_order.net.input_order.pop_back();
  EXPECT_THROW(serialize_model(short_order), Error);
}

TEST(ModelFile, InputOrderFilesRejectEveryTruncationAndCorruption) {
  std::mt19937_64 rng(23);
  const std::vector<uint8_t> b = serialize_model(with_input_order(rng));
  expect_every_truncation_rejected(b);
  expect_every_byte_flip_rejected(b);
}

TEST(ModelFile, InputOrderNeedsAFullyConnectedFirstLayer) {
  std::mt19937_64 rng(24);
  Network net = sample_cnn(rng);
  net.input_order.resize(net.inputs());
  std::iota(net.input_order.begin(), net.input_order.end(), 0);
  test::expect_error([&] { net.validate(); }, "an input order needs a fully connected first layer");
}

// A version 3 file of fully connected layers as version 2 wrote it: no layer type bytes.
std::vector<uint8_t> as_version_two(const std::vector<uint8_t>& v3) {
  std::vector<uint8_t> b(v3.begin(), v3.begin() + 20);
  const uint32_t layers = read_u32_le(v3, 16);
  size_t pos = 20;
  for (uint32_t l = 0; l < layers; ++l) {
    const uint32_t length = read_u32_le(v3, pos);
    EXPECT_EQ(v3[pos + 4], 0) << "only fully connected layers have a version 2 form";
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<uint8_t>((length - 1) >> (8 * i)));
    b.insert(b.end(), v3.begin() + static_cast<long>(pos + 5),
             v3.begin() + static_cast<long>(pos + 4 + length));
    pos += 4 + length;
  }
  b.insert(b.end(), v3.begin() + static_cast<long>(pos), v3.end());
  b[8] = 2;
  set_crc(b);
  return b;
}

TEST(ModelFile, ReadsVersionOneAndTwoFiles) {
  std::mt19937_64 rng(21);
  ModelFile m = make_model_file(sample_network(rng));
  m.net.output_order = {7, 0, 1, 2, 3, 4, 5, 6};
  const std::vector<uint8_t> v2 = as_version_two(serialize_model(m));
  EXPECT_EQ(parse_model(v2, "v2.eie").net, m.net);
  // Version 1 had no output-order field either: drop it, set the version, fix the CRC.
  m.net.output_order.clear();
  std::vector<uint8_t> v1 = as_version_two(serialize_model(m));
  v1.erase(v1.end() - 8, v1.end() - 4);
  v1[8] = 1;
  set_crc(v1);
  EXPECT_EQ(parse_model(v1, "v1.eie").net, m.net);
  // Rewritten, both are version 3.
  EXPECT_EQ(serialize_model(parse_model(v1, "v1.eie")), serialize_model(m));
}

TEST(ModelFile, ConvolutionAndPoolingLayersRoundTrip) {
  std::mt19937_64 rng(22);
  const Network net = sample_cnn(rng);
  ASSERT_NO_THROW(net.validate());
  for (bool huffman : {false, true}) {
    const ModelFile m = make_model_file(net, huffman);
    const std::vector<uint8_t> b = serialize_model(m);
    const ModelFile back = parse_model(b, "cnn.eie");
    EXPECT_EQ(back.net, net);
    EXPECT_EQ(serialize_model(back), b);
    uint64_t sections = 0;
    for (size_t l = 0; l < net.layers.size(); ++l) {
      sections += layer_section_size(net.layers[l], m.coding[l]).total_bytes;
    }
    EXPECT_EQ(sections + 28, b.size());
  }
  // The layout of 4.2b: type, name, then the window block; a pooling section ends there.
  const std::vector<uint8_t> b = serialize_model(make_model_file(net));
  EXPECT_EQ(b[24], 1);  // layer 1: convolution
  EXPECT_EQ(std::string(b.begin() + 26, b.begin() + 31), "conv1");
  EXPECT_EQ(read_u32_le(b, 31), 1u);  // input channels, height, width
  EXPECT_EQ(read_u32_le(b, 35), 10u);
  EXPECT_EQ(read_u32_le(b, 39), 10u);
  EXPECT_EQ(std::vector<uint8_t>(b.begin() + 43, b.begin() + 51),
            (std::vector<uint8_t>{3, 3, 1, 1, 1, 1, 0, 0}));  // kernel, stride, padding, reserved
  EXPECT_EQ(read_u32_le(b, 51), 4u);                          // rows: output channels
  EXPECT_EQ(read_u32_le(b, 55), 9u);                          // cols: 1 x 3 x 3
  const size_t pool = 24 + read_u32_le(b, 20);
  EXPECT_EQ(read_u32_le(b, pool), 1u + 1 + 5 + 20);  // type, name length, "pool1", window
  EXPECT_EQ(b[pool + 4], 2);                         // max pooling
}

TEST(ModelFile, ConvolutionalFilesRejectEveryTruncationAndCorruption) {
  std::mt19937_64 rng(23);
  const std::vector<uint8_t> b = serialize_model(make_model_file(sample_cnn(rng)));
  expect_every_truncation_rejected(b);
  expect_every_byte_flip_rejected(b);
}

TEST(ModelFile, RejectsBadWindows) {
  std::mt19937_64 rng(24);
  const std::vector<uint8_t> good = serialize_model(make_model_file(sample_cnn(rng)));
  const size_t pool = 24 + read_u32_le(good, 20);  // the pooling section's length field
  const size_t pool_window = pool + 4 + 1 + 1 + 5;
  const auto patched = [&](std::initializer_list<std::pair<size_t, uint8_t>> bytes,
                           const std::string& needle) {
    expect_patched_reject(good, bytes, needle);
  };
  patched({{31, 0}}, "input 0x10x10 must have 1..16777216 elements");
  patched({{31, 2}}, "kernel matrix has 9 columns but a 2x3x3 patch has 18 values");
  patched({{43, 0}}, "kernel 0x3 outside 1..255");
  patched({{46, 0}}, "stride 1x0 outside 1..255");
  patched({{43, 13}}, "a 13x3 kernel with padding 1x1 does not fit the 10x10 input");
  patched({{49, 1}}, "layer 1 ('conv1') window reserved bytes are not zero");
  patched({{pool_window + 16, 1}}, "layer 2 ('pool1'): max pooling takes no padding");
  patched({{pool_window + 4, 9}}, "pool1 takes 360 inputs but conv1 produces 400 outputs");
  patched({{pool + 4, 7}}, "layer 2 layer type 7 is unknown");
  // A convolution's output past 2^24 elements: 65,535 channels over a 17 x 17 input.
  patched({{35, 17}, {39, 17}, {51, 0xFF}, {52, 0xFF}}, "output 65535x17x17 has more than");
}

// An LSTM of 4 steps of 3 inputs and 5 hidden units (gate matrix 20 x 8), then a classifier.
Network sample_lstm(std::mt19937_64& rng) {
  Network net;
  net.act_frac = 12;
  Layer lstm;
  lstm.kind = LayerKind::kLstm;
  lstm.name = "lstm";
  lstm.sequence = {4, 3, 5};
  lstm.weights = test::random_code_matrix(20, 8, 0.6, rng);
  lstm.w_frac = 13;
  for (int c = 1; c < kCodebookSize; ++c) {
    lstm.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(c * 500 - 4000);
  }
  for (uint32_t i = 0; i < 20; ++i) lstm.bias.push_back(static_cast<int32_t>(i) * 90 - 900);
  lstm.relu = false;
  Layer fc;
  fc.weights = test::random_code_matrix(2, 5, 0.8, rng);
  fc.w_frac = 12;
  fc.codebook = lstm.codebook;
  fc.relu = false;
  net.layers = {lstm, fc};
  net.validate();
  return net;
}

TEST(ModelFile, LstmLayerRoundTripsInVersionFour) {
  std::mt19937_64 rng(31);
  const Network net = sample_lstm(rng);
  for (bool huffman : {false, true}) {
    const ModelFile m = make_model_file(net, huffman);
    const std::vector<uint8_t> b = serialize_model(m);
    EXPECT_EQ(parse_model(b, "t").net, net);
    uint64_t sections = 0;
    for (size_t l = 0; l < net.layers.size(); ++l) {
      sections += layer_section_size(net.layers[l], m.coding[l]).total_bytes;
    }
    EXPECT_EQ(sections + 28, b.size());
  }
  // The layout of 4.2 and 4.2d: version 4, type 3, name, the sequence block, the weight block.
  const std::vector<uint8_t> b = serialize_model(make_model_file(net));
  EXPECT_EQ(b[8] | b[9] << 8, 4);
  EXPECT_EQ(b[24], 3);  // LSTM
  EXPECT_EQ(std::string(b.begin() + 26, b.begin() + 30), "lstm");
  EXPECT_EQ(read_u32_le(b, 30), 4u);  // steps, input, hidden, reserved
  EXPECT_EQ(read_u32_le(b, 34), 3u);
  EXPECT_EQ(read_u32_le(b, 38), 5u);
  EXPECT_EQ(read_u32_le(b, 42), 0u);
  EXPECT_EQ(read_u32_le(b, 46), 20u);  // rows: 4 x hidden
  EXPECT_EQ(read_u32_le(b, 50), 8u);   // cols: input + hidden
  EXPECT_EQ(b[54], 2);                 // flags: bias, no ReLU
  // A network without an LSTM is still written as version 3.
  EXPECT_EQ(serialize_model(make_model_file(sample_cnn(rng)))[8], 3);
}

TEST(ModelFile, LstmFilesRejectEveryTruncationAndCorruption) {
  std::mt19937_64 rng(32);
  const std::vector<uint8_t> b = serialize_model(make_model_file(sample_lstm(rng)));
  expect_every_truncation_rejected(b);
  expect_every_byte_flip_rejected(b);
}

TEST(ModelFile, RejectsBadSequences) {
  std::mt19937_64 rng(33);
  const std::vector<uint8_t> good = serialize_model(make_model_file(sample_lstm(rng)));
  const auto patched = [&](std::initializer_list<std::pair<size_t, uint8_t>> bytes,
                           const std::string& needle) {
    expect_patched_reject(good, bytes, needle);
  };
  patched({{8, 3}}, "layer 1 layer type 3 is unknown to version 3");
  patched({{30, 0}}, "an LSTM needs at least one step, input and hidden unit (has 0, 3, 5)");
  patched({{38, 6}}, "the gate matrix is 20x8 but 6 hidden units and 3 inputs need 24x9");
  patched({{34, 4}}, "the gate matrix is 20x8 but 5 hidden units and 4 inputs need 20x9");
  patched({{33, 1}}, "16777220 steps of 3 inputs are more than 16777216 elements");
  patched({{45, 1}}, "layer 1 ('lstm') sequence reserved bytes are not zero");
  patched({{54, 3}}, "is an LSTM, whose gate matrix has no ReLU, but its ReLU flag is set");
}

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> b;
  for (size_t i = 0; i + 1 < hex.size(); i += 3) {
    b.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return b;
}

TEST(ModelFile, WorkedExamplesMatchThisPage) {
  // docs/format.md 4.7, with the elided codebook written out.
  const std::string codebook =
      "00 00 10 00 20 00 30 00 40 00 50 00 60 00 70 00 80 00 90 00 A0 00 B0 00 C0 00 D0 00 E0 00 "
      "F0 00 ";
  Layer fc;
  fc.weights = CodeMatrix::from_dense(4, 3, {0, 0, 7, 5, 0, 0, 6, 0, 0, 0, 0, 0});
  fc.w_frac = 4;
  fc.relu = false;
  for (int k = 0; k < kCodebookSize; ++k)
    fc.codebook[static_cast<size_t>(k)] = static_cast<int16_t>(16 * k);
  Network one;
  one.act_frac = 8;
  one.layers = {fc};
  EXPECT_EQ(serialize_model({one, {{2, false}}}),
            from_hex("45 49 45 4D 4F 44 45 4C 03 00 00 00 08 00 00 00 01 00 00 00 43 00 00 00 "
                     "00 00 04 00 00 00 03 00 00 00 00 04 02 00 " +
                     codebook +
                     "03 00 00 00 04 00 00 00 00 02 00 00 00 6A E0 00 01 00 00 00 B2 "
                     "00 00 00 00 05 32 36 CA "));

  Layer conv = fc;
  conv.kind = LayerKind::kConv2d;
  conv.name = "c";
  conv.in_shape = {1, 4, 4};
  conv.window = {3, 3, 1, 1, 0, 0};
  std::vector<uint8_t> kernels(18, 0);
  kernels[4] = 1;      // row 0, the centre tap
  kernels[9 + 0] = 2;  // row 1, the corners
  kernels[9 + 8] = 3;
  conv.weights = CodeMatrix::from_dense(2, 9, kernels);
  conv.relu = true;
  Layer pool;
  pool.kind = LayerKind::kMaxPool2d;
  pool.name = "p";
  pool.relu = false;
  pool.in_shape = {2, 2, 2};
  pool.window = {2, 2, 2, 2, 0, 0};
  Network cnn;
  cnn.act_frac = 8;
  cnn.layers = {conv, pool};
  const ModelFile m = make_model_file(cnn);  // the writer's own choice: b = 3, fixed width
  EXPECT_EQ(m.coding[0].rel_bits, 3);
  EXPECT_EQ(serialize_model(m),
            from_hex("45 49 45 4D 4F 44 45 4C 03 00 00 00 08 00 00 00 02 00 00 00 59 00 00 00 "
                     "01 01 63 01 00 00 00 04 00 00 00 04 00 00 00 03 03 01 01 00 00 00 00 "
                     "02 00 00 00 09 00 00 00 01 04 03 00 " +
                     codebook +
                     "03 00 00 00 04 00 00 00 00 02 00 00 00 84 C0 00 02 00 00 00 DC "
                     "01 17 00 00 00 02 01 70 02 00 00 00 02 00 00 00 02 00 00 00 02 02 02 02 "
                     "00 00 00 00 00 00 00 00 25 5A C4 7C "));
}

}  // namespace
}  // namespace eie
