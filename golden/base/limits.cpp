#include "eie/limits.h"

#include "eie/error.h"

namespace eie {

uint64_t shape_words(uint32_t rows, uint32_t cols, uint32_t num_pe) {
  return (uint64_t{num_pe} + 2) * (uint64_t{cols} + 1) + 4 * uint64_t{rows};
}

void add_shape_words(uint64_t& total, uint32_t rows, uint32_t cols, uint32_t num_pe,
                     const std::string& what) {
  total += shape_words(rows, cols, num_pe);
  require(total <= kMaxShapeWords,
          "{} ({}x{}) brings the buffers the network's shape needs{} to {} words of 32 bits, over "
          "the limit of {} ({} MiB; docs/reliability.md, \"Resource limits\")",
          what, rows, cols, num_pe > 0 ? fmt::format(" at {} PEs", num_pe) : std::string(), total,
          kMaxShapeWords, kMaxShapeWords * 4 >> 20);
}

void add_window_words(uint64_t& total, uint64_t words, const std::string& what) {
  total += words;
  require(total <= kMaxShapeWords,
          "{} (its input and output tensors and one patch per output position) brings the buffers "
          "the network's shape needs to {} words of 32 bits, over the limit of {} ({} MiB; "
          "docs/reliability.md, \"Resource limits\")",
          what, total, kMaxShapeWords, kMaxShapeWords * 4 >> 20);
}

}  // namespace eie
