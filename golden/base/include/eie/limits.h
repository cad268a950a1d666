// Resource limits of the tools (docs/reliability.md, "Resource limits"). Every size that a file
// or an option asks for is checked against these before anything is allocated, so that a small
// file cannot cost gigabytes of memory or minutes of work.
#pragma once

#include <cstdint>
#include <string>

namespace eie {

// Largest files the readers accept (a reader stops one byte past its format's own bound, and
// fails past these): LeNet-300-100 compresses to 25 KB, VGG-16's fc6 is 411 MB as float32.
constexpr uint64_t kMaxModelFileBytes = uint64_t{1} << 30;
constexpr uint64_t kMaxNpyFileBytes = uint64_t{1} << 31;
constexpr uint64_t kMaxIdxFileBytes = (uint64_t{1} << 31) + 16;

// 32-bit words of the buffers that a network's shape alone costs, whatever it stores: column
// pointers (the matrix's, its decoded copy's and one set per PE) and four words per row (bias,
// accumulator, row counts, activations). 2^26 words = 256 MiB.
constexpr uint64_t kMaxShapeWords = uint64_t{1} << 26;
// Dense weights of a network to train (eie deep-compress, eie dsd): the trainer keeps several
// float copies (weights, gradients, momentum, masks), about 1 GiB at this limit.
constexpr uint64_t kMaxTrainWeights = uint64_t{1} << 25;
// PEs the golden tools model (eie pack, eie infer --pe); the RTL builds go to 256.
constexpr uint32_t kMaxPe = 4096;

uint64_t shape_words(uint32_t rows, uint32_t cols, uint32_t num_pe);
// Adds a layer's shape words to `total` and throws eie::Error naming the layer (`what`) when the
// total passes kMaxShapeWords.
void add_shape_words(uint64_t& total, uint32_t rows, uint32_t cols, uint32_t num_pe,
                     const std::string& what);
// Adds `words` (a convolution's or pooling's tensors and patches) to `total`, likewise.
void add_window_words(uint64_t& total, uint64_t words, const std::string& what);

}  // namespace eie
