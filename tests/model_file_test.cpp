// The model file (docs/format.md, "Model file"): byte layout, round trips and every rejection.
#include "eie/model_file.h"

#include <gtest/gtest.h>

#include <random>

#include "eie/crc32.h"
#include "eie/error.h"
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
  EXPECT_EQ(b[8] | b[9] << 8, kModelVersion);
  EXPECT_EQ(b[12], 7);  // act_frac
  EXPECT_EQ(b[16], 2);  // layer count, little-endian u32
  EXPECT_EQ(b[24], 3);  // layer 1 name length, then "fc1"
  EXPECT_EQ(std::string(b.begin() + 25, b.begin() + 28), "fc1");
  EXPECT_EQ(b[28], 30);  // rows
  EXPECT_EQ(b[32], 50);  // cols
  EXPECT_EQ(b[36], 3);   // flags: relu | bias
  EXPECT_EQ(b[37], 11);  // w_frac
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
  for (size_t n = 0; n < b.size(); ++n) {
    EXPECT_THROW(
        parse_model(std::vector<uint8_t>(b.begin(), b.begin() + static_cast<long>(n)), "t"), Error)
        << "prefix of " << n << " bytes";
  }
}

TEST(ModelFile, RejectsEverySingleByteCorruption) {
  std::mt19937_64 rng(16);
  const std::vector<uint8_t> b = serialize_model(make_model_file(sample_network(rng)));
  for (size_t i = 0; i < b.size(); ++i) {
    std::vector<uint8_t> c = b;
    c[i] ^= 0x10;
    EXPECT_THROW(parse_model(c, "c"), Error) << "byte " << i;
  }
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
  patched(8, 3, "version 3 is not supported");
  patched(10, 1, "header flags");
  patched(12, 16, "act_frac 16");
  patched(13, 1, "reserved");
  patched(16, 0, "layer count 0");
  patched(28, 0, "shape 0x50");       // rows of layer 1
  patched(36, 0x07, "unknown bits");  // flags
  patched(37, 16, "w_frac 16");
  patched(38, 0, "relative index width 0");
  patched(38, 9, "relative index width 9");
  patched(39, 1, "reserved byte");
  patched(40, 5, "codebook[0]");          // codebook[0] low byte
  patched(80, 2, "coding 2 is unknown");  // layer 1 weight-index stream
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
  ASSERT_EQ(good[80], 1) << "layer 1's weight stream is expected to be Huffman-coded";
  std::vector<uint8_t> b = good;
  for (size_t i = 81; i < 81 + 16; ++i) b[i] = 1;  // sixteen 1-bit codes: over-subscribed
  set_crc(b);
  expect_reject(b, "weight-index stream");
  b = good;
  b[81 + 3] = 30;  // a code longer than the 24-bit limit
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

TEST(ModelFile, ReadsVersionOneFiles) {
  // Version 1 had no output-order field: drop it, set the version, fix the CRC.
  std::mt19937_64 rng(21);
  const ModelFile m = make_model_file(sample_network(rng));
  std::vector<uint8_t> b = serialize_model(m);
  b.erase(b.end() - 8, b.end() - 4);
  b[8] = 1;
  set_crc(b);
  EXPECT_EQ(parse_model(b, "v1.eie").net, m.net);
}

}  // namespace
}  // namespace eie
