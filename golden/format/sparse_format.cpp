#include "eie/sparse_format.h"

#include <algorithm>
#include <utility>

#include "eie/error.h"
#include "eie/limits.h"

namespace eie {

void CodeMatrix::validate(const char* what) const {
  require(rows > 0 && cols > 0, "{}: shape {}x{} must be non-empty", what, rows, cols);
  require(col_ptr.size() == size_t{cols} + 1, "{}: {} column pointers, expected {}", what,
          col_ptr.size(), size_t{cols} + 1);
  require(row_idx.size() == code.size(), "{}: {} row indices but {} codes", what, row_idx.size(),
          code.size());
  require(col_ptr[0] == 0 && col_ptr[cols] == nnz(),
          "{}: column pointers span [{}, {}), expected "
          "[0, {})",
          what, col_ptr[0], col_ptr[cols], nnz());
  for (uint32_t j = 0; j < cols; ++j) {
    require(col_ptr[j] <= col_ptr[j + 1], "{}: column pointer {} decreases", what, j + 1);
    for (uint32_t e = col_ptr[j]; e < col_ptr[j + 1]; ++e) {
      require(row_idx[e] < rows, "{}: row {} in column {} is outside {} rows", what, row_idx[e], j,
              rows);
      require(e == col_ptr[j] || row_idx[e - 1] < row_idx[e],
              "{}: rows of column {} are not strictly increasing at row {}", what, j, row_idx[e]);
      require(code[e] >= 1 && code[e] < kCodebookSize,
              "{}: weight index {} at ({}, {}) must lie in 1..15 (0 is reserved for exact zero, "
              "used by padding)",
              what, code[e], row_idx[e], j);
    }
  }
}

CodeMatrix CodeMatrix::from_dense(uint32_t rows, uint32_t cols, const std::vector<uint8_t>& dense) {
  require(dense.size() == size_t{rows} * cols, "dense index matrix has {} values, expected {}x{}",
          dense.size(), rows, cols);
  CodeMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.col_ptr.assign(size_t{cols} + 1, 0);
  for (uint32_t j = 0; j < cols; ++j) {
    for (uint32_t i = 0; i < rows; ++i) {
      const uint8_t v = dense[size_t{i} * cols + j];
      if (v == 0) continue;
      require(v < kCodebookSize, "weight index {} at ({}, {}) exceeds 15", v, i, j);
      m.row_idx.push_back(i);
      m.code.push_back(v);
    }
    m.col_ptr[j + 1] = static_cast<uint32_t>(m.row_idx.size());
  }
  return m;
}

std::vector<uint8_t> CodeMatrix::to_dense() const {
  std::vector<uint8_t> dense(size_t{rows} * cols, 0);
  for (uint32_t j = 0; j < cols; ++j) {
    for (uint32_t e = col_ptr[j]; e < col_ptr[j + 1]; ++e)
      dense[size_t{row_idx[e]} * cols + j] = code[e];
  }
  return dense;
}

bool CodeMatrix::operator==(const CodeMatrix& o) const {
  return rows == o.rows && cols == o.cols && col_ptr == o.col_ptr && row_idx == o.row_idx &&
         code == o.code;
}

std::vector<uint64_t> PeSlice::words() const {
  std::vector<uint64_t> w((entries.size() + kEntriesPerWord - 1) / kEntriesPerWord, 0);
  for (size_t e = 0; e < entries.size(); ++e) {
    w[e / kEntriesPerWord] |= uint64_t{entries[e]} << (8 * (e % kEntriesPerWord));
  }
  return w;
}

std::vector<uint32_t> PeSlice::pointer_bank(int bank) const {
  std::vector<uint32_t> out;
  for (size_t j = static_cast<size_t>(bank); j < ptr.size(); j += 2) out.push_back(ptr[j]);
  return out;
}

size_t PeSlice::padding() const {
  size_t n = 0;
  for (uint8_t e : entries) n += entry_v(e) == 0;
  return n;
}

size_t PackedLayer::total_entries() const {
  size_t n = 0;
  for (const PeSlice& s : pe) n += s.entries.size();
  return n;
}

size_t PackedLayer::max_entries() const {
  size_t n = 0;
  for (const PeSlice& s : pe) n = std::max(n, s.entries.size());
  return n;
}

PackedLayer pack(const CodeMatrix& m, uint32_t num_pe) {
  require(num_pe >= 1 && num_pe <= kMaxPe, "number of PEs {} outside 1..{}", num_pe, kMaxPe);
  uint64_t words = 0;
  add_shape_words(words, m.rows, m.cols, num_pe, "matrix");
  m.validate();
  PackedLayer p;
  p.rows = m.rows;
  p.cols = m.cols;
  p.num_pe = num_pe;
  p.pe.resize(num_pe);
  for (PeSlice& s : p.pe) s.ptr.assign(size_t{m.cols} + 1, 0);
  // next_local[k]: the first local row of PE k not yet covered in the current column.
  std::vector<uint32_t> next_local(num_pe);
  for (uint32_t j = 0; j < m.cols; ++j) {
    std::fill(next_local.begin(), next_local.end(), 0);
    for (uint32_t e = m.col_ptr[j]; e < m.col_ptr[j + 1]; ++e) {
      const uint32_t k = m.row_idx[e] % num_pe;
      const uint32_t local = m.row_idx[e] / num_pe;
      PeSlice& s = p.pe[k];
      uint32_t gap = local - next_local[k];
      while (gap > kMaxZeroCount) {  // padding entry: skips 15 rows and occupies a 16th
        s.entries.push_back(make_entry(0, kMaxZeroCount));
        gap -= kMaxZeroCount + 1;
      }
      s.entries.push_back(make_entry(m.code[e], gap));
      next_local[k] = local + 1;
    }
    for (PeSlice& s : p.pe) s.ptr[j + 1] = static_cast<uint32_t>(s.entries.size());
  }
  return p;
}

CodeMatrix unpack(const PackedLayer& p) {
  require(p.num_pe >= 1 && p.pe.size() == p.num_pe, "packed layer has {} slices for {} PEs",
          p.pe.size(), p.num_pe);
  require(p.rows > 0 && p.cols > 0, "packed layer shape {}x{} must be non-empty", p.rows, p.cols);
  for (uint32_t k = 0; k < p.num_pe; ++k) {
    const PeSlice& s = p.pe[k];
    require(s.ptr.size() == size_t{p.cols} + 1, "PE {}: {} pointers, expected {}", k, s.ptr.size(),
            size_t{p.cols} + 1);
    require(s.ptr[0] == 0 && s.ptr[p.cols] == s.entries.size(),
            "PE {}: pointers span [{}, {}), expected [0, {})", k, s.ptr[0], s.ptr[p.cols],
            s.entries.size());
    for (uint32_t j = 0; j < p.cols; ++j) {
      require(s.ptr[j] <= s.ptr[j + 1], "PE {}: pointer {} decreases", k, j + 1);
    }
  }
  CodeMatrix m;
  m.rows = p.rows;
  m.cols = p.cols;
  m.col_ptr.assign(size_t{p.cols} + 1, 0);
  std::vector<std::pair<uint32_t, uint8_t>> column;  // (row, v) gathered from every PE
  for (uint32_t j = 0; j < p.cols; ++j) {
    column.clear();
    for (uint32_t k = 0; k < p.num_pe; ++k) {
      const PeSlice& s = p.pe[k];
      const uint32_t local_rows = p.local_rows(k);
      uint64_t local = 0;
      for (uint32_t e = s.ptr[j]; e < s.ptr[j + 1]; ++e) {
        const unsigned v = entry_v(s.entries[e]);
        const unsigned z = entry_z(s.entries[e]);
        local = entry_row(e == s.ptr[j], local, s.entries[e]);
        require(local < local_rows, "PE {} column {}: entry {} lands on local row {} of {}", k, j,
                e, local, local_rows);
        if (v == 0) {
          require(z == kMaxZeroCount,
                  "PE {} column {}: entry {} has index 0 but zero count {} (padding must be v=0, "
                  "z=15)",
                  k, j, e, z);
          require(e + 1 < s.ptr[j + 1], "PE {} column {}: padding entry {} ends the column", k, j,
                  e);
        } else {
          column.emplace_back(static_cast<uint32_t>(local * p.num_pe + k), static_cast<uint8_t>(v));
        }
      }
    }
    std::sort(column.begin(), column.end());
    for (const auto& [row, v] : column) {
      m.row_idx.push_back(row);
      m.code.push_back(v);
    }
    m.col_ptr[j + 1] = static_cast<uint32_t>(m.row_idx.size());
  }
  return m;
}

}  // namespace eie
