// The RTL under a fuzzer: every input decodes to a small network, its inputs and run-time
// settings (tb/stimulus/fuzz_case.h), which run on a small Verilated build with every check
// eie_sim makes (outputs on their cycles against the golden model, activity, counters, read-back).
//
// Built two ways from this file (tb/CMakeLists.txt):
//   fuzz_rtl              libFuzzer (clang, ASan + UBSan; scripts/fuzz.sh, `make fuzz`): a failed
//                         check aborts, so libFuzzer keeps the input as a crash.
//   eie_fuzz_rtl_replay   a plain program that runs files and folders of inputs (the corpus
//                         replay in CTest): eie_fuzz_rtl_replay [-v] [--trace FILE.fst] PATH...
//                         exits 1 when a check fails, naming the input.
#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "eie/inference.h"
#include "eie/memory_image.h"
#include "report.h"
#include "runner.h"
#include "sim_options.h"
#include "stimulus/fuzz_case.h"

namespace eie::tb {
namespace {

// A case loads a few thousand words and runs a few thousand cycles; one that goes on past this
// has hung.
constexpr uint64_t kMaxCycles = 1'000'000;

std::string describe(const FuzzCase& c) {
  std::string widths = std::to_string(c.net.inputs());
  for (const Layer& layer : c.net.layers) widths += "-" + std::to_string(layer.outputs());
  return fmt::format(
      "{} of {} PEs, FIFO {} of {}, hold slots {} of {}, layers {}, {} input(s), idle {}, "
      "back-pressure {}, power-up seed {}, host seed {}{}{}{}{}",
      c.active_pe, EIE_NUM_PE, c.fifo_limit, EIE_FIFO_DEPTH, c.hold_limit, EIE_HOLD_SLOTS, widths,
      c.inputs.size(), c.idle, c.backpressure, c.rand_reset, c.seed,
      c.backdoor ? ", back door" : "", c.readback ? ", read-back" : "",
      c.dirty_codebook0 ? ", dirty codebook 0" : "", c.balance ? ", balanced" : "");
}

// What a passing case checked.
struct CaseResult {
  uint64_t outputs_checked = 0, cycles = 0;
};

// Runs one case; throws SimError where the RTL and the golden model differ.
CaseResult run_case(const FuzzCase& c, const std::string& trace_path) {
  SimOptions opt;
  opt.config = built_config();
  opt.config.active_pe = c.active_pe;
  opt.fifo_limit = c.fifo_limit;
  opt.hold_limit = c.hold_limit;
  opt.seed = c.seed;
  opt.idle = c.idle;
  opt.backpressure = c.backpressure;
  opt.max_cycles = kMaxCycles;
  opt.rand_reset = c.rand_reset;
  opt.backdoor = c.backdoor;
  opt.readback = c.readback;
  opt.dirty_codebook0 = c.dirty_codebook0;
  opt.trace_path = trace_path;
  const MemoryImage image = build_memory_image(c.net, opt.config);
  const GoldenModel golden(c.net, c.active_pe);
  std::mt19937_64 rng(c.seed);
  Bench bench(opt, c.net, image, golden, rng);
  load(bench, opt);
  SimTotals totals(c.net.layers.size(), c.active_pe);
  for (size_t r = 0; r < c.inputs.size(); ++r) {
    run_inference(bench, c.inputs[r], std::nullopt, static_cast<uint32_t>(r + 1), c.fifo_limit,
                  c.readback, totals);
  }
  check_pe_counters(bench.driver, c.active_pe, c.readback, totals);
  return {totals.checked, bench.sim.cycle()};
}

}  // namespace
}  // namespace eie::tb

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto c = eie::tb::decode_fuzz_case(data, size, eie::tb::built_config());
  if (!c) return -1;  // does not fit the build: kept out of the corpus
  try {
    eie::tb::run_case(*c, "");
  } catch (const eie::tb::SimError& e) {
    fmt::print(stderr, "FAIL [fuzz_rtl]: {}\n  case: {}\n", e.what(), eie::tb::describe(*c));
    std::abort();
  }
  return 0;
}

#ifndef EIE_LIBFUZZER
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "eie/file_io.h"

namespace {

// libFuzzer keeps inputs up to 4 KiB by default (-max_len); a replayed file is at most this.
constexpr uint64_t kMaxInputBytes = 1 << 20;

enum class Outcome { kPassed, kFailed, kSkipped };

Outcome replay(const std::filesystem::path& path, bool verbose, const std::string& trace_path) {
  const std::vector<uint8_t> bytes = eie::read_file(path.string(), kMaxInputBytes, "fuzz input");
  const auto c = eie::tb::decode_fuzz_case(bytes.data(), bytes.size(), eie::tb::built_config());
  if (!c) {
    if (verbose) fmt::print("{}: does not fit the build, skipped\n", path.string());
    return Outcome::kSkipped;
  }
  eie::tb::CaseResult r;
  try {
    r = eie::tb::run_case(*c, trace_path);
  } catch (const eie::tb::SimError& e) {
    fmt::print(stderr, "FAIL {}: {}\n  case: {}\n", path.string(), e.what(), eie::tb::describe(*c));
    return Outcome::kFailed;
  }
  if (verbose) {
    fmt::print("{}: ok, {} outputs checked in {} cycles ({})\n", path.string(), r.outputs_checked,
               r.cycles, eie::tb::describe(*c));
  }
  return Outcome::kPassed;
}

}  // namespace

int main(int argc, char** argv) {
  bool verbose = false;
  std::string trace_path;
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-v") {
      verbose = true;
    } else if (arg == "--trace" && i + 1 < argc) {
      trace_path = argv[++i];
    } else if (!arg.empty() && arg[0] == '-') {
      fmt::print(stderr, "usage: eie_fuzz_rtl_replay [-v] [--trace FILE.fst] FILE|FOLDER...\n");
      return 2;
    } else {
      inputs.emplace_back(arg);
    }
  }
  if (inputs.empty()) {
    fmt::print(stderr, "usage: eie_fuzz_rtl_replay [-v] [--trace FILE.fst] FILE|FOLDER...\n");
    return 2;
  }
  size_t passed = 0, failed = 0, skipped = 0;
  try {
    for (const auto& in : inputs) {
      std::vector<std::filesystem::path> files;
      if (std::filesystem::is_directory(in)) {
        for (const auto& e : std::filesystem::directory_iterator(in)) {
          // Hidden files (.gitkeep, which keeps an empty regressions folder in git) are no input.
          if (e.path().filename().string().rfind('.', 0) != 0) files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
      } else {
        files.push_back(in);
      }
      for (const auto& f : files) {
        const Outcome o = replay(f, verbose, trace_path);
        (o == Outcome::kPassed ? passed : o == Outcome::kFailed ? failed : skipped) += 1;
      }
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "eie_fuzz_rtl_replay: error: {}\n", e.what());
    return 1;
  }
  fmt::print("eie_fuzz_rtl_replay [{} PEs, FIFO {}]: {} inputs passed, {} failed, {} skipped\n",
             EIE_NUM_PE, EIE_FIFO_DEPTH, passed, failed, skipped);
  // A replay that ran nothing (an empty or misnamed corpus) checks nothing: a failure too.
  return failed == 0 && passed > 0 ? 0 : 1;
}
#endif
