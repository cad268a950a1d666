#include "eie/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace eie {

namespace {

// File bytes outside the layer sections: header, output-order count and CRC trailer.
constexpr uint64_t kFileOverheadBytes = 20 + 4 + 4;

StageSize stage_size(const Layer& layer, const LayerCoding& coding) {
  const SectionSize s = layer_section_size(layer, coding);
  const double nnz = static_cast<double>(std::max<size_t>(layer.weights.nnz(), 1));
  return {coding.rel_bits, s.entries, static_cast<double>(s.weight_bits) / nnz,
          static_cast<double>(s.index_bits) / nnz, s.total_bytes};
}

// Adds `part` into `sum`, weighting bits per weight by non-zeros.
void accumulate(StageSize& sum, const StageSize& part, uint64_t part_nnz, uint64_t sum_nnz) {
  const double w_old = static_cast<double>(sum_nnz);
  const double w_new = static_cast<double>(sum_nnz + part_nnz);
  if (w_new > 0) {
    const auto n = static_cast<double>(part_nnz);
    sum.weight_bits = (sum.weight_bits * w_old + part.weight_bits * n) / w_new;
    sum.index_bits = (sum.index_bits * w_old + part.index_bits * n) / w_new;
  }
  sum.entries += part.entries;
  sum.bytes += part.bytes;
}

}  // namespace

CompressionReport make_report(const ModelFile& model) {
  CompressionReport r;
  r.total.name = "total";
  for (size_t l = 0; l < model.net.layers.size(); ++l) {
    const Layer& layer = model.net.layers[l];
    if (!layer.has_weights()) {  // a pooling layer: its section's bytes and nothing to compress
      const uint64_t bytes = layer_section_size(layer, model.coding[l]).total_bytes;
      r.file_bytes += bytes;
      r.total.pq.bytes += bytes;
      r.total.pqh.bytes += bytes;
      continue;
    }
    LayerReport lr;
    lr.name = layer_label(model.net, l);
    lr.rows = layer.weights.rows;
    lr.cols = layer.weights.cols;
    lr.weights = uint64_t{lr.rows} * lr.cols;
    lr.nonzeros = layer.weights.nnz();
    lr.dense_bytes = 4 * (lr.weights + layer.bias.size());
    lr.pq = stage_size(layer, best_coding(layer, false));
    lr.pqh = stage_size(layer, best_coding(layer, true));
    accumulate(r.total.pq, lr.pq, lr.nonzeros, r.total.nonzeros);
    accumulate(r.total.pqh, lr.pqh, lr.nonzeros, r.total.nonzeros);
    r.total.weights += lr.weights;
    r.total.nonzeros += lr.nonzeros;
    r.total.dense_bytes += lr.dense_bytes;
    r.file_bytes += layer_section_size(layer, model.coding[l]).total_bytes;
    r.layers.push_back(lr);
  }
  const uint64_t inputs = model.net.input_order.size();  // version 5: its count and entries
  const uint64_t overhead = kFileOverheadBytes + 4 * uint64_t{model.net.output_order.size()} +
                            (inputs == 0 ? 0 : 4 + 4 * inputs);
  r.total.pq.bytes += overhead;
  r.total.pqh.bytes += overhead;
  r.file_bytes += overhead;
  return r;
}

std::string format_report_text(const CompressionReport& r) {
  std::string out;
  out += fmt::format(
      "{:<12} {:>9} {:>7} | {:>11} {:>6} | {:>11} {:>6} | {:>9} {:>9} | {:>7} "
      "{:>7}\n",
      "layer", "weights", "kept", "wbits P+Q", "P+Q+H", "ibits P+Q", "P+Q+H", "bytes P+Q", "P+Q+H",
      "rate", "P+Q+H");
  const auto row = [&](const LayerReport& l) {
    const std::string width = l.pq.rel_bits ? fmt::format("/{}", l.pq.rel_bits) : "";
    out += fmt::format(
        "{:<12} {:>9} {:>6.2f}% | {:>11.2f} {:>6.2f} | {:>8.2f}{:<3} {:>6.2f} | "
        "{:>9} {:>9} | {:>6.2f}% {:>6.2f}%\n",
        l.name, l.weights, 100.0 * l.kept(), l.pq.weight_bits, l.pqh.weight_bits, l.pq.index_bits,
        width, l.pqh.index_bits, l.pq.bytes, l.pqh.bytes, 100.0 * l.rate_pq(),
        100.0 * l.rate_pqh());
  };
  for (const LayerReport& l : r.layers) row(l);
  out += std::string(118, '-') + "\n";
  row(r.total);
  out += fmt::format(
      "float32 dense {} bytes; model file {} bytes; compression {:.1f}x "
      "(P+Q {:.1f}x, P+Q+H {:.1f}x)\n",
      r.total.dense_bytes, r.file_bytes, r.ratio(), ratio_of(r.total.dense_bytes, r.total.pq.bytes),
      ratio_of(r.total.dense_bytes, r.total.pqh.bytes));
  out +=
      "bits are per non-zero weight, padding included; ibits P+Q shows bits/rel_bits width; "
      "bytes count every field of the file\n";
  return out;
}

std::string format_report_json(const CompressionReport& r) {
  const auto stage = [](const StageSize& s) {
    return nlohmann::json{{"rel_bits", s.rel_bits},
                          {"entries", s.entries},
                          {"weight_bits", s.weight_bits},
                          {"index_bits", s.index_bits},
                          {"bytes", s.bytes}};
  };
  const auto layer = [&](const LayerReport& l) {
    return nlohmann::json{{"name", l.name},
                          {"rows", l.rows},
                          {"cols", l.cols},
                          {"weights", l.weights},
                          {"nonzeros", l.nonzeros},
                          {"kept", l.kept()},
                          {"dense_bytes", l.dense_bytes},
                          {"pq", stage(l.pq)},
                          {"pqh", stage(l.pqh)},
                          {"rate_pq", l.rate_pq()},
                          {"rate_pqh", l.rate_pqh()}};
  };
  nlohmann::json j;
  j["layers"] = nlohmann::json::array();
  for (const LayerReport& l : r.layers) j["layers"].push_back(layer(l));
  nlohmann::json total = layer(r.total);
  total.erase("rows");
  total.erase("cols");
  j["total"] = total;
  j["file_bytes"] = r.file_bytes;
  j["compression_ratio"] = r.ratio();
  return j.dump(2) + "\n";
}

}  // namespace eie
