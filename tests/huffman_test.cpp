#include "eie/huffman.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <queue>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "eie/bitstream.h"
#include "eie/error.h"

namespace {

using eie::BitReader;
using eie::BitWriter;
using eie::HuffmanCode;
using eie::kMaxHuffmanLength;

// Optimal prefix-code cost computed independently: the sum of the weights of all merged nodes of
// a Huffman tree equals sum freq * depth. A lone used symbol costs one bit per occurrence.
uint64_t optimal_bits(const std::vector<uint64_t>& freq) {
  std::priority_queue<uint64_t, std::vector<uint64_t>, std::greater<uint64_t>> heap;
  for (uint64_t f : freq) {
    if (f != 0) heap.push(f);
  }
  if (heap.size() == 1) return heap.top();
  uint64_t cost = 0;
  while (heap.size() > 1) {
    const uint64_t a = heap.top();
    heap.pop();
    const uint64_t b = heap.top();
    heap.pop();
    cost += a + b;
    heap.push(a + b);
  }
  return cost;
}

// Depth of an unlimited Huffman tree (any tie-breaking; used only for chain-shaped inputs).
int unlimited_depth(const std::vector<uint64_t>& freq) {
  using Item = std::pair<uint64_t, int>;  // weight, subtree depth
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  for (uint64_t f : freq) {
    if (f != 0) heap.push({f, 0});
  }
  while (heap.size() > 1) {
    const Item a = heap.top();
    heap.pop();
    const Item b = heap.top();
    heap.pop();
    heap.push({a.first + b.first, std::max(a.second, b.second) + 1});
  }
  return heap.empty() ? 0 : heap.top().second;
}

std::vector<uint64_t> histogram(const std::vector<uint16_t>& symbols, size_t alphabet) {
  std::vector<uint64_t> freq(alphabet, 0);
  for (uint16_t s : symbols) ++freq[s];
  return freq;
}

// The code as a bit string, MSB first, for prefix checks.
std::string code_string(const HuffmanCode& code, unsigned s) {
  std::string bits;
  for (int i = code.lengths()[s] - 1; i >= 0; --i) bits += ((code.code(s) >> i) & 1u) ? '1' : '0';
  return bits;
}

// Checks canonical assignment against the textbook rule, the prefix property and completeness.
void expect_canonical(const HuffmanCode& code) {
  const std::vector<uint8_t>& len = code.lengths();
  std::vector<unsigned> order;
  for (unsigned s = 0; s < len.size(); ++s) {
    ASSERT_LE(len[s], kMaxHuffmanLength);
    if (len[s] != 0) order.push_back(s);
  }
  std::sort(order.begin(), order.end(),
            [&](unsigned a, unsigned b) { return len[a] != len[b] ? len[a] < len[b] : a < b; });
  // Sorted by (length, symbol), each code is the previous one plus one, shifted to the new
  // length; the first is all zeros.
  uint64_t expected = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    const unsigned s = order[i];
    if (i > 0) expected = (expected + 1) << (len[s] - len[order[i - 1]]);
    EXPECT_EQ(code.code(s), expected) << "symbol " << s;
    EXPECT_LT(code.code(s), uint64_t{1} << len[s]);
  }
  // Prefix-free, and sorted codes are lexicographically increasing (shorter ones first).
  for (size_t i = 0; i < order.size(); ++i) {
    const std::string ci = code_string(code, order[i]);
    if (i > 0) {
      EXPECT_LT(code_string(code, order[i - 1]), ci);
    }
    for (size_t j = 0; j < order.size(); ++j) {
      if (i == j) continue;
      const std::string cj = code_string(code, order[j]);
      EXPECT_NE(cj.compare(0, ci.size(), ci), 0) << ci << " is a prefix of " << cj;
    }
  }
  if (order.size() >= 2) {
    uint64_t kraft = 0;
    for (unsigned s : order) kraft += uint64_t{1} << (kMaxHuffmanLength - len[s]);
    EXPECT_EQ(kraft, uint64_t{1} << kMaxHuffmanLength) << "code is not complete";
  }
}

// Builds a code from the histogram, encodes, checks the size against the independent optimum
// and decodes back.
void round_trip(const std::vector<uint16_t>& symbols, size_t alphabet) {
  const std::vector<uint64_t> freq = histogram(symbols, alphabet);
  const HuffmanCode code = HuffmanCode::build(freq);
  ASSERT_EQ(code.alphabet_size(), alphabet);
  expect_canonical(code);
  EXPECT_EQ(code.encoded_bits(freq), optimal_bits(freq));

  BitWriter w;
  code.encode(symbols, w);
  EXPECT_EQ(w.bit_count(), code.encoded_bits(freq));

  // The decoder sees only the stored lengths, as it would when reading a model file.
  const HuffmanCode stored = HuffmanCode::from_lengths(code.lengths());
  BitReader r(w.bytes().data(), w.bytes().size());
  EXPECT_EQ(stored.decode(r, symbols.size()), symbols);
  EXPECT_EQ(r.position(), w.bit_count());
  EXPECT_TRUE(r.at_clean_end());
}

