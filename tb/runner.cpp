#include "runner.h"

#include <fmt/format.h>

#include <chrono>

#include "checks/scoreboard.h"
#include "eie/classify.h"
#include "sim/backdoor.h"

namespace eie::tb {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
// The probe finds the counters, which register as the model first runs: after the reset.
ActivityProbe reset_then_probe(SimCtrl& sim, uint32_t num_pe) {
  sim.reset();
  return ActivityProbe(num_pe, sim.name());
}
}  // namespace

Bench::Bench(const SimOptions& opt, const Network& net_in, const MemoryImage& image_in,
             const GoldenModel& golden_in, std::mt19937_64& rng)
    : sim(opt.trace_path, opt.max_cycles, opt.rand_reset),
      driver(sim, rng, opt.idle),
      sink(sim.dut(), rng, opt.backpressure),
      monitor(sim, opt.config.num_pe, opt.config.fifo_depth, opt.config.pes(),
              opt.effective_fifo_limit()),
      probe(reset_then_probe(sim, opt.config.num_pe)),
      net(net_in),
      image(image_in),
      golden(golden_in),
      n(opt.config.pes()) {
  monitor.set_probe(probe);
}

double load(Bench& b, const SimOptions& opt) {
  const HwConfig& built = opt.config;
  b.driver.configure(built.active_pe, opt.fifo_limit, opt.hold_limit);
  double backdoor_seconds = 0;
  if (opt.backdoor) {
    const auto t0 = std::chrono::steady_clock::now();
    backdoor_load(b.driver, b.image);
    backdoor_seconds = seconds_since(t0);
  } else {
    b.driver.load(b.image);
  }
  if (opt.readback) {
    b.driver.check_image(b.image);
    b.driver.expect(kTgtCtrl, 0, hw::kCtrlRun,
                    uint64_t{built.hold_slots} << 48 | uint64_t{built.max_layers} << 32 |
                        uint64_t{built.fifo_depth} << 16 | built.num_pe,
                    "build parameters (control register 0)");
    b.driver.expect(kTgtCtrl, 0, hw::kCtrlActivePe, b.n, "active PEs (control register 2)");
    b.driver.expect(kTgtCtrl, 0, hw::kCtrlFifoLimit, opt.effective_fifo_limit(),
                    "FIFO limit (control register 3)");
    b.driver.expect(kTgtCtrl, 0, hw::kCtrlHoldLimit, opt.hold_limit,
                    "hold slots in use (control register 4)");
  }
  if (opt.dirty_codebook0) {
    for (uint32_t l = 0; l < b.image.layers.size(); ++l) {
      b.driver.write(kTgtCodebook, 0, hw::kCodebookSize * l,
                     static_cast<uint16_t>(0x5a5a ^ (l * 0x1111)));
    }
  }
  return backdoor_seconds;
}

void run_inference(Bench& b, const std::vector<int16_t>& input, std::optional<uint8_t> label,
                   uint32_t run, uint32_t fifo_limit, bool readback, SimTotals& totals) {
  std::vector<LayerWork> work;
  const auto expected = b.golden.run(input, &work);
  Scoreboard board(input, expected);
  RunStats stats;
  for (size_t l = 0; l < work.size(); ++l) {
    for (uint32_t k = 0; k < b.n; ++k) totals.golden_busy[k] += work[l].entries_per_pe[k];
    totals.layers[l].work_total += work[l].total_entries();
    totals.layers[l].work_busiest += work[l].max_entries();
    stats.work_total.push_back(work[l].total_entries());
    stats.work_busiest.push_back(work[l].max_entries());
  }
  b.driver.write_input(input, b.n);
  b.monitor.begin_run(board, stats, b.net.layers.size(), fifo_limit);
  // The input's last write acts two cycles after the port took it (docs/hardware.md, "Host
  // port"): the run's activity starts after it.
  b.sim.tick();
  b.sim.tick();
  b.monitor.mark();
  b.driver.start(static_cast<uint32_t>(b.net.layers.size()));
  while (!b.monitor.done()) {
    b.sink.next_cycle();
    b.sim.tick();
  }
  b.sink.stop();
  board.finish();
  account_run_activity(b.probe, b.image, b.monitor.marks(), input, expected, b.n, run, totals);
  if (label) {
    totals.rtl_correct += predicted_class(original_order(b.net, board.outputs())) == *label;
    totals.golden_correct += predicted_class(original_order(b.net, expected.back())) == *label;
  }
  stats.cycles = b.sim.dut().cycles_o;
  totals.checked += board.checked();
  if (readback) {
    b.driver.expect(kTgtCtrl, 0, hw::kCtrlCycles, stats.cycles, "run cycles (control register 1)");
    check_results(b.driver, b.net, expected.back(), b.n, b.image.config.act_depth);
  }
  b.monitor.end_run();
  totals.runs.push_back(stats);
}

void check_pe_counters(HostDriver& driver, uint32_t n, bool readback, SimTotals& totals) {
  totals.pe.assign(n, PeCounters{});
  for (uint32_t k = 0; k < n; ++k) {
    for (size_t c = 0; c < kPeCounterAddrs.size(); ++c) {
      totals.pe[k][c] = driver.read(kTgtStats, k, kPeCounterAddrs[c]);
    }
    if (totals.pe[k][0] != totals.golden_busy[k]) {
      throw SimError(
          fmt::format("PE {} busy for {} cycles but the golden model gives it {} entries", k,
                      totals.pe[k][0], totals.golden_busy[k]));
    }
  }
  if (readback) {
    for (uint32_t k = 0; k < n; ++k) {
      driver.write(kTgtStats, k, hw::kStatBusy, 0);
      for (const uint32_t c : kPeCounterAddrs) driver.expect(kTgtStats, k, c, 0, "cleared counter");
    }
  }
}

}  // namespace eie::tb
