#include "sim/backdoor.h"

#include <fmt/format.h>

#include <map>
#include <string>

#include "Veie_top__Dpi.h"
#include "svdpi.h"

namespace eie::tb {
namespace {

struct RamScope {
  svScope scope;
  uint32_t width, depth;
};

// Every eie_ram instance by hierarchical name, the model instance's first (eie.eie_top.g_pe[0]...),
// filled by the instances' initial blocks.
std::map<std::string, RamScope>& rams() {
  static std::map<std::string, RamScope> map;
  return map;
}

const RamScope& find_ram(const std::string& name) {
  const auto it = rams().find(name);
  if (it == rams().end()) {
    throw SimError(
        fmt::format("back door: no RAM instance {} ({} registered{}{}; RAM hierarchy renamed, or "
                    "called before the model's first evaluation?)",
                    name, rams().size(), rams().empty() ? "" : ", the first ",
                    rams().empty() ? "" : rams().begin()->first));
  }
  return it->second;
}

void write_ram(const RamScope& ram, uint32_t addr, uint64_t word) {
  if (addr >= ram.depth) {
    throw SimError(fmt::format("back door: address {} beyond {}'s depth {}", addr,
                               svGetNameFromScope(ram.scope), ram.depth));
  }
  svSetScope(ram.scope);
  eie_backdoor_write(addr, word);
}

// One PE's back-door RAMs, looked up by name once per PE rather than once per word.
struct PeRams {
  const RamScope *spmat, *ptr_even, *ptr_odd, *bias_even, *bias_odd;
};

PeRams find_pe_rams(const std::string& instance, uint32_t pe) {
  const std::string prefix = fmt::format("{}.eie_top.g_pe[{}].u_pe.", instance, pe);
  return {&find_ram(prefix + "u_spmat_read.u_spmat"), &find_ram(prefix + "u_ptr_read.u_ptr_even"),
          &find_ram(prefix + "u_ptr_read.u_ptr_odd"),
          &find_ram(prefix + "u_act_rw.g_bias_bank[0].u_bias"),
          &find_ram(prefix + "u_act_rw.g_bias_bank[1].u_bias")};
}

}  // namespace

void backdoor_load(HostDriver& driver, const MemoryImage& image) {
  uint32_t current = UINT32_MAX;
  PeRams r{};
  for_each_word(image, [&](Target t, uint32_t pe, uint32_t addr, uint64_t word, const char*) {
    if ((t == kTgtSpmat || t == kTgtPtr || t == kTgtBias) && pe != current) {
      r = find_pe_rams(driver.sim().name(), pe);
      current = pe;
    }
    switch (t) {
      case kTgtSpmat:
        write_ram(*r.spmat, addr, word);
        break;
      case kTgtPtr:  // even pointer indices in one bank, odd in the other, at index / 2
        write_ram(addr % 2 == 0 ? *r.ptr_even : *r.ptr_odd, addr / 2, word);
        break;
      case kTgtBias: {  // the even layers' half of the addresses in one bank, the odd's in the
                        // other
        const uint32_t half = r.bias_even->depth;
        write_ram(addr < half ? *r.bias_even : *r.bias_odd, addr % half, word);
        break;
      }
      default:
        driver.write(t, pe, addr, word);
    }
  });
}

std::vector<RamAccesses> ram_accesses(const std::string& instance) {
  std::vector<RamAccesses> out;
  const std::string prefix = instance + ".";
  for (const auto& [name, ram] : rams()) {  // std::map: sorted by name
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    svSetScope(ram.scope);
    unsigned long long reads = 0, writes = 0;
    eie_ram_accesses(&reads, &writes);
    out.push_back({name.substr(prefix.size()), ram.width, ram.depth, static_cast<uint64_t>(reads),
                   static_cast<uint64_t>(writes)});
  }
  return out;
}

}  // namespace eie::tb

// DPI import of rtl/eie_ram.sv: called once per instance at time 0.
void eie_backdoor_register(uint32_t width, uint32_t depth) {
  const svScope scope = svGetScope();
  const std::string name = svGetNameFromScope(scope);
  eie::tb::rams()[name] = {scope, width, depth};
}
