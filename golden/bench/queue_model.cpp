// A queue model of the PE array's broadcast and activation FIFOs, for exploring load balance
// quickly (a 64-PE layer in milliseconds, against seconds to minutes on the RTL). Not the RTL and
// not cycle-exact: it leaves out the per-layer fixed cost (descriptor load, bias and write-back
// sweeps) and the pipeline drain, and draws its own activations; docs/benchmarks.md uses it only
// to choose the row balancer's settings and to size ideas before building them in RTL.
//
// Per cycle: every PE's E stage consumes one entry of its current column and takes the next
// column from its FIFO when done; last cycle's broadcasts enter the FIFOs (empty columns are
// dropped, as the RTL does); then up to --width non-zero activations are broadcast, each only
// while every PE's FIFO holds fewer than --fifo columns.
#include <fmt/format.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <deque>
#include <iostream>
#include <random>

#include "cli/options.h"
#include "eie/balance.h"
#include "eie/benchmark_layers.h"
#include "eie/error.h"
#include "eie/limits.h"
#include "eie/model_file.h"
#include "eie/sparse_format.h"

namespace eie {
namespace {

struct Outcome {
  uint64_t cycles = 0;
  double ideal = 0;  // all entries of the non-zero columns / N
  uint64_t busiest = 0;
};

Outcome simulate(const PackedLayer& p, const std::vector<bool>& nonzero, uint32_t fifo,
                 uint32_t width, bool accept_empty) {
  const uint32_t n = p.num_pe;
  std::vector<uint32_t> cols;
  for (uint32_t j = 0; j < p.cols; ++j) {
    if (nonzero[j]) cols.push_back(j);
  }
  auto work = [&](uint32_t k, uint32_t j) { return p.pe[k].ptr[j + 1] - p.pe[k].ptr[j]; };
  Outcome o;
  uint64_t total = 0;
  for (uint32_t k = 0; k < n; ++k) {
    uint64_t mine = 0;
    for (uint32_t j : cols) mine += work(k, j);
    total += mine;
    o.busiest = std::max(o.busiest, mine);
  }
  o.ideal = static_cast<double>(total) / n;
  std::vector<std::deque<uint32_t>> queue(n);
  std::vector<std::vector<uint32_t>> arriving(n);
  std::vector<uint32_t> left(n, 0);  // entries left in the E stage's column
  size_t next = 0;
  while (true) {
    bool busy = next < cols.size();
    for (uint32_t k = 0; k < n && !busy; ++k) {
      busy = left[k] != 0 || !queue[k].empty() || !arriving[k].empty();
    }
    if (!busy) break;
    for (uint32_t k = 0; k < n; ++k) {
      if (left[k] != 0) --left[k];
      if (left[k] == 0 && !queue[k].empty()) {
        left[k] = queue[k].front();
        queue[k].pop_front();
      }
      for (uint32_t w : arriving[k]) queue[k].push_back(w);
      arriving[k].clear();
    }
    for (uint32_t b = 0; b < width && next < cols.size(); ++b) {
      const uint32_t j = cols[next];
      bool ready = true;
      for (uint32_t k = 0; k < n && ready; ++k) {
        ready = queue[k].size() + arriving[k].size() < fifo || (accept_empty && work(k, j) == 0);
      }
      if (!ready) break;
      ++next;
      for (uint32_t k = 0; k < n; ++k) {
        if (work(k, j) != 0) arriving[k].push_back(work(k, j));
      }
    }
    ++o.cycles;
  }
  return o;
}

int run(int argc, char** argv) {
  namespace po = boost::program_options;
  using cli::int_option_as;
  po::options_description opts(
      "eie_queue_model: load balance of the nine EIE benchmark layers in a queue model of the PE "
      "array\nOptions");
  opts.add_options()("help,h", "this text")("pe", po::value<int64_t>()->default_value(64),
                                            "number of PEs")(
      "fifo", po::value<int64_t>()->default_value(8), "activation FIFO depth (columns)")(
      "width", po::value<int64_t>()->default_value(1), "broadcasts per cycle")(
      "window", po::value<int64_t>()->default_value(32), "row balancing: window in columns")(
      "tries", po::value<int64_t>()->default_value(40), "row balancing: swap tries per row")(
      "seed", po::value<int64_t>()->default_value(1), "seed of the layers and activations")(
      "accept-empty", "a PE with a full FIFO still accepts a column it holds no entries for");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw cli::UsageError(e.what());
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  const auto pes = int_option_as<uint32_t>(vm, "pe", 1, kMaxPe);
  const auto fifo = int_option_as<uint32_t>(vm, "fifo", 1, 1 << 16);
  const auto width = int_option_as<uint32_t>(vm, "width", 1, pes);
  const auto window = int_option_as<uint32_t>(vm, "window", 1, kMaxDimension);
  const auto tries = int_option_as<uint32_t>(vm, "tries", 0, 1000000);
  const auto seed = int_option_as<uint64_t>(vm, "seed", 0, INT64_MAX);
  const bool accept_empty = vm.count("accept-empty") != 0;
  fmt::print(
      "model, {} PEs, FIFO {}, {} broadcast(s) per cycle{}; balanced: window {}, {} tries "
      "per row; efficiency = ideal / cycles (no fixed per-layer cost)\n",
      pes, fifo, width, accept_empty ? ", empty columns accepted into full FIFOs" : "", window,
      tries);
  fmt::print("{:<8} {:<8} {:>18} {:>18} {:>18}\n", "layer", "variant", "interleaved",
             "balanced totals", "balanced windows");
  for (const BenchmarkLayer& b : benchmark_layers()) {
    for (bool skewed : {false, true}) {
      std::mt19937_64 rng(seed);
      const CodeMatrix m = make_benchmark_layer(b, skewed, rng).layers[0].weights;
      std::bernoulli_distribution nz(b.act_density);
      std::vector<bool> nonzero(b.inputs);
      for (uint32_t j = 0; j < b.inputs; ++j) nonzero[j] = nz(rng);
      std::string cells;
      for (uint32_t t : {UINT32_MAX, 0u, tries}) {
        const CodeMatrix x =
            t == UINT32_MAX ? m : permute_rows(m, balance_rows(m, pes, {window, t}));
        const Outcome o = simulate(pack(x, pes), nonzero, fifo, width, accept_empty);
        cells += fmt::format(" {:>9} ({:.3f})", o.cycles, o.ideal / static_cast<double>(o.cycles));
      }
      fmt::print("{:<8} {:<8}{}\n", b.name, skewed ? "skewed" : "uniform", cells);
    }
  }
  return 0;
}

}  // namespace
}  // namespace eie

int main(int argc, char** argv) {
  return eie::cli::guarded_main("eie_queue_model", [&] { return eie::run(argc, argv); });
}
