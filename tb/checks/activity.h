// Activity of the RTL, for the energy model (docs/energy.md): the simulation builds' counters
// (rtl/eie_pe.sv, eie_ccu.sv and eie_ram.sv under EIE_BACKDOOR) read through DPI. A snapshot holds
// the counts since time 0; the difference of two is the activity between them. Every run's counts
// are checked against what the golden model predicts (eie/activity.h) before they are reported.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "eie/activity.h"
#include "eie/memory_image.h"

namespace eie::tb {

// Event names in the order of the RTL's enums (eie_pe pe_event_e, eie_ccu ccu_event_e,
// eie_bcast_hold hold_event_e); the probe checks the counts against the RTL's.
constexpr std::array<const char*, 14> kPeEvents = {
    "active_cycles", "broadcasts",  "fifo_pushes",   "fifo_pops",    "entries",
    "zero_entries",  "products",    "accumulations", "bypass_s1",    "bypass_s2",
    "busy_cycles",   "idle_cycles", "stall_cycles",  "host_requests"};
constexpr std::array<const char*, 13> kCcuEvents = {
    "group_loads",    "broadcasts",   "results",        "broadcast_stalls", "host_requests",
    "wb_rows",        "fetch_waits",  "fetch_forwards", "cycles_idle",      "cycles_load",
    "cycles_compute", "cycles_drain", "cycles_output"};
constexpr std::array<const char*, 3> kHoldEvents = {"holds", "take_cycles", "busy_cycles"};
enum PeEvent : size_t {
  kPeActive,
  kPeBcast,
  kPePush,
  kPePop,
  kPeEntry,
  kPeZeroEntry,
  kPeMult,
  kPeAdd,
  kPeFwdS1,
  kPeFwdS2,
  kPeBusy,
  kPeIdle,
  kPeStall,
  kPeHost
};
enum CcuEvent : size_t {
  kCcuGroup,
  kCcuBcast,
  kCcuOut,
  kCcuBcastStall,
  kCcuHost,
  kCcuWbRow,
  kCcuFetchWait,
  kCcuFetchFwd,
  kCcuState
};

// A memory's accesses, by role: every instance of one kind summed (spmat, ptr_even, ptr_odd,
// bias, acc, act, desc, codebook).
struct MemoryAccesses {
  uint32_t width = 0, depth = 0, instances = 0;
  uint64_t reads = 0, writes = 0;
};

struct Activity {
  std::vector<std::array<uint64_t, kPeEvents.size()>> pe;  // [built PE][event]
  std::array<uint64_t, kCcuEvents.size()> ccu{};
  std::array<uint64_t, kHoldEvents.size()> hold{};  // zero in a build without hold slots
  std::vector<std::array<uint64_t, 2>> ram;         // reads, writes per instance, ram_names() order

  Activity& operator+=(const Activity& other);
};
Activity operator-(const Activity& a, const Activity& b);

// A window of a run: from one layer's start to the next's (the last: to the result stream), then
// the result stream. In window l layer l computes and drains while layer l-1 is written back and
// layer l+1's descriptor and codebook are read ahead; the first window also reads layer 1's
// descriptor, and the result stream's window writes back the last layer.
struct ActivityWindow {
  std::string label;
  const std::vector<PeLayerActivity>* compute = nullptr;  // per active PE; none: the output
  const LayerDescriptor* compute_layer = nullptr;
  const std::vector<PeLayerActivity>* writeback = nullptr;  // none in the first window
  const LayerDescriptor* writeback_layer = nullptr;
  uint64_t desc_reads = 0, codebook_reads = 0;  // the CCU's
  uint64_t groups = 0;                          // the output stream's group loads
  uint64_t results = 0;                         // ...and results
};

class ActivityProbe {
 public:
  // Whether this build has the counters (not the gate-level netlist, which keeps only the RAMs).
  static bool available();
  // Finds every counter's scope; call after the model's first evaluation. Throws SimError when
  // the RTL's event lists differ from kPeEvents / kCcuEvents or a PE is missing.
  // The counters of model instance `instance` (SimCtrl::name).
  ActivityProbe(uint32_t num_pe, const std::string& instance);
  Activity read() const;
  const std::vector<std::string>& ram_names() const { return ram_names_; }

  // Throws SimError naming the window, the PE, the count and both values where a window's
  // activity differs from the golden model's prediction for the n active PEs.
  void check_window(const Activity& delta, const ActivityWindow& want, uint32_t n) const;

  // Totals over PEs and instances: {"pe": {event: n}, "ccu": {...}, "hold": {...},
  // "memories": {role: {...}}}.
  nlohmann::json summary(const Activity& delta) const;

 private:
  uint32_t num_pe_;
  std::string instance_;
  std::vector<std::string> ram_names_;
  std::vector<std::string> ram_roles_;  // per instance: spmat, ptr_even, ...
  std::vector<int> ram_pe_;             // per instance: its PE, or -1 for the CCU's
  std::vector<uint32_t> ram_width_, ram_depth_;
};

}  // namespace eie::tb