std::vector<uint16_t> uniform_symbols(size_t n, unsigned alphabet, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<unsigned> dist(0, alphabet - 1);
  std::vector<uint16_t> out(n);
  for (uint16_t& s : out) s = static_cast<uint16_t>(dist(rng));
  return out;
}

std::vector<uint16_t> geometric_symbols(size_t n, unsigned alphabet, double p, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::geometric_distribution<unsigned> dist(p);
  std::vector<uint16_t> out(n);
  for (uint16_t& s : out) s = static_cast<uint16_t>(std::min(dist(rng), alphabet - 1));
  return out;
}

TEST(Huffman, RoundTripUniform16) { round_trip(uniform_symbols(10000, 16, 1), 16); }

TEST(Huffman, RoundTripUniform256) { round_trip(uniform_symbols(20000, 256, 2), 256); }

TEST(Huffman, RoundTripGeometric16) {
  for (double p : {0.1, 0.3, 0.6, 0.9}) {
    SCOPED_TRACE(p);
    round_trip(geometric_symbols(10000, 16, p, 3), 16);
  }
}

TEST(Huffman, RoundTripGeometric256) {
  for (double p : {0.01, 0.05, 0.2, 0.7}) {
    SCOPED_TRACE(p);
    round_trip(geometric_symbols(20000, 256, p, 4), 256);
  }
}

TEST(Huffman, RoundTripSparseAlphabet) {
  // Only a few scattered symbols of a 256 alphabet are used.
  std::vector<uint16_t> symbols = uniform_symbols(5000, 5, 5);
  for (uint16_t& s : symbols) s = static_cast<uint16_t>(s * 50 + 3);
  round_trip(symbols, 256);
}

TEST(Huffman, RoundTripManySeeds) {
  for (uint64_t seed = 10; seed < 40; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937_64 rng(seed);
    const unsigned alphabet = seed % 2 == 0 ? 16 : 256;
    const size_t n = static_cast<size_t>(rng() % 3000);
    round_trip(geometric_symbols(n, alphabet, 0.02 + 0.03 * static_cast<double>(seed % 10), seed),
               alphabet);
  }
}

TEST(Huffman, SingleSymbol) {
  const std::vector<uint16_t> symbols(100, 7);
  round_trip(symbols, 16);
  const HuffmanCode code = HuffmanCode::build(histogram(symbols, 16));
  std::vector<uint8_t> expected(16, 0);
  expected[7] = 1;
  EXPECT_EQ(code.lengths(), expected);
  EXPECT_EQ(code.code(7), 0u);
}

TEST(Huffman, SingleSymbolRejectsInvalidCode) {
  std::vector<uint8_t> lengths(16, 0);
  lengths[3] = 1;
  const HuffmanCode code = HuffmanCode::from_lengths(lengths);
  const uint8_t data[] = {0x02};  // bits 0, 1, 0...: the second symbol reads the unused code "1"
  BitReader r(data, 1);
  try {
    code.decode(r, 2);
    FAIL() << "expected eie::Error";
  } catch (const eie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("invalid code at bit 1"), std::string::npos) << e.what();
  }
}

TEST(Huffman, TwoSymbols) {
  std::vector<uint16_t> symbols = uniform_symbols(3000, 2, 6);
  for (uint16_t& s : symbols) s = s == 0 ? 4 : 11;
  round_trip(symbols, 16);
  const HuffmanCode code = HuffmanCode::build(histogram(symbols, 16));
  EXPECT_EQ(code.lengths()[4], 1);
  EXPECT_EQ(code.lengths()[11], 1);
  EXPECT_EQ(code.code(4), 0u);
  EXPECT_EQ(code.code(11), 1u);
}

TEST(Huffman, NoSymbols) {
  const HuffmanCode code = HuffmanCode::build(std::vector<uint64_t>(16, 0));
  EXPECT_EQ(code.lengths(), std::vector<uint8_t>(16, 0));
  EXPECT_EQ(code.encoded_bits(std::vector<uint64_t>(16, 0)), 0u);
  BitWriter w;
  code.encode({}, w);
  EXPECT_EQ(w.bit_count(), 0u);
  BitReader r(nullptr, 0);
  EXPECT_TRUE(code.decode(r, 0).empty());
  EXPECT_THROW(code.decode(r, 1), eie::Error);
  EXPECT_THROW(code.encode({0}, w), eie::Error);

  const HuffmanCode empty_alphabet = HuffmanCode::build({});
  EXPECT_EQ(empty_alphabet.alphabet_size(), 0u);
}

