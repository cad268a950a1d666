#include "eie/bitstream.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "eie/error.h"

namespace {

using eie::BitReader;
using eie::BitWriter;

// Independent packing of a bit sequence by the stated rule: stream bit i goes to bit (i % 8) of
// byte (i / 8).
std::vector<uint8_t> pack_bits(const std::vector<int>& bits) {
  std::vector<uint8_t> bytes((bits.size() + 7) / 8, 0);
  for (size_t i = 0; i < bits.size(); ++i) {
    if (bits[i]) bytes[i / 8] = static_cast<uint8_t>(bytes[i / 8] | (1 << (i % 8)));
  }
  return bytes;
}

// The bits of the low `width` bits of value, most significant first.
void append_msb_first(uint32_t value, int width, std::vector<int>& bits) {
  for (int i = width - 1; i >= 0; --i) bits.push_back(static_cast<int>((value >> i) & 1u));
}

TEST(BitWriter, FirstBitGoesToLsbAndValuesAreMsbFirst) {
  BitWriter w;
  w.put(0b101, 3);  // bits 0, 1, 2 = 1, 0, 1
  EXPECT_EQ(w.bytes(), std::vector<uint8_t>{0x05});
  w.put(1, 1);  // bit 3
  EXPECT_EQ(w.bytes(), std::vector<uint8_t>{0x0D});
  EXPECT_EQ(w.bit_count(), 4u);
}

TEST(BitWriter, ValueSpanningBytes) {
  BitWriter w;
  // 0xABC = 1010 1011 1100: stream bits 0..7 = 1,0,1,0,1,0,1,1 -> 0xD5; bits 8..11 = 1,1,0,0.
  w.put(0xABC, 12);
  EXPECT_EQ(w.bytes(), (std::vector<uint8_t>{0xD5, 0x03}));
  EXPECT_EQ(w.bit_count(), 12u);
}

TEST(BitWriter, ZeroWidthIsNoOpAndHighBitsAreIgnored) {
  BitWriter w;
  w.put(0xFFFFFFFFu, 0);
  EXPECT_EQ(w.bit_count(), 0u);
  EXPECT_TRUE(w.bytes().empty());
  w.put(0xF3, 2);  // only the low bits "11" count
  EXPECT_EQ(w.bytes(), std::vector<uint8_t>{0x03});
  EXPECT_EQ(w.bit_count(), 2u);
}

TEST(BitWriter, ThirtyTwoBitValue) {
  BitWriter w;
  w.put(1, 1);
  w.put(0x80000001u, 32);
  // Stream: 1, then 1, 30 zeros, 1 -> bits 0, 1 and 32 set.
  EXPECT_EQ(w.bytes(), (std::vector<uint8_t>{0x03, 0x00, 0x00, 0x00, 0x01}));
  EXPECT_EQ(w.bit_count(), 33u);
}

TEST(BitWriter, RejectsBadWidth) {
  BitWriter w;
  EXPECT_THROW(w.put(0, 33), eie::Error);
  EXPECT_THROW(w.put(0, -1), eie::Error);
  EXPECT_EQ(w.bit_count(), 0u);
}

TEST(BitWriter, MatchesIndependentPackingOnRandomFields) {
  std::mt19937_64 rng(12345);
  std::uniform_int_distribution<int> width_dist(0, 32);
  BitWriter w;
  std::vector<int> bits;
  for (int i = 0; i < 2000; ++i) {
    const int width = width_dist(rng);
    const uint32_t value = static_cast<uint32_t>(rng());
    w.put(value, width);
    append_msb_first(value, width, bits);
  }
  EXPECT_EQ(w.bit_count(), bits.size());
  EXPECT_EQ(w.bytes(), pack_bits(bits));
}

TEST(BitReader, ReadsLsbFirstWithinByte) {
  const uint8_t data[] = {0x0D};  // bits 0..7 = 1,0,1,1,0,0,0,0
  BitReader r(data, 1);
  EXPECT_EQ(r.size_bits(), 8u);
  EXPECT_EQ(r.get(3), 0b101u);
  EXPECT_EQ(r.position(), 3u);
  EXPECT_EQ(r.bit(), 1u);
  EXPECT_EQ(r.bit(), 0u);
  EXPECT_EQ(r.get(0), 0u);
  EXPECT_EQ(r.get(3), 0u);
  EXPECT_EQ(r.position(), 8u);
}

TEST(BitReader, ValueSpanningBytes) {
  const uint8_t data[] = {0xD5, 0x03};
  BitReader r(data, 2);
  EXPECT_EQ(r.get(12), 0xABCu);
  EXPECT_EQ(r.get(4), 0u);
}

TEST(BitReader, ReadingPastEndThrows) {
  const uint8_t data[] = {0xFF};
  BitReader r(data, 1);
  EXPECT_THROW(r.get(9), eie::Error);
  EXPECT_EQ(r.position(), 0u);  // a failed read consumes nothing
  EXPECT_EQ(r.get(8), 0xFFu);
  EXPECT_THROW(r.bit(), eie::Error);
  EXPECT_THROW(r.get(1), eie::Error);
  EXPECT_EQ(r.get(0), 0u);

  BitReader empty(nullptr, 0);
  EXPECT_THROW(empty.bit(), eie::Error);
  EXPECT_THROW(empty.get(33), eie::Error);
}

TEST(BitReader, AtCleanEnd) {
  BitReader empty(nullptr, 0);
  EXPECT_TRUE(empty.at_clean_end());

  const uint8_t zero[] = {0x00};
  BitReader z(zero, 1);
  EXPECT_FALSE(z.at_clean_end());  // 8 unread bits are a whole byte, not padding
  z.bit();
  EXPECT_TRUE(z.at_clean_end());

  const uint8_t data[] = {0x0D};
  BitReader r(data, 1);
  r.get(3);
  EXPECT_FALSE(r.at_clean_end());  // bit 3 is set
  r.bit();
  EXPECT_TRUE(r.at_clean_end());
  r.get(4);
  EXPECT_TRUE(r.at_clean_end());

  const uint8_t two[] = {0xFF, 0x01, 0x00};
  BitReader t(two, 3);
  t.get(9);
  EXPECT_FALSE(t.at_clean_end());  // 15 bits remain
  t.get(8);
  EXPECT_TRUE(t.at_clean_end());
}

TEST(BitStream, RandomRoundTrip) {
  std::mt19937_64 rng(777);
  std::uniform_int_distribution<int> width_dist(0, 32);
  std::vector<std::pair<uint32_t, int>> fields;
  BitWriter w;
  for (int i = 0; i < 5000; ++i) {
    const int width = width_dist(rng);
    const uint32_t mask = width == 32 ? 0xFFFFFFFFu : (1u << width) - 1;
    const uint32_t value = static_cast<uint32_t>(rng()) & mask;
    fields.emplace_back(value, width);
    w.put(value, width);
  }
  BitReader r(w.bytes().data(), w.bytes().size());
  for (const auto& [value, width] : fields) ASSERT_EQ(r.get(width), value);
  EXPECT_EQ(r.position(), w.bit_count());
  EXPECT_TRUE(r.at_clean_end());
}

}  // namespace
