// The model file (docs/format.md, "Model file"): a versioned, checksummed binary container of a
// compressed network, independent of the number of PEs. Readers validate everything and reject
// truncated, corrupt or inconsistent files with an eie::Error naming the file, the layer and the
// field; writers are atomic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eie/network.h"

namespace eie {

constexpr char kModelMagic[9] = "EIEMODEL";
// 2 adds the output order, 3 layer types, 4 the LSTM, 5 the input order; all five are read. A
// writer writes the oldest version that holds the network: 5 only when it has an input order, 4
// only when it has an LSTM (docs/format.md, section 6).
constexpr uint16_t kModelVersion = 5;
constexpr uint32_t kMaxLayers = 256;

enum class StreamCoding : uint8_t { kFixed = 0, kHuffman = 1 };

// How a layer's relative-index stream is stored. With huffman = true each of the two streams
// (weight indices, gaps) is Huffman-coded unless fixed-width coding is smaller for it.
struct LayerCoding {
  int rel_bits = 4;
  bool huffman = true;
};

struct ModelFile {
  Network net;
  std::vector<LayerCoding> coding;  // one per layer
};

// The coding of one layer with the rel_bits in [1, 8] that makes its section smallest.
LayerCoding best_coding(const Layer& layer, bool huffman);

// Sizes of one layer's section as serialize_model writes it, and the streams' payload bits.
struct SectionSize {
  uint64_t total_bytes = 0;  // the whole section, its length field included
  uint64_t entries = 0;      // stored entries, padding included
  uint64_t padding = 0;
  uint64_t weight_bits = 0;  // payload bits of the weight-index stream as coded
  uint64_t index_bits = 0;   // payload bits of the gap stream as coded
  StreamCoding weight_coding = StreamCoding::kFixed;
  StreamCoding index_coding = StreamCoding::kFixed;
};
SectionSize layer_section_size(const Layer& layer, const LayerCoding& coding);

std::vector<uint8_t> serialize_model(const ModelFile& model);
// `source` names the data in error messages (usually the path).
ModelFile parse_model(const std::vector<uint8_t>& bytes, const std::string& source);

// The most bytes a model file whose first bytes are `head` can hold (its header and section
// lengths), for read_file's bound; kMaxModelFileBytes while that is not yet known.
uint64_t model_size_bound(const std::vector<uint8_t>& head);
ModelFile read_model(const std::string& path);
void write_model(const std::string& path, const ModelFile& model);

// A model with best_coding for every layer.
ModelFile make_model_file(Network net, bool huffman = true);

}  // namespace eie
