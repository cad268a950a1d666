// The compression report: every figure derived from the model file's actual serialization.
#include "eie/report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "test_util.h"

namespace eie {
namespace {

ModelFile sample_model() {
  std::mt19937_64 rng(99);
  Network net;
  const std::vector<uint32_t> widths = {200, 60, 10};
  for (size_t l = 0; l + 1 < widths.size(); ++l) {
    Layer layer;
    layer.name = l == 0 ? "ip1" : "ip2";
    layer.weights = test::random_code_matrix(widths[l + 1], widths[l], 0.1, rng);
    for (int c = 1; c < kCodebookSize; ++c)
      layer.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(c);
    layer.bias.assign(widths[l + 1], 1);
    net.layers.push_back(layer);
  }
  return make_model_file(net);
}

TEST(Report, FiguresComeFromTheSerializedFile) {
  const ModelFile m = sample_model();
  const CompressionReport r = make_report(m);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.file_bytes, serialize_model(m).size());
  const LayerReport& l = r.layers[0];
  EXPECT_EQ(l.name, "ip1");
  EXPECT_EQ(l.weights, 12000u);
  EXPECT_EQ(l.nonzeros, m.net.layers[0].weights.nnz());
  EXPECT_EQ(l.dense_bytes, 4u * (12000 + 60));
  EXPECT_DOUBLE_EQ(l.kept(), static_cast<double>(l.nonzeros) / 12000.0);
  // Fixed-width stage: 4 bits per entry and rel_bits per entry, padding included.
  const auto nnz = static_cast<double>(l.nonzeros);
  EXPECT_DOUBLE_EQ(l.pq.weight_bits, 4.0 * static_cast<double>(l.pq.entries) / nnz);
  EXPECT_DOUBLE_EQ(l.pq.index_bits, static_cast<double>(l.pq.rel_bits * l.pq.entries) / nnz);
  EXPECT_EQ(l.pq.bytes,
            layer_section_size(m.net.layers[0], best_coding(m.net.layers[0], false)).total_bytes);
  EXPECT_LE(l.pqh.bytes, l.pq.bytes);
  EXPECT_EQ(r.total.weights, 12000u + 600u);
  EXPECT_EQ(r.total.pqh.bytes, r.layers[0].pqh.bytes + r.layers[1].pqh.bytes + 28);
  EXPECT_DOUBLE_EQ(r.ratio(),
                   static_cast<double>(r.total.dense_bytes) / static_cast<double>(r.file_bytes));
}

TEST(Report, TextAndJsonCarryTheSameNumbers) {
  const CompressionReport r = make_report(sample_model());
  const std::string text = format_report_text(r);
  EXPECT_NE(text.find("ip1"), std::string::npos);
  EXPECT_NE(text.find("total"), std::string::npos);
  EXPECT_NE(text.find(fmt::format("model file {} bytes", r.file_bytes)), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(format_report_json(r));
  EXPECT_EQ(j["file_bytes"].get<uint64_t>(), r.file_bytes);
  EXPECT_EQ(j["layers"].size(), 2u);
  EXPECT_EQ(j["layers"][1]["name"], "ip2");
  EXPECT_EQ(j["layers"][0]["pq"]["bytes"].get<uint64_t>(), r.layers[0].pq.bytes);
  EXPECT_DOUBLE_EQ(j["compression_ratio"].get<double>(), r.ratio());
}

}  // namespace
}  // namespace eie
