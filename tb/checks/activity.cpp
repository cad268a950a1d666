#include "checks/activity.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>

#include "Veie_top__Dpi.h"
#include "sim/backdoor.h"
#include "sim/sim_error.h"
#include "svdpi.h"

namespace eie::tb {
namespace {

// The eie_activity instances (in eie_top.u_ccu and each eie_top.g_pe[k].u_pe) by the name of
// the unit holding them, with their event counts; filled by their initial blocks.
struct CounterScope {
  svScope scope;
  uint32_t events;
};
std::map<std::string, CounterScope>& counter_scopes() {
  static std::map<std::string, CounterScope> map;
  return map;
}

[[maybe_unused]] svScope find_scope(const std::string& unit, size_t events) {
  const auto it = counter_scopes().find(unit);
  if (it == counter_scopes().end()) {
    throw SimError(
        fmt::format("activity: no counters in {} ({} registered)", unit, counter_scopes().size()));
  }
  if (it->second.events != events) {
    throw SimError(fmt::format("activity: {} counts {} events, the test bench names {}", unit,
                               it->second.events, events));
  }
  return it->second.scope;
}

}  // namespace

Activity& Activity::operator+=(const Activity& other) {
  pe.resize(std::max(pe.size(), other.pe.size()));
  for (size_t k = 0; k < other.pe.size(); ++k) {
    for (size_t e = 0; e < kPeEvents.size(); ++e) pe[k][e] += other.pe[k][e];
  }
  for (size_t e = 0; e < kCcuEvents.size(); ++e) ccu[e] += other.ccu[e];
  for (size_t e = 0; e < kHoldEvents.size(); ++e) hold[e] += other.hold[e];
  ram.resize(std::max(ram.size(), other.ram.size()));
  for (size_t i = 0; i < other.ram.size(); ++i) {
    ram[i][0] += other.ram[i][0];
    ram[i][1] += other.ram[i][1];
  }
  return *this;
}

Activity operator-(const Activity& a, const Activity& b) {
  Activity d = a;  // unsigned differences: exact even if a counter started from a random value
  for (size_t k = 0; k < d.pe.size(); ++k) {
    for (size_t e = 0; e < kPeEvents.size(); ++e) d.pe[k][e] -= b.pe.at(k)[e];
  }
  for (size_t e = 0; e < kCcuEvents.size(); ++e) d.ccu[e] -= b.ccu[e];
  for (size_t e = 0; e < kHoldEvents.size(); ++e) d.hold[e] -= b.hold[e];
  for (size_t i = 0; i < d.ram.size(); ++i) {
    d.ram[i][0] -= b.ram.at(i)[0];
    d.ram[i][1] -= b.ram.at(i)[1];
  }
  return d;
}

bool ActivityProbe::available() { return EIE_ACTIVITY != 0; }

ActivityProbe::ActivityProbe(uint32_t num_pe, const std::string& instance)
    : num_pe_(num_pe), instance_(instance) {
  if (available()) {
    find_scope(instance_ + ".eie_top.u_ccu", kCcuEvents.size());
    if (EIE_HOLD_SLOTS > 0) find_scope(instance_ + ".eie_top.g_hold.u_hold", kHoldEvents.size());
    for (uint32_t k = 0; k < num_pe; ++k) {
      find_scope(fmt::format("{}.eie_top.g_pe[{}].u_pe", instance_, k), kPeEvents.size());
    }
  }
  // eie_top.g_pe[3].u_pe.u_act_rw.g_act_bank[1].u_act -> PE 3, role act.
  static const std::regex pe_ram(R"(^eie_top\.g_pe\[(\d+)\]\..*\.u_(\w+)$)");
  static const std::regex ccu_ram(R"(^eie_top\.u_ccu\..*?u_(\w+)$)");
  for (const RamAccesses& r : ram_accesses(instance_)) {
    std::smatch m;
    if (std::regex_match(r.name, m, pe_ram)) {
      ram_pe_.push_back(std::stoi(m[1]));
      ram_roles_.push_back(m[2]);
    } else if (std::regex_match(r.name, m, ccu_ram)) {
      ram_pe_.push_back(-1);
      ram_roles_.push_back(m[1]);
    } else {
      throw SimError(fmt::format("activity: RAM {} is neither a PE's nor the CCU's", r.name));
    }
    ram_names_.push_back(r.name);
    ram_width_.push_back(r.width);
    ram_depth_.push_back(r.depth);
  }
}

Activity ActivityProbe::read() const {
  Activity a;
  a.pe.resize(num_pe_);
#if EIE_ACTIVITY
  svSetScope(find_scope(instance_ + ".eie_top.u_ccu", kCcuEvents.size()));
  for (size_t e = 0; e < kCcuEvents.size(); ++e) {
    a.ccu[e] = eie_activity_count(static_cast<uint32_t>(e));
  }
  if (EIE_HOLD_SLOTS > 0) {
    svSetScope(find_scope(instance_ + ".eie_top.g_hold.u_hold", kHoldEvents.size()));
    for (size_t e = 0; e < kHoldEvents.size(); ++e) {
      a.hold[e] = eie_activity_count(static_cast<uint32_t>(e));
    }
  }
  for (uint32_t k = 0; k < num_pe_; ++k) {
    svSetScope(find_scope(fmt::format("{}.eie_top.g_pe[{}].u_pe", instance_, k), kPeEvents.size()));
    for (size_t e = 0; e < kPeEvents.size(); ++e) {
      a.pe[k][e] = eie_activity_count(static_cast<uint32_t>(e));
    }
  }
#endif
  for (const RamAccesses& r : ram_accesses(instance_)) a.ram.push_back({r.reads, r.writes});
  if (a.ram.size() != ram_names_.size()) {
    throw SimError(
        fmt::format("activity: {} RAMs now, {} at the start", a.ram.size(), ram_names_.size()));
  }
  return a;
}

void ActivityProbe::check_window(const Activity& d, const ActivityWindow& want, uint32_t n) const {
  const auto expect = [&](const std::string& what, uint32_t pe, uint64_t got, uint64_t ref) {
    if (got != ref) {
      throw SimError(fmt::format("{}: PE {} {}: the RTL counted {}, the golden model predicts {}",
                                 want.label, pe, what, got, ref));
    }
  };
  const PeLayerActivity none;
  const auto compute = [&](uint32_t k) -> const PeLayerActivity& {
    return want.compute ? want.compute->at(k) : none;
  };
  const auto writeback = [&](uint32_t k) -> const PeLayerActivity& {
    return want.writeback ? want.writeback->at(k) : none;
  };
  const bool c_bias = want.compute_layer && want.compute_layer->has_bias;
  const bool w_bias = want.writeback_layer && want.writeback_layer->has_bias;
  const uint64_t groups = want.compute ? compute(0).groups : want.groups;
  for (uint32_t k = 0; k < n && available(); ++k) {
    const auto& e = d.pe.at(k);
    const PeLayerActivity& c = compute(k);
    expect("broadcasts", k, e[kPeBcast], c.broadcasts);
    expect("FIFO pushes", k, e[kPePush], c.columns);
    expect("FIFO pops", k, e[kPePop], c.columns);
    expect("entries", k, e[kPeEntry], c.entries);
    expect("products", k, e[kPeMult], c.entries);
    expect("accumulations", k, e[kPeAdd], c.entries);
    expect("busy cycles", k, e[kPeBusy], c.entries);
  }
  // Per active PE and role, both banks of a role together: {reads, writes}.
  std::map<std::string, std::vector<std::array<uint64_t, 2>>> by_role;
  for (size_t i = 0; i < ram_names_.size(); ++i) {
    const int k = ram_pe_[i];
    const std::string& role = ram_roles_[i];
    if (k < 0) {
      expect(role + " reads (CCU)", 0, d.ram[i][0],
             role == "desc" ? want.desc_reads : want.codebook_reads);
      expect(role + " writes (CCU)", 0, d.ram[i][1], 0);
      continue;
    }
    if (static_cast<uint32_t>(k) >= n) continue;  // inactive PEs
    auto& v = by_role[role];
    v.resize(n, {0, 0});
    v[k][0] += d.ram[i][0];
    v[k][1] += d.ram[i][1];
  }
  for (const auto& [role, v] : by_role) {
    for (uint32_t k = 0; k < n; ++k) {
      const PeLayerActivity& c = compute(k);
      const PeLayerActivity& w = writeback(k);
      uint64_t reads = 0, writes = 0;
      if (role == "spmat") {
        reads = c.spmat_words;
      } else if (role == "ptr_even" || role == "ptr_odd") {
        reads = c.broadcasts;
      } else if (role == "bias") {
        // A row's first entry reads its bias; the write-back reads the untouched rows'.
        reads = (c_bias ? c.touched_rows : 0) + (w_bias ? w.rows - w.touched_rows : 0);
      } else if (role == "acc") {
        // Every later entry reads its row; the write-back reads the touched rows.
        reads = c.entries - c.touched_rows + w.touched_rows;
        writes = c.entries;
      } else if (role == "act") {
        reads = groups;  // one source read per group, in every PE
        writes = w.rows;
      } else {
        throw SimError(fmt::format("activity: no prediction for the {} RAM of PE {}", role, k));
      }
      expect(role + " reads", k, v[k][0], reads);
      expect(role + " writes", k, v[k][1], writes);
    }
  }
  if (available()) {
    expect("broadcasts (CCU)", 0, d.ccu[kCcuBcast], n ? compute(0).broadcasts : 0);
    expect("group loads (CCU)", 0, d.ccu[kCcuGroup], groups);
    expect("write-back rows (CCU)", 0, d.ccu[kCcuWbRow], n ? writeback(0).rows : 0);
    expect("results (CCU)", 0, d.ccu[kCcuOut], want.results);
  }
}

nlohmann::json ActivityProbe::summary(const Activity& d) const {
  nlohmann::json j;
  for (size_t e = 0; e < kPeEvents.size(); ++e) {
    uint64_t total = 0;
    for (const auto& p : d.pe) total += p[e];
    j["pe"][kPeEvents[e]] = total;
  }
  for (size_t e = 0; e < kCcuEvents.size(); ++e) j["ccu"][kCcuEvents[e]] = d.ccu[e];
  for (size_t e = 0; e < kHoldEvents.size(); ++e) j["hold"][kHoldEvents[e]] = d.hold[e];
  std::map<std::string, MemoryAccesses> roles;
  for (size_t i = 0; i < ram_names_.size(); ++i) {
    MemoryAccesses& m = roles[(ram_pe_[i] < 0 ? "ccu." : "pe.") + ram_roles_[i]];
    m.width = ram_width_[i];
    m.depth = ram_depth_[i];
    ++m.instances;
    m.reads += d.ram[i][0];
    m.writes += d.ram[i][1];
  }
  for (const auto& [role, m] : roles) {
    j["memories"][role] = {{"width", m.width},
                           {"depth", m.depth},
                           {"instances", m.instances},
                           {"reads", m.reads},
                           {"writes", m.writes}};
  }
  return j;
}

}  // namespace eie::tb

// DPI import of rtl/eie_activity.sv: called once per instance at time 0, from the scope
// <model instance>.eie_top.<unit>.u_activity.
void eie_activity_register(uint32_t events) {
  const svScope scope = svGetScope();
  std::string name = svGetNameFromScope(scope);
  name = name.substr(0, name.rfind('.'));  // the unit holding the counters
  eie::tb::counter_scopes()[name] = {scope, events};
}
