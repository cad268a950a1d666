#include "report.h"

#include <fmt/format.h>

#include <algorithm>

#include "eie/benchmark_layers.h"
#include "sim/sim_error.h"

namespace eie::tb {
namespace {

// The paper's clock, at which the reports quote inferences per second.
constexpr double kPaperClockHz = 800e6;

// Window l of a run: layer l computes (l < layers) or the result stream runs (l == layers);
// layer l-1 is written back (docs/hardware.md; tb/checks/activity.h).
ActivityWindow run_window(const MemoryImage& image,
                          const std::vector<std::vector<PeLayerActivity>>& acts, size_t l,
                          uint32_t n, uint32_t run) {
  const size_t layers = acts.size();
  ActivityWindow window;
  window.label = l < layers ? fmt::format("run {}, layer {}", run, l + 1)
                            : fmt::format("run {}, result stream", run);
  if (l < layers) {
    window.compute = &acts[l];
    window.compute_layer = &image.layers[l];
    // Layer 1's descriptor and codebook as the run starts; the next layer's in the drain.
    window.desc_reads = (l == 0 ? 2 : 0) + (l + 1 < layers ? 2 : 0);
    window.codebook_reads = (l == 0 ? 1 : 0) + (l + 1 < layers ? 1 : 0);
  } else {
    window.groups = (uint64_t{image.layers.back().rows} + n - 1) / n;
    window.results = image.layers.back().rows;
  }
  if (l > 0) {
    window.writeback = &acts[l - 1];
    window.writeback_layer = &image.layers[l - 1];
  }
  return window;
}

void add_prediction(const std::vector<PeLayerActivity>& acts, PeLayerActivity& sum) {
  for (const PeLayerActivity& a : acts) {
    sum.broadcasts += a.broadcasts;
    sum.columns += a.columns;
    sum.entries += a.entries;
    sum.spmat_words += a.spmat_words;
    sum.rows += a.rows;
    sum.touched_rows += a.touched_rows;
    sum.groups += a.groups;
  }
}

nlohmann::json json_layer_activity(const LayerTotals& t, const ActivityProbe& probe) {
  nlohmann::json layer = probe.summary(t.measured);
  const PeLayerActivity& p = t.predicted;
  layer["predicted"] = {{"broadcasts", p.broadcasts},
                        {"columns", p.columns},
                        {"entries", p.entries},
                        {"spmat_words", p.spmat_words},
                        {"rows", p.rows},
                        {"groups", p.groups},
                        {"touched_rows", p.touched_rows},
                        {"broadcast_floor", t.broadcast_floor}};
  for (size_t w = 0; w < kWordWidths.size(); ++w) {
    layer["predicted"]["spmat_words_by_width"][std::to_string(kWordWidths[w])] =
        t.words_by_width[w];
  }
  return layer;
}

nlohmann::json json_runs(const std::vector<RunStats>& runs) {
  nlohmann::json out = nlohmann::json::array();
  for (const RunStats& rs : runs) {
    out.push_back({{"fifo_limit", rs.fifo_limit},
                   {"cycles", rs.cycles},
                   {"layer_cycles", rs.layer_cycles},
                   {"layer_lead_cycles", rs.layer_lead},
                   {"layer_drain_cycles", rs.layer_tail},
                   {"output_cycles", rs.output_cycles},
                   {"work_total_entries", rs.work_total},
                   {"work_busiest_pe_entries", rs.work_busiest}});
  }
  return out;
}

}  // namespace

uint64_t SimTotals::run_cycles() const {
  uint64_t c = 0;
  for (const RunStats& rs : runs) c += rs.cycles;
  return c;
}

void account_run_activity(const ActivityProbe& probe, const MemoryImage& image,
                          const std::vector<Activity>& marks, const std::vector<int16_t>& input,
                          const std::vector<std::vector<int16_t>>& expected, uint32_t n,
                          uint32_t run, SimTotals& totals) {
  const size_t layers = expected.size();
  if (marks.size() != layers + 2) {
    throw SimError(fmt::format("run {}: {} activity marks for {} layers (a layer never started?)",
                               run, marks.size(), layers));
  }
  std::vector<std::vector<PeLayerActivity>> acts(layers);
  for (size_t l = 0; l < layers; ++l) {
    acts[l] = predict_layer_activity(image, l, l == 0 ? input : expected[l - 1]);
  }
  for (size_t l = 0; l <= layers; ++l) {  // the layers' windows, then the result stream's
    const Activity delta = marks[l + 1] - marks[l];
    probe.check_window(delta, run_window(image, acts, l, n, run), n);
    if (l == layers) {
      totals.output_activity += delta;
      continue;
    }
    LayerTotals& t = totals.layers[l];
    const std::vector<int16_t>& x = l == 0 ? input : expected[l - 1];
    t.broadcast_floor += broadcast_floor(x, n);
    t.measured += delta;
    add_prediction(acts[l], t.predicted);
    for (size_t w = 0; w < kWordWidths.size(); ++w) {
      for (const uint64_t words : spmat_word_reads(image, l, x, kWordWidths[w])) {
        t.words_by_width[w] += words;
      }
    }
  }
}

void print_summary(std::FILE* out, const SimFacts& facts, const Network& net,
                   const SimTotals& totals, const Monitor& monitor, bool quiet) {
  const uint32_t n = facts.config.pes();
  if (!quiet) {
    for (size_t l = 0; l < net.layers.size(); ++l) {
      uint64_t c = 0;
      for (const RunStats& rs : totals.runs) c += rs.layer_cycles[l];
      fmt::print(out, "  layer {} ({}x{}): {} cycles per inference\n", l + 1,
                 net.layers[l].outputs(), net.layers[l].inputs(), c / totals.runs.size());
    }
    uint64_t busy = 0, busiest = 0;
    for (const PeCounters& p : totals.pe) {
      busy += p[0];
      busiest = std::max(busiest, p[0]);
    }
    fmt::print(out, "  PE busy cycles: total {}, busiest {}, mean {:.1f}; broadcasts {}\n", busy,
               busiest, static_cast<double>(busy) / n, monitor.broadcasts());
  }
  if (facts.mnist) {
    const double per = static_cast<double>(totals.run_cycles()) / facts.inferences;
    fmt::print(out,
               "MNIST test digits 1..{}: RTL accuracy {:.2f}% ({} correct), golden model {:.2f}% "
               "({} correct); {:.0f} cycles per inference = {:.0f} inferences/s at 800 MHz\n",
               facts.inferences, 100.0 * totals.rtl_correct / facts.inferences, totals.rtl_correct,
               100.0 * totals.golden_correct / facts.inferences, totals.golden_correct, per,
               kPaperClockHz / per);
  }
}

void print_pass(std::FILE* out, const SimFacts& facts, const SimTotals& totals) {
  const uint64_t run_cycles = totals.run_cycles();
  fmt::print(out,
             "PASS [{}]: {} inference(s), {} outputs checked, {} run cycles ({} per inference), "
             "{} cycles simulated at {:.0f} cycles/s\n",
             facts.variant, facts.inferences, totals.checked, run_cycles,
             run_cycles / facts.inferences, facts.simulated_cycles, facts.cycles_per_second());
}

nlohmann::json json_activity(const SimTotals& totals, const ActivityProbe& probe) {
  nlohmann::json a;
  a["counters"] = ActivityProbe::available() ? "rtl" : "memories only";
  a["layers"] = nlohmann::json::array();
  for (const LayerTotals& t : totals.layers) a["layers"].push_back(json_layer_activity(t, probe));
  a["output"] = probe.summary(totals.output_activity);
  return a;
}

nlohmann::json json_report(const SimFacts& facts, const SimTotals& totals, const Monitor& monitor,
                           const ActivityProbe& probe) {
  const HwConfig& c = facts.config;
  const uint64_t run_cycles = totals.run_cycles();
  nlohmann::json j;
  j["variant"] = facts.variant;
  j["config"] = {{"num_pe", c.num_pe},           {"active_pe", c.pes()},
                 {"fifo_depth", c.fifo_depth},   {"fifo_limit", facts.fifo_limit},
                 {"hold_slots", c.hold_slots},   {"hold_limit", facts.hold_limit},
                 {"spmat_depth", c.spmat_depth}, {"ptr_depth", c.ptr_depth},
                 {"act_depth", c.act_depth},     {"bias_depth", c.bias_depth}};
  j["seed"] = facts.seed;
  if (!facts.benchmark_layer.empty()) {  // the paper's figures for the layer
    const BenchmarkLayer& b = find_benchmark_layer(facts.benchmark_layer);
    j["benchmark"] = {{"layer", b.name},
                      {"paper_theoretical_us", b.paper_theoretical_us},
                      {"paper_actual_us", b.paper_actual_us}};
  }
  j["inferences"] = facts.inferences;
  j["outputs_checked"] = totals.checked;
  j["load_cycles"] = facts.load_cycles;
  j["run_cycles"] = run_cycles;
  j["simulated_cycles"] = facts.simulated_cycles;
  j["wall_seconds"] = facts.wall_seconds;
  j["backdoor_seconds"] = facts.backdoor_seconds;
  j["cycles_per_second"] = facts.cycles_per_second();
  if (facts.mnist) {
    const auto digits = static_cast<double>(facts.inferences);
    j["mnist"] = {
        {"digits", facts.inferences},
        {"rtl_correct", totals.rtl_correct},
        {"golden_correct", totals.golden_correct},
        {"rtl_accuracy", static_cast<double>(totals.rtl_correct) / digits},
        {"cycles_per_inference", static_cast<double>(run_cycles) / digits},
        {"inferences_per_second_800mhz", kPaperClockHz * digits / static_cast<double>(run_cycles)}};
  }
  std::vector<uint64_t> work_total, work_busiest;  // per layer, all runs
  for (const LayerTotals& t : totals.layers) {
    work_total.push_back(t.work_total);
    work_busiest.push_back(t.work_busiest);
  }
  j["work_total_entries"] = work_total;
  j["work_busiest_pe_entries"] = work_busiest;
  j["runs"] = json_runs(totals.runs);
  j["coverage"] = {{"fifo_full_cycles_per_pe", monitor.fifo_full_cycles()},
                   {"busy_cycles_per_pe", monitor.busy_cycles()}};
  // Actions for the energy model (docs/energy.md), all runs together; every layer's were
  // checked against the golden model.
  j["activity"] = json_activity(totals, probe);
  j["pe"] = nlohmann::json::array();
  for (const PeCounters& p : totals.pe) {
    j["pe"].push_back({{"busy", p[0]}, {"idle", p[1]}, {"fifo_full", p[2]}});
  }
  return j;
}

}  // namespace eie::tb
