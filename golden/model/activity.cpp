#include "eie/activity.h"

#include <algorithm>

#include "eie/error.h"
#include "eie/sparse_format.h"

namespace eie {

namespace {

const LayerDescriptor& checked_layer(const MemoryImage& image, size_t layer,
                                     const std::vector<int16_t>& input) {
  require(layer < image.layers.size(), "layer {} of an image with {} layers", layer,
          image.layers.size());
  const LayerDescriptor& d = image.layers[layer];
  require(input.size() == d.cols, "layer {} takes {} inputs, got {}", layer + 1, d.cols,
          input.size());
  return d;
}

// Words a column of entries [start, end) touches, per_word entries to a word.
uint64_t words_touched(uint64_t start, uint64_t end, uint64_t per_word) {
  return end == start ? 0 : (end - 1) / per_word - start / per_word + 1;
}

}  // namespace

std::vector<PeLayerActivity> predict_layer_activity(const MemoryImage& image, size_t layer,
                                                    const std::vector<int16_t>& input) {
  const LayerDescriptor& d = checked_layer(image, layer, input);
  const uint32_t n = image.config.pes();
  std::vector<PeLayerActivity> out(n);
  for (uint32_t k = 0; k < n; ++k) {
    PeLayerActivity& a = out[k];
    const std::vector<uint32_t>& ptr = image.pe[k].pointers;
    const std::vector<uint64_t>& words = image.pe[k].spmat;
    a.rows = d.rows > k ? (d.rows - k + n - 1) / n : 0;
    std::vector<bool> touched(a.rows, false);
    for (uint32_t j = 0; j < d.cols; ++j) {
      if (input[j] == 0) continue;  // the LNZD never broadcasts a zero
      ++a.broadcasts;
      const uint64_t start = ptr[d.ptr_base + j], end = ptr[d.ptr_base + j + 1];
      if (end == start) continue;  // dropped at the pointer read
      ++a.columns;
      a.spmat_words += words_touched(start, end, kEntriesPerWord);
      require((end - 1) / kEntriesPerWord < words.size(), "PE {}: entry {} beyond its {} words", k,
              end - 1, words.size());
      const auto entry_at = [&](uint64_t e) {
        return entry_in_word(words[e / kEntriesPerWord], e);
      };
      uint64_t row = 0;
      bool issued = true;  // E issues the column's first entry, then skips as e_skips_next says
      for (uint64_t e = start; e < end; ++e) {
        row = entry_row(e == start, row, entry_at(e));
        require(row < a.rows, "PE {}: layer {} entry {} at local row {} of {}", k, layer + 1, e,
                row, a.rows);
        if (issued) {
          ++a.entries;
          if (!touched[row]) {
            touched[row] = true;
            ++a.touched_rows;
          }
        }
        issued = !issued || !e_skips_next(start, end, e, entry_at);
      }
    }
    a.groups = (uint64_t{d.cols} + n - 1) / n;
  }
  return out;
}

std::vector<uint64_t> spmat_word_reads(const MemoryImage& image, size_t layer,
                                       const std::vector<int16_t>& input, uint32_t word_bits) {
  const LayerDescriptor& d = checked_layer(image, layer, input);
  require(word_bits >= 8 && word_bits % 8 == 0 && word_bits <= 4096,
          "sparse-matrix word of {} bits: a multiple of 8 up to 4096", word_bits);
  const uint32_t n = image.config.pes();
  std::vector<uint64_t> out(n, 0);
  for (uint32_t k = 0; k < n; ++k) {
    const std::vector<uint32_t>& ptr = image.pe[k].pointers;
    for (uint32_t j = 0; j < d.cols; ++j) {
      if (input[j] != 0) {
        out[k] += words_touched(ptr[d.ptr_base + j], ptr[d.ptr_base + j + 1], word_bits / 8);
      }
    }
  }
  return out;
}

uint64_t broadcast_floor(const std::vector<int16_t>& input, uint32_t n) {
  require(n >= 1, "broadcast floor on {} PEs", n);
  uint64_t cycles = 0;
  for (size_t base = 0; base < input.size(); base += n) {
    uint64_t nonzero = 0;
    for (size_t i = base; i < std::min(input.size(), base + n); ++i) nonzero += input[i] != 0;
    cycles += nonzero == 0 ? 1 : nonzero;
  }
  return cycles;
}

}  // namespace eie
