// Driver of the accelerator's host port: loads a memory image and input activations, sets the
// run-time configuration, starts runs and reads memories back. Random idle cycles between
// requests come from the seed.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "eie/memory_image.h"
#include "sim_ctrl.h"

namespace eie::tb {

// Host request targets (rtl/eie_pkg.sv).
enum Target : uint8_t {
  kTgtSpmat = 0,
  kTgtPtr = 1,
  kTgtBias = 2,
  kTgtAct = 3,
  kTgtAcc = 4,
  kTgtStats = 5,
  kTgtCodebook = 6,
  kTgtLayer = 7,
  kTgtCtrl = 8,
};

class HostDriver {
 public:
  HostDriver(SimCtrl& sim, std::mt19937_64& rng, double idle_probability);

  void write(Target target, uint32_t pe, uint32_t addr, uint64_t data);
  uint64_t read(Target target, uint32_t pe, uint32_t addr);

  void configure(uint32_t active_pe, uint32_t fifo_limit);
  void load(const MemoryImage& image);
  // Input activation i goes to bank 0 of PE i % n at local index i / n.
  void write_input(const std::vector<int16_t>& x, uint32_t n);
  void start(uint32_t layers);
  // Reads every word `load` wrote back through the host port; throws SimError on a difference.
  void check_image(const MemoryImage& image);
  // Reads a word and throws SimError naming it unless it equals `want`.
  void expect(Target target, uint32_t pe, uint32_t addr, uint64_t want, const char* what);
  uint64_t requests() const { return requests_; }

 private:
  void request(bool write, Target target, uint32_t pe, uint32_t addr, uint64_t data);

  SimCtrl& sim_;
  std::mt19937_64& rng_;
  std::bernoulli_distribution idle_;
  uint64_t requests_ = 0;
};

}  // namespace eie::tb
