// A queue model of the PE array's broadcast and activation FIFOs, for exploring load balance
// quickly (a 64-PE layer in milliseconds, against seconds to minutes on the RTL). Not the RTL and
// not cycle-exact: it leaves out the per-layer fixed cost (descriptor load, bias and write-back
// sweeps) and the pipeline drain, and draws its own activations; docs/benchmarks.md uses it only
// to choose the row balancer's settings and to size ideas before building them in RTL.
//
// Per cycle: every PE's E stage consumes one entry of its current column and takes the next
// column from its FIFO when done; last cycle's broadcasts enter the FIFOs (empty columns are
// dropped, as the RTL does); then up to --width non-zero activations are broadcast, each only
// while every PE's FIFO holds fewer than --fifo columns, or a --hold slot keeps it for the PEs
// whose FIFO is full (those take it later, in order). A column costs its E stage one cycle per
// entry it issues, as in the RTL (padding entries it steps over cost none); --padding compares
// other rules for padding.
#include <fmt/format.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <deque>
#include <iostream>
#include <random>
#include <string>

#include "cli/options.h"
#include "eie/balance.h"
#include "eie/benchmark_layers.h"
#include "eie/error.h"
#include "eie/limits.h"
#include "eie/model_file.h"
#include "eie/sparse_format.h"

