// Speed of the golden model's hot paths (Google Benchmark): inference on LeNet-300-100-sized
// layers, packing for 64 PEs, Huffman coding and model-file parsing. Run with `make bench`.
#include <benchmark/benchmark.h>

#include <random>

#include "eie/huffman.h"
#include "eie/inference.h"
#include "eie/model_file.h"

namespace eie {
namespace {

// LeNet-300-100 at the Deep Compression paper's densities, random indices and codebook.
Network lenet(uint64_t seed) {
  std::mt19937_64 rng(seed);
  const uint32_t widths[] = {784, 300, 100, 10};
  const double density[] = {0.08, 0.09, 0.26};
  Network net;
  for (int l = 0; l < 3; ++l) {
    std::bernoulli_distribution keep(density[l]);
    std::vector<uint8_t> dense(size_t{widths[l + 1]} * widths[l]);
    for (auto& v : dense) v = keep(rng) ? static_cast<uint8_t>(1 + rng() % 15) : 0;
    Layer layer;
    layer.weights = CodeMatrix::from_dense(widths[l + 1], widths[l], dense);
    for (int c = 1; c < kCodebookSize; ++c) {
      layer.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(c * 2000 - 16000);
    }
    layer.w_frac = 15;
    layer.relu = l < 2;
    net.layers.push_back(layer);
  }
  return net;
}

std::vector<int16_t> digit_like_input(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int16_t> x(784);
  for (auto& v : x) v = rng() % 5 == 0 ? static_cast<int16_t>(rng() % 256) : int16_t{0};
  return x;
}

void BM_InferLenet(benchmark::State& state) {
  const GoldenModel g(lenet(1), static_cast<uint32_t>(state.range(0)));
  const std::vector<int16_t> x = digit_like_input(2);
  for (auto _ : state) benchmark::DoNotOptimize(g.run(x));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("items = inferences");
}
BENCHMARK(BM_InferLenet)->Arg(1)->Arg(64);

void BM_PackLenetFor64Pes(benchmark::State& state) {
  const Network net = lenet(1);
  for (auto _ : state) benchmark::DoNotOptimize(pack(net.layers[0].weights, 64));
}
BENCHMARK(BM_PackLenetFor64Pes);

void BM_HuffmanRoundTrip(benchmark::State& state) {
  std::mt19937_64 rng(3);
  std::geometric_distribution<int> geo(0.3);
  std::vector<uint16_t> symbols(100000);
  std::vector<uint64_t> freq(16, 0);
  for (auto& s : symbols) {
    s = static_cast<uint16_t>(std::min(geo(rng), 15));
    ++freq[s];
  }
  const HuffmanCode code = HuffmanCode::build(freq);
  for (auto _ : state) {
    BitWriter w;
    code.encode(symbols, w);
    BitReader r(w.bytes().data(), w.bytes().size());
    benchmark::DoNotOptimize(code.decode(r, symbols.size()));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(symbols.size()));
}
BENCHMARK(BM_HuffmanRoundTrip);

void BM_ParseLenetModel(benchmark::State& state) {
  const std::vector<uint8_t> bytes = serialize_model(make_model_file(lenet(1)));
  for (auto _ : state) benchmark::DoNotOptimize(parse_model(bytes, "bench"));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_ParseLenetModel);

}  // namespace
}  // namespace eie

BENCHMARK_MAIN();