TEST(Huffman, KnownLengthsAndCodes) {
  // Lengths 3,3,2,1 -> canonical codes: 3 -> 0, 2 -> 10, 0 -> 110, 1 -> 111.
  const HuffmanCode code = HuffmanCode::build({1, 1, 2, 4});
  EXPECT_EQ(code.lengths(), (std::vector<uint8_t>{3, 3, 2, 1}));
  EXPECT_EQ(code.code(3), 0b0u);
  EXPECT_EQ(code.code(2), 0b10u);
  EXPECT_EQ(code.code(0), 0b110u);
  EXPECT_EQ(code.code(1), 0b111u);
  EXPECT_EQ(code.encoded_bits({1, 1, 2, 4}), 3u + 3u + 4u + 4u);
}

TEST(Huffman, TiesBrokenBySymbolValue) {
  // All equal: lower symbols are merged first, so the odd one out is the highest symbol.
  EXPECT_EQ(HuffmanCode::build({1, 1, 1}).lengths(), (std::vector<uint8_t>{2, 2, 1}));
  EXPECT_EQ(HuffmanCode::build({5, 5, 5, 5}).lengths(), (std::vector<uint8_t>{2, 2, 2, 2}));
  const std::vector<uint64_t> freq = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3};
  EXPECT_EQ(HuffmanCode::build(freq).lengths(), HuffmanCode::build(freq).lengths());
  // Permuting equal frequencies of a symmetric distribution keeps the lengths sorted by symbol.
  const std::vector<uint8_t> lengths = HuffmanCode::build({2, 2, 2, 2, 2}).lengths();
  EXPECT_TRUE(std::is_sorted(lengths.rbegin(), lengths.rend()));
}

TEST(Huffman, ExhaustiveSmallFrequenciesAreOptimal) {
  std::vector<uint64_t> freq(4, 0);
  for (int combo = 0; combo < 6 * 6 * 6 * 6; ++combo) {
    int c = combo;
    for (uint64_t& f : freq) {
      f = static_cast<uint64_t>(c % 6);
      c /= 6;
    }
    const HuffmanCode code = HuffmanCode::build(freq);
    ASSERT_EQ(code.encoded_bits(freq), optimal_bits(freq)) << "combo " << combo;
    expect_canonical(code);
  }
}

TEST(Huffman, LengthLimitWithFibonacciFrequencies) {
  // Fibonacci counts give a degenerate tree: depth 39 for 40 symbols without the limit.
  std::vector<uint64_t> freq(40);
  freq[0] = freq[1] = 1;
  for (size_t i = 2; i < freq.size(); ++i) freq[i] = freq[i - 1] + freq[i - 2];
  ASSERT_GT(unlimited_depth(freq), kMaxHuffmanLength);  // so the limit really is exercised
  const HuffmanCode code = HuffmanCode::build(freq);
  const std::vector<uint8_t>& len = code.lengths();
  EXPECT_LE(*std::max_element(len.begin(), len.end()), kMaxHuffmanLength);
  EXPECT_TRUE(std::none_of(len.begin(), len.end(), [](uint8_t l) { return l == 0; }));
  expect_canonical(code);
  // Limited is never better than unlimited, and rescaling loses only a little here.
  const uint64_t bits = code.encoded_bits(freq);
  EXPECT_GE(bits, optimal_bits(freq));
  EXPECT_LE(static_cast<double>(bits), 1.01 * static_cast<double>(optimal_bits(freq)));

  // A stream using every symbol, rarest included, round-trips through the stored lengths.
  std::vector<uint16_t> symbols;
  for (uint16_t s = 0; s < 40; ++s) symbols.insert(symbols.end(), 3, s);
  std::shuffle(symbols.begin(), symbols.end(), std::mt19937_64(8));
  BitWriter w;
  code.encode(symbols, w);
  BitReader r(w.bytes().data(), w.bytes().size());
  EXPECT_EQ(HuffmanCode::from_lengths(len).decode(r, symbols.size()), symbols);
}

TEST(Huffman, LengthLimitWithHugeFrequencies) {
  // Totals that overflow 64 bits are also handled by rescaling.
  const uint64_t big = ~uint64_t{0};
  const HuffmanCode code = HuffmanCode::build({big, big, 1, big / 3, 0, 7});
  EXPECT_EQ(code.lengths()[4], 0);
  expect_canonical(code);
}

TEST(Huffman, FromLengthsMatchesBuild) {
  const std::vector<uint64_t> freq = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3};
  const HuffmanCode built = HuffmanCode::build(freq);
  const HuffmanCode stored = HuffmanCode::from_lengths(built.lengths());
  ASSERT_EQ(stored.lengths(), built.lengths());
  for (unsigned s = 0; s < freq.size(); ++s) EXPECT_EQ(stored.code(s), built.code(s));
}

