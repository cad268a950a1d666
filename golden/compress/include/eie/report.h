// The compression report, laid out like Table 2 of the Deep Compression paper: per layer and in
// total, the share of weights kept and the bits per weight and per index before and after Huffman
// coding, with byte counts and the rate against float32 dense storage. Every size is a real
// serialization (codebooks, biases, padding, headers included): the P+Q columns use the smallest
// fixed-width coding, the P+Q+H columns the smallest Huffman coding, and file_bytes the coding the
// model file actually has.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eie/model_file.h"

namespace eie {

inline double ratio_of(uint64_t a, uint64_t b) {
  return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0;
}

struct StageSize {
  int rel_bits = 0;          // relative index width chosen for this stage
  uint64_t entries = 0;      // stored entries, padding included
  double weight_bits = 0.0;  // weight-index stream bits per non-zero weight
  double index_bits = 0.0;   // relative-index stream bits per non-zero weight
  uint64_t bytes = 0;        // the layer's section in the model file
};

struct LayerReport {
  std::string name;
  uint32_t rows = 0;
  uint32_t cols = 0;
  uint64_t weights = 0;  // rows * cols
  uint64_t nonzeros = 0;
  uint64_t dense_bytes = 0;  // float32 weights and biases
  StageSize pq;              // pruning + quantization: fixed-width streams
  StageSize pqh;             // + Huffman coding

  double kept() const {
    return weights ? static_cast<double>(nonzeros) / static_cast<double>(weights) : 0.0;
  }
  double rate_pq() const { return ratio_of(pq.bytes, dense_bytes); }
  double rate_pqh() const { return ratio_of(pqh.bytes, dense_bytes); }
};

struct CompressionReport {
  std::vector<LayerReport> layers;
  LayerReport total;        // sums; bits weighted by non-zeros; bytes include file overhead
  uint64_t file_bytes = 0;  // the model file as written (its own coding)

  double ratio() const { return ratio_of(total.dense_bytes, file_bytes); }
};

CompressionReport make_report(const ModelFile& model);
std::string format_report_text(const CompressionReport& report);
std::string format_report_json(const CompressionReport& report);

}  // namespace eie