namespace eie {
namespace {

// What a padding entry (v = 0) costs the E stage. kEntry: a cycle, like any entry (the paper, and
// the RTL before it skipped padding). kSkip: the RTL, which steps over the padding entry after
// one it issues where the word on the RAM's output shows it (e_skips_next, sparse_format.h).
// kSkip2: up to two such entries. kLead: kSkip, and a column's leading padding entries cost
// nothing either (E would start at the first stored weight, from a pointer that carries the
// leading padding count: a change of the memory image). kFree: padding costs nothing (a bound on
// any such scheme).
enum class Padding { kEntry, kSkip, kSkip2, kLead, kFree };

// The cycles PE slice `s` spends in E on column j.
uint32_t column_cycles(const PeSlice& s, uint32_t j, Padding padding) {
  uint32_t begin = s.ptr[j];
  const uint32_t end = s.ptr[j + 1];
  const auto entry_at = [&](uint64_t a) { return s.entries[a]; };
  const auto is_padding = [&](uint32_t a) { return entry_v(s.entries[a]) == 0; };
  switch (padding) {
    case Padding::kEntry:
      return end - begin;
    case Padding::kFree:
      return static_cast<uint32_t>(std::count_if(s.entries.begin() + begin, s.entries.begin() + end,
                                                 [](uint8_t e) { return entry_v(e) != 0; }));
    case Padding::kLead:
      while (begin < end && is_padding(begin)) ++begin;  // padding never ends a column
      [[fallthrough]];
    case Padding::kSkip:
      return static_cast<uint32_t>(issued_entries(begin, end, entry_at));
    case Padding::kSkip2:
      break;
  }
  uint32_t cycles = 0;
  for (uint32_t a = begin; a < end; ++cycles) {
    uint32_t next = a + 1;
    if (e_skips_next(begin, end, a, entry_at)) {
      next = a + 2;  // and the one after it too, if it is padding in the same word, not the last
      if (next % kEntriesPerWord != 0 && next + 1 < end && is_padding(next)) ++next;
    }
    a = next;
  }
  return cycles;
}

struct Outcome {
  uint64_t cycles = 0;
  double ideal = 0;  // E's cycles on the non-zero columns (all entries, with --padding entry) / N
  uint64_t busiest = 0;
};

// A broadcast that could not go out: the PE whose full FIFO held it and the position of the
// column in the broadcast order.
struct Stall {
  uint32_t pe;
  uint32_t position;
};

// The queue itself: work(k, c) is PE k's entries in the c-th broadcast column. Returns the
// cycles; fills *stalls when given.
// The array's queueing parameters. hold: shared slots that keep a broadcast column for the PEs
// that cannot take it yet (a full FIFO, or older columns still waiting there), so the broadcast
// stalls only when every slot is in use; each PE still receives its columns in order
// (rtl/eie_bcast_hold.sv).
struct Array {
  uint32_t fifo = 8;
  uint32_t width = 1;
  bool accept_empty = false;
  uint32_t hold = 0;
};

template <class Work>
uint64_t run_queue(uint32_t n, size_t columns, const Work& work, const Array& a,
                   std::vector<Stall>* stalls) {
  std::vector<std::deque<uint32_t>> queue(n);
  std::vector<std::vector<uint32_t>> arriving(n);
  std::vector<std::deque<size_t>> waiting(n);  // columns held for PE k in hold slots
  std::vector<uint32_t> holders;               // per used slot: PEs it still holds its column for
  std::vector<size_t> slot_column;
  std::vector<uint32_t> left(n, 0);  // entries left in the E stage's column
  size_t next = 0;
  uint64_t cycles = 0;
  const auto room = [&](uint32_t k) { return queue[k].size() + arriving[k].size() < a.fifo; };
  while (true) {
    bool busy = next < columns;
    for (uint32_t k = 0; k < n && !busy; ++k) {
      busy = left[k] != 0 || !queue[k].empty() || !arriving[k].empty() || !waiting[k].empty();
    }
    if (!busy) break;
    std::vector<uint32_t> pushes(n, 0);
    for (uint32_t k = 0; k < n; ++k) {
      if (left[k] != 0) --left[k];
      if (left[k] == 0 && !queue[k].empty()) {
        left[k] = queue[k].front();
        queue[k].pop_front();
      }
      for (uint32_t w : arriving[k]) queue[k].push_back(w);
      arriving[k].clear();
      while (!waiting[k].empty() && room(k) && pushes[k] < a.width) {
        const size_t c = waiting[k].front();
        waiting[k].pop_front();
        if (work(k, c) != 0) arriving[k].push_back(work(k, c));
        ++pushes[k];
        for (size_t s = 0; s < slot_column.size(); ++s) {
          if (slot_column[s] == c) --holders[s];
        }
      }
    }
    // Slots free in broadcast order (a ring: the oldest frees first).
    while (!holders.empty() && holders.front() == 0) {
      holders.erase(holders.begin());
      slot_column.erase(slot_column.begin());
    }
    for (uint32_t b = 0; b < a.width && next < columns; ++b) {
      // A PE takes the column now, drops it (it holds no entries there and says so in time:
      // accept_empty), or needs a slot to hold it until its FIFO has room.
      const auto must_hold = [&](uint32_t k) {
        if (work(k, next) == 0 && a.accept_empty) return false;
        return !waiting[k].empty() || !room(k) || pushes[k] >= a.width;
      };
      uint32_t blocker = n;
      uint32_t held = 0;
      for (uint32_t k = 0; k < n; ++k) {
        if (!must_hold(k)) continue;
        ++held;
        if (blocker == n) blocker = k;
      }
      if (held != 0 && slot_column.size() >= a.hold) {
        if (stalls != nullptr) stalls->push_back({blocker, static_cast<uint32_t>(next)});
        break;
      }
      if (held != 0) {
        slot_column.push_back(next);
        holders.push_back(held);
      }
      for (uint32_t k = 0; k < n; ++k) {
        if (must_hold(k)) {
          waiting[k].push_back(next);
        } else if (work(k, next) != 0) {
          arriving[k].push_back(work(k, next));
          ++pushes[k];
        }
      }
      ++next;
    }
    ++cycles;
  }
  return cycles;
}

Outcome simulate(const PackedLayer& p, const std::vector<bool>& nonzero, const Array& array,
                 Padding padding) {
  const uint32_t n = p.num_pe;
  std::vector<uint32_t> cols;
  for (uint32_t j = 0; j < p.cols; ++j) {
    if (nonzero[j]) cols.push_back(j);
  }
  std::vector<std::vector<uint32_t>> cost(n);
  for (uint32_t k = 0; k < n; ++k) {
    for (uint32_t j = 0; j < p.cols; ++j) cost[k].push_back(column_cycles(p.pe[k], j, padding));
  }
  auto work = [&](uint32_t k, uint32_t j) { return cost[k][j]; };
  Outcome o;
  uint64_t total = 0;
  for (uint32_t k = 0; k < n; ++k) {
    uint64_t mine = 0;
    for (uint32_t j : cols) mine += work(k, j);
    total += mine;
    o.busiest = std::max(o.busiest, mine);
  }
  o.ideal = static_cast<double>(total) / n;
  o.cycles = run_queue(
      n, cols.size(), [&](uint32_t k, size_t c) { return work(k, cols[c]); }, array, nullptr);
  return o;
}

// Directed swaps after the balancer (an experiment, not built into balance_rows): run the queue,
// pick one of its stalls at random, swap a row of the PE that held it (one with an entry among
// the kNear columns before) with a random row of another PE, and keep the swap if the queue then
// takes fewer cycles. The queue here counts non-zeros only (no padding: repacking per try would
// cost seconds); swaps may not lift a PE above the busiest total. `columns` are the broadcasts it
// optimises for: every column (what a compiler knows) or the run's non-zero activations (an
// oracle, an upper bound on what any such search can find). Returns the new permutation, the
// densest rows first within each PE (densest_first_layout).
std::vector<uint32_t> directed_swaps(const CodeMatrix& m, uint32_t n,
                                     const std::vector<uint32_t>& new_row,
                                     const std::vector<uint32_t>& columns, const Array& array,
                                     uint32_t tries) {
  std::vector<uint32_t> pe_of(m.rows);
  for (uint32_t r = 0; r < m.rows; ++r) pe_of[r] = new_row[r] % n;
  std::vector<std::vector<uint32_t>> row_cols(m.rows);
  for (uint32_t j = 0; j < m.cols; ++j) {
    for (uint32_t e = m.col_ptr[j]; e < m.col_ptr[j + 1]; ++e) row_cols[m.row_idx[e]].push_back(j);
  }
  constexpr int64_t kNone = -1;
  constexpr int64_t kNear = 24;  // a stall's PE gives up a row with an entry this close before it
  std::vector<int64_t> position(m.cols, kNone);
  for (size_t c = 0; c < columns.size(); ++c) position[columns[c]] = static_cast<int64_t>(c);
  std::vector<std::vector<uint32_t>> count(n, std::vector<uint32_t>(columns.size(), 0));
  std::vector<int64_t> load(n, 0);
  const auto move = [&](uint32_t r, uint32_t to) {
    const uint32_t from = pe_of[r];
    for (uint32_t j : row_cols[r]) {
      if (position[j] != kNone) {
        --count[from][static_cast<size_t>(position[j])];
        ++count[to][static_cast<size_t>(position[j])];
      }
    }
    load[from] -= static_cast<int64_t>(row_cols[r].size());
    load[to] += static_cast<int64_t>(row_cols[r].size());
    pe_of[r] = to;
  };
  for (uint32_t r = 0; r < m.rows; ++r) {
    load[pe_of[r]] += static_cast<int64_t>(row_cols[r].size());
    for (uint32_t j : row_cols[r]) {
      if (position[j] != kNone) ++count[pe_of[r]][static_cast<size_t>(position[j])];
    }
  }
  const int64_t max_load = *std::max_element(load.begin(), load.end());
  const auto queue = [&](std::vector<Stall>* stalls) {
    return run_queue(
        n, columns.size(), [&](uint32_t k, size_t c) { return count[k][c]; }, array, stalls);
  };
  std::vector<Stall> stalls;
  uint64_t cycles = queue(&stalls);
  std::mt19937_64 rng(0x5eed);
  for (uint32_t t = 0; t < tries && !stalls.empty(); ++t) {
    const Stall at = stalls[rng() % stalls.size()];
    std::vector<uint32_t> candidates;
    for (uint32_t r = 0; r < m.rows; ++r) {
      if (pe_of[r] != at.pe) continue;
      const bool near = std::any_of(row_cols[r].begin(), row_cols[r].end(), [&](uint32_t j) {
        return position[j] != kNone && position[j] + kNear >= at.position &&
               position[j] <= at.position;
      });
      if (near) candidates.push_back(r);
    }
    if (candidates.empty()) continue;
    const uint32_t r = candidates[rng() % candidates.size()];
    const auto s = static_cast<uint32_t>(rng() % m.rows);
    const uint32_t a = pe_of[r], b = pe_of[s];
    const int64_t moved =
        static_cast<int64_t>(row_cols[r].size()) - static_cast<int64_t>(row_cols[s].size());
    if (a == b || load[a] - moved > max_load || load[b] + moved > max_load) continue;
    move(r, b);
    move(s, a);
    std::vector<Stall> now;
    const uint64_t after = queue(&now);
    if (after < cycles) {
      cycles = after;
      stalls = std::move(now);
    } else {
      move(r, a);
      move(s, b);
    }
  }
  std::vector<uint32_t> row_entries(m.rows);
  for (uint32_t r = 0; r < m.rows; ++r) row_entries[r] = static_cast<uint32_t>(row_cols[r].size());
  return densest_first_layout(pe_of, row_entries, n);
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
      "accept-empty", "a PE with a full FIFO still accepts a column it holds no entries for")(
      "hold", po::value<int64_t>()->default_value(0),
      "broadcast hold slots: shared slots that keep a broadcast for the PEs that cannot take it "
      "yet (0: none, the paper's broadcast)")(
      "directed", po::value<int64_t>()->default_value(0),
      "tries of queue-directed row swaps after balancing (0: none; an experiment, see the source)")(
      "order-inputs",
      "add a column: balanced windows, then the input order (balance.h, order_columns)")(
      "padding", po::value<std::string>()->default_value("skip"),
      "what a padding entry costs E: entry (a cycle), skip (as the RTL: E steps over the padding "
      "entry after one it issues, within the word the RAM holds), skip2 (up to two), lead (skip, "
      "and a column's leading padding free), free (nothing)")(
      "directed-on", po::value<std::string>()->default_value("all"),
      "columns the directed swaps optimise for: all (what a compiler knows) or run (the run's "
      "non-zero activations, an oracle)");
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
  const auto window = int_option_as<uint32_t>(vm, "window", 1, kMaxDimension);
  const auto tries = int_option_as<uint32_t>(vm, "tries", 0, 1000000);
  const auto seed = int_option_as<uint64_t>(vm, "seed", 0, INT64_MAX);
  const Array array{int_option_as<uint32_t>(vm, "fifo", 1, 1 << 16),
                    int_option_as<uint32_t>(vm, "width", 1, pes), vm.count("accept-empty") != 0,
                    int_option_as<uint32_t>(vm, "hold", 0, 1 << 16)};
  const auto directed = int_option_as<uint32_t>(vm, "directed", 0, 1000000);
  const std::string directed_on = vm["directed-on"].as<std::string>();
  const bool order_inputs = vm.count("order-inputs") != 0;
  const std::string padding_name = vm["padding"].as<std::string>();
  const std::vector<std::pair<std::string, Padding>> paddings = {{"entry", Padding::kEntry},
                                                                 {"skip", Padding::kSkip},
                                                                 {"skip2", Padding::kSkip2},
                                                                 {"lead", Padding::kLead},
                                                                 {"free", Padding::kFree}};
  const auto chosen = std::find_if(paddings.begin(), paddings.end(),
                                   [&](const auto& p) { return p.first == padding_name; });
  if (chosen == paddings.end()) {
    throw cli::UsageError(
        fmt::format("--padding is '{}'; it takes entry, skip, skip2, lead or free", padding_name));
  }
  const Padding padding = chosen->second;
  if (directed_on != "all" && directed_on != "run") {
    throw cli::UsageError(fmt::format("--directed-on is '{}'; it takes all or run", directed_on));
  }
  fmt::print(
      "model, {} PEs, FIFO {}, {} broadcast(s) per cycle{}, {} hold slot(s), padding: {}; "
      "balanced: window {}, "
      "{} tries per row; efficiency = ideal / cycles (no fixed per-layer cost; the ideal is E's "
      "cycles / N)\n",
      pes, array.fifo, array.width,
      array.accept_empty ? ", empty columns accepted into full FIFOs" : "", array.hold,
      padding_name, window, tries);
  fmt::print("{:<8} {:<8} {:>18} {:>18} {:>18}{}{}\n", "layer", "variant", "interleaved",
             "balanced totals", "balanced windows",
             directed != 0 ? fmt::format(" {:>18}", "directed (" + directed_on + ")") : "",
             order_inputs ? fmt::format(" {:>18}", "+ input order") : "");
  for (const BenchmarkLayer& b : benchmark_layers()) {
    for (bool skewed : {false, true}) {
      std::mt19937_64 rng(seed);
      const CodeMatrix m = make_benchmark_layer(b, skewed, rng).layers[0].weights;
      std::bernoulli_distribution nz(b.act_density);
      std::vector<bool> nonzero(b.inputs);
      for (uint32_t j = 0; j < b.inputs; ++j) nonzero[j] = nz(rng);
      std::string cells;
      const auto cell = [&](const CodeMatrix& x) {
        const Outcome o = simulate(pack(x, pes), nonzero, array, padding);
        return fmt::format(" {:>9} ({:.3f})", o.cycles, o.ideal / static_cast<double>(o.cycles));
      };
      cells += cell(m);
      cells += cell(permute_rows(m, balance_rows(m, pes, {window, 0})));
      const std::vector<uint32_t> balanced = balance_rows(m, pes, {window, tries});
      cells += cell(permute_rows(m, balanced));
      if (directed != 0) {
        std::vector<uint32_t> columns;
        for (uint32_t j = 0; j < m.cols; ++j) {
          if (directed_on == "all" || nonzero[j]) columns.push_back(j);
        }
        cells += cell(permute_rows(m, directed_swaps(m, pes, balanced, columns, array, directed)));
      }
      if (order_inputs) {  // the activations move with their columns
        const CodeMatrix rows = permute_rows(m, balanced);
        const std::vector<uint32_t> q = order_columns(rows, pes);
        std::vector<bool> moved(m.cols);
        for (uint32_t j = 0; j < m.cols; ++j) moved[q[j]] = nonzero[j];
        const Outcome o = simulate(pack(permute_cols(rows, q), pes), moved, array, padding);
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