TEST(Huffman, FromLengthsAcceptsValidCodes) {
  EXPECT_NO_THROW(HuffmanCode::from_lengths({1, 2, 3, 3}));
  EXPECT_NO_THROW(HuffmanCode::from_lengths({0, 1, 0}));
  EXPECT_NO_THROW(HuffmanCode::from_lengths({0, 0, 0}));
  EXPECT_NO_THROW(HuffmanCode::from_lengths({}));
  // Lengths 1..24 plus a second 24: complete, and the longest allowed.
  std::vector<uint8_t> longest;
  for (int l = 1; l <= kMaxHuffmanLength; ++l) longest.push_back(static_cast<uint8_t>(l));
  longest.push_back(kMaxHuffmanLength);
  const HuffmanCode code = HuffmanCode::from_lengths(longest);
  expect_canonical(code);
  EXPECT_EQ(code.code(kMaxHuffmanLength), (1u << kMaxHuffmanLength) - 1);
}

void expect_rejected(const std::vector<uint8_t>& lengths, const std::string& fragment) {
  try {
    HuffmanCode::from_lengths(lengths);
    ADD_FAILURE() << "expected eie::Error containing '" << fragment << "'";
  } catch (const eie::Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Huffman, FromLengthsRejectsBadCodes) {
  expect_rejected({1, 1, 2}, "over-subscribed");
  expect_rejected({1, 1, 1}, "over-subscribed");
  expect_rejected({1, 2}, "incomplete");
  expect_rejected({2, 2, 2, 0}, "incomplete");
  expect_rejected({0, 2, 0}, "incomplete");  // a lone symbol must have length 1
  expect_rejected({1, 25}, "exceeds the maximum");
  std::vector<uint8_t> too_long;
  for (int l = 1; l <= kMaxHuffmanLength + 1; ++l) too_long.push_back(static_cast<uint8_t>(l));
  too_long.push_back(kMaxHuffmanLength + 1);  // complete, but 25 bits deep
  expect_rejected(too_long, "exceeds the maximum");
  expect_rejected(std::vector<uint8_t>(65537, 0), "alphabet");
}

TEST(Huffman, EncodeRejectsUnknownSymbols) {
  const HuffmanCode code = HuffmanCode::build({5, 0, 3, 2});
  BitWriter w;
  EXPECT_THROW(code.encode({0, 4}, w), eie::Error);  // outside the alphabet
  EXPECT_THROW(code.encode({1}, w), eie::Error);     // unused symbol has no code
  EXPECT_THROW(code.encoded_bits({1, 1, 0, 0}), eie::Error);
  EXPECT_THROW(code.encoded_bits({0, 0, 0, 0, 1}), eie::Error);
  EXPECT_EQ(code.encoded_bits({1, 0, 1, 1, 0}), code.encoded_bits({1, 0, 1, 1}));
}

TEST(Huffman, DecodeRejectsTruncatedStream) {
  const std::vector<uint16_t> symbols = geometric_symbols(500, 16, 0.3, 9);
  const HuffmanCode code = HuffmanCode::build(histogram(symbols, 16));
  BitWriter w;
  code.encode(symbols, w);
  std::vector<uint8_t> bytes = w.bytes();
  bytes.pop_back();
  BitReader r(bytes.data(), bytes.size());
  try {
    code.decode(r, symbols.size());
    FAIL() << "expected eie::Error";
  } catch (const eie::Error& e) {
    EXPECT_NE(std::string(e.what()).find("ran out of data"), std::string::npos) << e.what();
  }

  // Asking for more symbols than were written also runs out (the padding is under a byte).
  BitReader full(w.bytes().data(), w.bytes().size());
  EXPECT_THROW(code.decode(full, symbols.size() + 8), eie::Error);
}

TEST(Huffman, DecodeStopsAtCount) {
  // Two streams back to back in one buffer: decode must consume exactly its own bits.
  const HuffmanCode code = HuffmanCode::build({10, 1, 3, 7, 2});
  const std::vector<uint16_t> first = {0, 1, 2, 3, 4, 0, 0};
  const std::vector<uint16_t> second = {4, 4, 3};
  BitWriter w;
  code.encode(first, w);
  const uint64_t split = w.bit_count();
  code.encode(second, w);
  BitReader r(w.bytes().data(), w.bytes().size());
  EXPECT_EQ(code.decode(r, first.size()), first);
  EXPECT_EQ(r.position(), split);
  EXPECT_EQ(code.decode(r, second.size()), second);
  EXPECT_TRUE(r.at_clean_end());
}

}  // namespace
