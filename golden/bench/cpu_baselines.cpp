// CPU baselines for the nine EIE benchmark layers at batch 1 (Google Benchmark): dense float32
// GEMV (OpenBLAS), CSR float32 SpMV (Eigen), and the golden model's compressed fixed-point
// kernel. `make bench` runs it single-threaded and merges the times into the benchmark table.
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <Eigen/Sparse>
#include <memory>
#include <random>

#include "eie/benchmark_layers.h"
#include "eie/compress.h"
#include "eie/inference.h"

namespace eie {
namespace {

struct LayerData {
  Network net;
  std::vector<float> dense;  // outputs x inputs, row-major
  Eigen::SparseMatrix<float, Eigen::RowMajor> csr;
  std::vector<float> x;
  std::vector<int16_t> x_fixed;
};

LayerData make_data(const BenchmarkLayer& b) {
  std::mt19937_64 rng(1);
  LayerData d;
  d.net = make_benchmark_layer(b, false, rng);
  const Layer& layer = d.net.layers[0];
  d.dense = decode_weights(layer);
  std::vector<Eigen::Triplet<float>> t;
  const CodeMatrix& m = layer.weights;
  for (uint32_t j = 0; j < m.cols; ++j) {
    for (uint32_t e = m.col_ptr[j]; e < m.col_ptr[j + 1]; ++e) {
      t.emplace_back(m.row_idx[e], j, d.dense[size_t{m.row_idx[e]} * m.cols + j]);
    }
  }
  d.csr.resize(b.outputs, b.inputs);
  d.csr.setFromTriplets(t.begin(), t.end());
  std::bernoulli_distribution nz(b.act_density);
  std::uniform_real_distribution<float> v(0.0f, 2.0f);
  for (uint32_t j = 0; j < b.inputs; ++j) d.x.push_back(nz(rng) ? v(rng) : 0.0f);
  d.x_fixed = quantize_activations(std::vector<double>(d.x.begin(), d.x.end()), 8);
  return d;
}

void dense_gemv(benchmark::State& state, const LayerData* d) {
  const Layer& l = d->net.layers[0];
  std::vector<float> y(l.outputs());
  for (auto _ : state) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(l.outputs()),
                static_cast<int>(l.inputs()), 1.0f, d->dense.data(), static_cast<int>(l.inputs()),
                d->x.data(), 1, 0.0f, y.data(), 1);
    benchmark::DoNotOptimize(y.data());
  }
}

void csr_spmv(benchmark::State& state, const LayerData* d) {
  const Eigen::Map<const Eigen::VectorXf> x(d->x.data(), static_cast<Eigen::Index>(d->x.size()));
  Eigen::VectorXf y(d->csr.rows());
  for (auto _ : state) {
    y.noalias() = d->csr * x;
    benchmark::DoNotOptimize(y.data());
  }
}

void golden_kernel(benchmark::State& state, const GoldenModel* g, const LayerData* d) {
  for (auto _ : state) benchmark::DoNotOptimize(g->run_layer(0, d->x_fixed));
}

}  // namespace
}  // namespace eie

int main(int argc, char** argv) {
  using namespace eie;
  std::vector<std::unique_ptr<LayerData>> data;
  std::vector<std::unique_ptr<GoldenModel>> golden;
  for (const BenchmarkLayer& b : benchmark_layers()) {
    data.push_back(std::make_unique<LayerData>(make_data(b)));
    golden.push_back(std::make_unique<GoldenModel>(data.back()->net, 1));
    const std::string name = b.name;
    benchmark::RegisterBenchmark(("dense_gemv/" + name).c_str(), dense_gemv, data.back().get())
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("csr_spmv/" + name).c_str(), csr_spmv, data.back().get())
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("golden/" + name).c_str(), golden_kernel, golden.back().get(),
                                 data.back().get())
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
