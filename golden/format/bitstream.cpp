#include "eie/bitstream.h"

#include "eie/error.h"

namespace eie {

void BitWriter::put(uint32_t value, int bits) {
  require(bits >= 0 && bits <= 32, "BitWriter: cannot write {} bits at once (0..32)", bits);
  for (int i = bits - 1; i >= 0; --i) {
    const unsigned offset = static_cast<unsigned>(bit_count_ % 8);
    if (offset == 0) bytes_.push_back(0);
    if ((value >> i) & 1u) bytes_.back() = static_cast<uint8_t>(bytes_.back() | (1u << offset));
    ++bit_count_;
  }
}

unsigned BitReader::bit() {
  require(pos_ < size_bits(), "bit stream: read past the end ({} bits)", size_bits());
  const unsigned b = (data_[pos_ / 8] >> (pos_ % 8)) & 1u;
  ++pos_;
  return b;
}

uint32_t BitReader::get(int bits) {
  require(bits >= 0 && bits <= 32, "BitReader: cannot read {} bits at once (0..32)", bits);
  // Checked up front so a failed read leaves the position where it was.
  require(static_cast<uint64_t>(bits) <= size_bits() - pos_,
          "bit stream: reading {} bits at bit {} runs past the end ({} bits)", bits, pos_,
          size_bits());
  uint32_t value = 0;
  for (int i = 0; i < bits; ++i) value = (value << 1) | bit();
  return value;
}

bool BitReader::at_clean_end() const {
  if (size_bits() - pos_ >= 8) return false;
  for (uint64_t p = pos_; p < size_bits(); ++p) {
    if ((data_[p / 8] >> (p % 8)) & 1u) return false;
  }
  return true;
}

}  // namespace eie
