#include "sim/sim_ctrl.h"

#include <fmt/format.h>

#include <cstdint>

#include "eie/error.h"
#include "verilated_fst_c.h"
#if VM_COVERAGE
#include "verilated_cov.h"
#endif

namespace eie::tb {

namespace {
// Trace time in ps at EIE's 800 MHz: one cycle is 1250 ps, the rising edge half-way.
constexpr uint64_t kCyclePs = 1250;
constexpr uint64_t kRisingEdgePs = kCyclePs / 2;

// Instance names in use: the lowest free one is taken, so that a process that makes one model
// after another (the RTL fuzzer) keeps reusing "eie" and the registries keyed by it.
std::vector<bool>& names_in_use() {
  static std::vector<bool> used;
  return used;
}
std::string instance_name(size_t i) { return i == 0 ? "eie" : "eie" + std::to_string(i + 1); }
std::string take_instance_name() {
  std::vector<bool>& used = names_in_use();
  size_t i = 0;
  while (i < used.size() && used[i]) ++i;
  if (i == used.size()) used.push_back(false);
  used[i] = true;
  return instance_name(i);
}
void release_instance_name(const std::string& name) {
  std::vector<bool>& used = names_in_use();
  for (size_t i = 0; i < used.size(); ++i) {
    if (instance_name(i) == name) used[i] = false;
  }
}
}  // namespace

SimCtrl::SimCtrl(const std::string& trace_path, uint64_t max_cycles, uint32_t rand_reset_seed)
    : name_(take_instance_name()),
      ctx_(std::make_unique<VerilatedContext>()),
      max_cycles_(max_cycles) {
  if (rand_reset_seed != 0) {
    ctx_->randReset(2);  // before the model is built: its constructor draws the initial values
    ctx_->randSeed(static_cast<int>(rand_reset_seed & 0x7fffffff));
  }
  // Assertion failures report and count instead of aborting, so the testbench can close the
  // trace and name the cycle.
  ctx_->fatalOnError(false);
  if (!trace_path.empty()) ctx_->traceEverOn(true);
  dut_ = std::make_unique<Veie_top>(ctx_.get(), name_.c_str());
  if (!trace_path.empty()) {
    trace_file_ = std::make_unique<TempOutput>(trace_path);
    trace_ = std::make_unique<VerilatedFstC>();
    dut_->trace(trace_.get(), 99);
    trace_->open(trace_file_->temp_path().c_str());
    if (!trace_->isOpen()) fail("{}: cannot open the trace for writing", trace_path);
  }
  dut_->clk_i = 0;
  dut_->rst_ni = 0;
  dut_->eval();
}

SimCtrl::~SimCtrl() {
  try {
    close_trace();
  } catch (const Error& e) {
    fmt::print(stderr, "eie_sim: error: {}\n", e.what());
  }
  dut_->final();
  release_instance_name(name_);
}

void SimCtrl::close_trace() {
  if (trace_) {
    trace_->close();
    trace_.reset();
    trace_file_->commit();
    trace_file_.reset();
  }
}

bool SimCtrl::coverage_build() { return VM_COVERAGE != 0; }

void SimCtrl::write_coverage(const std::string& path) {
#if VM_COVERAGE
  TempOutput out(path);
  ctx_->coveragep()->write(out.temp_path().c_str());
  out.commit();
#else
  fail("{}: this build has no coverage counters", path);
#endif
}

void SimCtrl::eval_and_dump(uint64_t time) {
  dut_->eval();
  if (trace_) trace_->dump(time);
}

void SimCtrl::reset(int cycles) {
  dut_->rst_ni = 0;
  for (int i = 0; i < cycles; ++i) tick();
  dut_->rst_ni = 1;
}

void SimCtrl::tick() {
  if (cycle_ >= max_cycles_) {
    throw SimError(fmt::format("timeout: no result after {} cycles (--max-cycles)", max_cycles_));
  }
  // Inputs were set during the low phase; show them before the edge, as GTKWave users expect.
  dut_->clk_i = 0;
  eval_and_dump(cycle_ * kCyclePs);
  for (auto& hook : samplers_) hook();
  dut_->clk_i = 1;
  eval_and_dump(cycle_ * kCyclePs + kRisingEdgePs);
  ++cycle_;
  if (ctx_->gotError()) {
    throw SimError(fmt::format("cycle {}: RTL assertion failed (see the message above)", cycle_));
  }
}

}  // namespace eie::tb
