#include "segment_runner.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.h"
#include "eie/classify.h"
#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/inference.h"
#include "eie/lstm.h"
#include "eie/memory_image.h"
#include "runner.h"

namespace eie::tb {

namespace {

// One part of the network the array runs (eie/network.h), with its own model instance.
struct Segment {
  ArraySegment part;
  std::string name;
  MemoryImage image;
  std::unique_ptr<GoldenModel> golden;
  std::unique_ptr<Bench> bench;
  std::unique_ptr<SimTotals> totals;
  uint32_t runs = 0;
};

// The trace of segment `name`: "wave.fst" becomes "wave.conv1.fst".
std::string segment_trace(const std::string& path, const std::string& name) {
  if (path.empty()) return path;
  const size_t dot = path.rfind('.');
  const size_t slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return path + "." + name;
  }
  return path.substr(0, dot) + "." + name + path.substr(dot);
}

// The array segments of `net`, named by their layers (conv1, ip1-ip2).
std::vector<Segment> split(const Network& net) {
  std::vector<Segment> out;
  for (ArraySegment& part : array_segments(net)) {
    Segment s;
    s.name = layer_label(net, part.first);
    if (part.last > part.first) s.name += "-" + layer_label(net, part.last);
    s.part = std::move(part);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

bool needs_segments(const Network& net) {
  for (const Layer& l : net.layers) {
    if (l.kind != LayerKind::kFullyConnected) return true;
  }
  return false;
}

namespace {

void refuse_fully_connected_options(const SimOptions& opt) {
  for (const auto& [set, what] :
       {std::pair{!opt.fifo_sweep.empty(), "--fifo-sweep"},
        std::pair{opt.expect_cycles.has_value(), "--expect-cycles"},
        std::pair{!opt.expect_activity.empty(), "--expect-activity"},
        std::pair{!opt.coverage_path.empty(), "--coverage"}, std::pair{opt.balance, "--balance"}}) {
    if (set) {
      throw cli::UsageError(fmt::format(
          "{} runs one fully connected network; this model has convolution, pooling or LSTM "
          "layers",
          what));
    }
  }
}

// The segments with their images, golden models and loaded model instances; returns the back
// door's host seconds.
double prepare(std::vector<Segment>& segments, const SimOptions& opt, std::mt19937_64& rng) {
  const uint32_t n = opt.config.pes();
  cli::set_stage("building the memory images");
  for (Segment& g : segments) {
    try {
      g.image = build_memory_image(g.part.net, opt.config);
    } catch (const Error& e) {
      fail("segment {}: {}", g.name, e.what());
    }
    g.golden = std::make_unique<GoldenModel>(g.part.net, n);
  }
  cli::set_stage("simulating");
  double backdoor_seconds = 0;
  for (Segment& g : segments) {
    SimOptions o = opt;
    o.trace_path = segment_trace(opt.trace_path, g.name);
    g.bench = std::make_unique<Bench>(o, g.part.net, g.image, *g.golden, rng);
    g.totals = std::make_unique<SimTotals>(g.part.net.layers.size(), n);
    backdoor_seconds += load(*g.bench, o);
  }
  return backdoor_seconds;
}

// A convolution: one run of the kernel matrix per output position, on the patch there.
std::vector<int16_t> run_convolution(Segment& g, const Layer& layer, const std::vector<int16_t>& x,
                                     std::optional<uint8_t> scored, const SimOptions& opt) {
  const uint64_t positions = layer.positions();
  std::vector<int16_t> y(layer.outputs());
  for (uint64_t p = 0; p < positions; ++p) {
    const std::vector<int16_t> patch = conv_patch(layer, x, p);
    run_inference(*g.bench, patch, scored, ++g.runs, opt.effective_fifo_limit(), opt.readback,
                  *g.totals);
    const std::vector<int16_t> column = g.golden->run(patch).back();  // as checked
    for (size_t o = 0; o < column.size(); ++o) y[o * positions + p] = column[o];
  }
  return y;
}

// An LSTM: one run of the gate matrix per step, on [x_t; h_t-1]; the host applies the step's
// element-wise update to the gate values the run was checked against and feeds h_t back. Its runs
// score nothing: their outputs are gate values, not the network's.
std::vector<int16_t> run_lstm(Segment& g, const Layer& layer, const std::vector<int16_t>& x,
                              int act_frac, const SimOptions& opt) {
  LstmState state(layer.sequence.hidden);
  for (uint32_t t = 0; t < layer.sequence.steps; ++t) {
    const std::vector<int16_t> v = lstm_step_input(layer, x, t, state.h);
    run_inference(*g.bench, v, std::nullopt, ++g.runs, opt.effective_fifo_limit(), opt.readback,
                  *g.totals);
    lstm_step(g.golden->run(v).back(), state, act_frac);  // the gates as checked
  }
  return state.h;
}

// One input through every layer: the segments' runs, pooling on the host, and after each layer
// the assembled tensor against the whole network's golden output. Returns the network's output.
std::vector<int16_t> run_image(std::vector<Segment>& segments, const Network& net,
                               const GoldenModel& whole, const std::vector<int16_t>& input,
                               std::optional<uint8_t> label, size_t image, const SimOptions& opt) {
  const std::vector<std::vector<int16_t>> expected = whole.run(input);
  const uint32_t limit = opt.effective_fifo_limit();
  std::vector<int16_t> x = input;
  size_t next = 0;  // the next segment
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    if (layer.kind == LayerKind::kMaxPool2d) {
      x = max_pool(layer, x);  // on the host
    } else {
      Segment& g = segments.at(next++);
      // The last segment scores the label on its run (RTL and golden alike).
      const std::optional<uint8_t> scored =
          g.part.last + 1 == net.layers.size() ? label : std::nullopt;
      if (g.part.kind == LayerKind::kConv2d) {
        x = run_convolution(g, layer, x, scored, opt);
      } else if (g.part.kind == LayerKind::kLstm) {
        x = run_lstm(g, layer, x, net.act_frac, opt);
      } else {
        run_inference(*g.bench, x, scored, ++g.runs, limit, opt.readback, *g.totals);
        x = g.golden->run(x).back();
        l = g.part.last;
      }
    }
    if (x != expected[l]) {
      throw SimError(
          fmt::format("input {}: {}'s output assembled from the array's runs differs "
                      "from the golden model's",
                      image + 1, layer_label(net, l)));
    }
  }
  return x;
}

// A segment's work over all its runs: compute cycles (each layer from its start to the end of
// its drain; the result stream to the host is not in them), the busiest PE's entries and all
// entries (padding included), and the broadcast-plus-results floor.
struct SegmentWork {
  uint64_t compute = 0, busiest = 0, entries = 0, floor = 0;
};

SegmentWork segment_work(const Segment& g) {
  SegmentWork w;
  for (const RunStats& r : g.totals->runs) {
    for (size_t l = 0; l < r.layer_cycles.size(); ++l) {
      w.compute += r.layer_cycles[l];
      w.busiest += r.work_busiest[l];
      w.entries += r.work_total[l];
    }
  }
  // One cycle per broadcast the layers' LNZD needs (one per non-zero input, one per all-zero
  // group) plus one per result: what no run can take less than.
  w.floor = uint64_t{g.runs} * g.part.net.outputs();
  for (const LayerTotals& l : g.totals->layers) w.floor += l.broadcast_floor;
  return w;
}

// Per-segment and per-image cycles, the verdict and the JSON report.
void report(const std::vector<Segment>& segments, const SimOptions& opt, uint64_t images,
            bool mnist, uint64_t rtl_correct, uint64_t golden_correct, double sim_seconds,
            std::FILE* info) {
  uint64_t cycles = 0, checked = 0, simulated = 0;
  nlohmann::json js = nlohmann::json::array();
  if (!opt.quiet) {
    fmt::print(info, "{:<16} {:>10} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12}\n", "segment",
               "runs/image", "cycles/image", "cycles/run", "compute/run", "busiest/run",
               "floor/image", "outputs");
  }
  for (const Segment& g : segments) {
    const uint64_t c = g.totals->run_cycles();
    const SegmentWork w = segment_work(g);
    cycles += c;
    checked += g.totals->checked;
    simulated += g.bench->sim.cycle();
    if (!opt.quiet) {
      const auto per_run = [&](uint64_t v) { return static_cast<double>(v) / g.runs; };
      fmt::print(info, "{:<16} {:>10} {:>12} {:>12.1f} {:>12.1f} {:>12.1f} {:>12} {:>12}\n", g.name,
                 g.runs / images, c / images, per_run(c), per_run(w.compute), per_run(w.busiest),
                 w.floor / images, g.totals->checked);
    }
    js.push_back({{"segment", g.name},
                  {"kind", kind_name(g.part.kind)},
                  {"runs", g.runs},
                  {"cycles", c},
                  {"compute_cycles", w.compute},
                  {"busiest_pe_entries", w.busiest},
                  {"entries", w.entries},
                  {"floor_cycles", w.floor},
                  {"outputs_checked", g.totals->checked},
                  // Per run, as a fully connected run's report has them: the energy model prices
                  // a segment's runs (scripts/energy.sh).
                  {"activity", json_activity(*g.totals, g.bench->probe)}});
  }
  if (mnist) {
    fmt::print(info, "MNIST: RTL {} / {} correct, golden {} / {}\n", rtl_correct, images,
               golden_correct, images);
    if (rtl_correct != golden_correct) throw SimError("RTL and golden accuracy differ");
  }
  fmt::print(info,
             "PASS [{}]: {} image(s), {} outputs checked, {} run cycles ({} per image), {} cycles "
             "simulated at {:.0f} cycles/s\n",
             EIE_VARIANT, images, checked, cycles, cycles / images, simulated,
             static_cast<double>(simulated) / sim_seconds);
  if (opt.json_path.empty()) return;
  nlohmann::json j;
  j["variant"] = EIE_VARIANT;
  j["config"] = {{"num_pe", opt.config.num_pe},
                 {"active_pe", opt.config.pes()},
                 {"fifo_depth", opt.config.fifo_depth},
                 {"fifo_limit", opt.fifo_limit}};
  j["seed"] = opt.seed;
  j["images"] = images;
  j["segments"] = js;
  j["run_cycles"] = cycles;
  j["cycles_per_image"] = static_cast<double>(cycles) / static_cast<double>(images);
  j["outputs_checked"] = checked;
  if (mnist) j["accuracy"] = {{"rtl_correct", rtl_correct}, {"golden_correct", golden_correct}};
  const std::string text = j.dump(2) + "\n";
  write_output(opt.json_path, std::vector<uint8_t>(text.begin(), text.end()));
}

}  // namespace

void run_segmented(const SimOptions& opt, const Stimulus& stimulus, std::FILE* info,
                   std::mt19937_64& rng) {
  refuse_fully_connected_options(opt);
  const Scenario& s = stimulus.scenario;
  const GoldenModel whole(s.net, opt.config.pes());
  std::vector<Segment> segments = split(s.net);
  if (!opt.quiet) {
    fmt::print(info,
               "eie_sim [{}]: {} layers in {} array segments, {} PEs active of {}, FIFO {} of {}, "
               "seed {}\n",
               EIE_VARIANT, s.net.layers.size(), segments.size(), opt.config.pes(),
               opt.config.num_pe, opt.effective_fifo_limit(), opt.config.fifo_depth, opt.seed);
  }
  const auto wall_start = std::chrono::steady_clock::now();
  const double backdoor_seconds = prepare(segments, opt, rng);
  const bool mnist = !stimulus.labels.empty();
  uint64_t rtl_correct = 0, golden_correct = 0;
  for (size_t r = 0; r < s.inputs.size(); ++r) {
    std::optional<uint8_t> label;
    if (mnist) label = stimulus.labels[r];
    const std::vector<int16_t> y = run_image(segments, s.net, whole, s.inputs[r], label, r, opt);
    // A network that ends in a convolution, pooling or LSTM has no fully connected run to score
    // it: scored here, on outputs every run checked.
    if (mnist && s.net.layers.back().kind != LayerKind::kFullyConnected) {
      rtl_correct += predicted_class(original_order(s.net, y)) == *label;
      golden_correct +=
          predicted_class(original_order(s.net, whole.run(s.inputs[r]).back())) == *label;
    }
  }
  for (Segment& g : segments) {
    check_pe_counters(g.bench->driver, opt.config.pes(), opt.readback, *g.totals);
    g.bench->sim.close_trace();
    rtl_correct += g.totals->rtl_correct;
    golden_correct += g.totals->golden_correct;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  report(segments, opt, s.inputs.size(), mnist, rtl_correct, golden_correct,
         wall - backdoor_seconds, info);
}

}  // namespace eie::tb
