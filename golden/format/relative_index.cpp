#include "eie/relative_index.h"

#include "eie/error.h"

namespace eie {

namespace {

void check_rel_bits(int rel_bits) {
  require(rel_bits >= kMinRelBits && rel_bits <= kMaxRelBits,
          "relative index width {} outside "
          "[{}, {}] bits",
          rel_bits, kMinRelBits, kMaxRelBits);
}

// Calls emit(weight, gap) for every entry of m's relative stream, padding included.
template <typename Emit>
void walk_relative(const CodeMatrix& m, int rel_bits, Emit emit) {
  const uint64_t max_gap = (uint64_t{1} << rel_bits) - 1;
  uint64_t next = 0;  // first position not yet covered by an entry
  for (uint32_t j = 0; j < m.cols; ++j) {
    for (uint32_t e = m.col_ptr[j]; e < m.col_ptr[j + 1]; ++e) {
      const uint64_t q = uint64_t{j} * m.rows + m.row_idx[e];
      uint64_t gap = q - next;
      if (gap > max_gap) {
        const uint64_t pads = gap / (max_gap + 1);
        for (uint64_t p = 0; p < pads; ++p) emit(0u, static_cast<unsigned>(max_gap));
        gap -= pads * (max_gap + 1);
      }
      emit(unsigned{m.code[e]}, static_cast<unsigned>(gap));
      next = q + 1;
    }
  }
}

}  // namespace

size_t RelativeStream::padding() const {
  size_t n = 0;
  for (uint16_t w : weight) n += w == 0;
  return n;
}

RelativeStream encode_relative(const CodeMatrix& m, int rel_bits) {
  check_rel_bits(rel_bits);
  RelativeStream s;
  s.rel_bits = rel_bits;
  walk_relative(m, rel_bits, [&](unsigned w, unsigned gap) {
    s.weight.push_back(static_cast<uint16_t>(w));
    s.gap.push_back(static_cast<uint16_t>(gap));
  });
  return s;
}

size_t relative_entry_count(const CodeMatrix& m, int rel_bits) {
  check_rel_bits(rel_bits);
  size_t n = 0;
  walk_relative(m, rel_bits, [&](unsigned, unsigned) { ++n; });
  return n;
}

CodeMatrix decode_relative(const RelativeStream& s, uint32_t rows, uint32_t cols) {
  check_rel_bits(s.rel_bits);
  require(rows > 0 && cols > 0, "matrix shape {}x{} must be non-empty", rows, cols);
  require(s.weight.size() == s.gap.size(), "relative stream has {} weight indices but {} gaps",
          s.weight.size(), s.gap.size());
  const uint64_t max_gap = (uint64_t{1} << s.rel_bits) - 1;
  const uint64_t positions = uint64_t{rows} * cols;
  CodeMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.col_ptr.assign(size_t{cols} + 1, 0);
  uint64_t next = 0;
  uint32_t col = 0;  // column of the last stored non-zero; pointers filled up to it
  for (size_t e = 0; e < s.entries(); ++e) {
    require(s.weight[e] < kCodebookSize, "relative stream entry {}: weight index {} exceeds 15", e,
            s.weight[e]);
    require(s.gap[e] <= max_gap, "relative stream entry {}: gap {} exceeds {} for {}-bit indices",
            e, s.gap[e], max_gap, s.rel_bits);
    const uint64_t q = next + s.gap[e];
    require(q < positions, "relative stream entry {}: position {} is past the {}x{} matrix", e, q,
            rows, cols);
    next = q + 1;
    if (s.weight[e] == 0) {
      require(s.gap[e] == max_gap,
              "relative stream entry {}: padding (index 0) with gap {}, "
              "expected {}",
              e, s.gap[e], max_gap);
      require(e + 1 < s.entries(), "relative stream ends with a padding entry");
      continue;
    }
    const auto j = static_cast<uint32_t>(q / rows);
    for (; col < j; ++col) m.col_ptr[col + 1] = static_cast<uint32_t>(m.row_idx.size());
    m.row_idx.push_back(static_cast<uint32_t>(q % rows));
    m.code.push_back(static_cast<uint8_t>(s.weight[e]));
  }
  for (; col < cols; ++col) m.col_ptr[col + 1] = static_cast<uint32_t>(m.row_idx.size());
  return m;
}

}  // namespace eie
