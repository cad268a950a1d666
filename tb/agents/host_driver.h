// Driver of the accelerator's host port: loads a memory image and input activations, sets the
// run-time configuration, starts runs and reads memories back. Random idle cycles between
// requests come from the seed.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "eie/eie_pkg.h"
#include "eie/memory_image.h"
#include "sim/sim_ctrl.h"

namespace eie::tb {

// Host request targets, from rtl/eie_pkg.sv.
enum Target : uint8_t {
  kTgtSpmat = hw::kTgtSpmat,
  kTgtPtr = hw::kTgtPtr,
  kTgtBias = hw::kTgtBias,
  kTgtAct = hw::kTgtAct,
  kTgtAcc = hw::kTgtAcc,
  kTgtStats = hw::kTgtStats,
  kTgtCodebook = hw::kTgtCodebook,
  kTgtLayer = hw::kTgtLayer,
  kTgtCtrl = hw::kTgtCtrl,
};

class HostDriver {
 public:
  HostDriver(SimCtrl& sim, std::mt19937_64& rng, double idle_probability);
  SimCtrl& sim() { return sim_; }

  void write(Target target, uint32_t pe, uint32_t addr, uint64_t data);
  uint64_t read(Target target, uint32_t pe, uint32_t addr);

  void configure(uint32_t active_pe, uint32_t fifo_limit, uint32_t hold_limit);
  void load(const MemoryImage& image);
  // Input activation i goes to bank 0 of PE i % n at local index i / n.
  void write_input(const std::vector<int16_t>& x, uint32_t n);
  void start(uint32_t layers);
  // Reads every word `load` wrote back through the host port, pipelined; throws SimError on a
  // difference.
  void check_image(const MemoryImage& image);
  // Reads a word and throws SimError naming it unless it equals `want`.
  void expect(Target target, uint32_t pe, uint32_t addr, uint64_t want, const char* what);

  struct ReadCheck {
    Target target;
    uint32_t pe, addr;
    uint64_t want;
    const char* what;
  };
  // The same for many words, with the reads pipelined: a request goes out whenever the port is
  // ready (after the random idle cycles), before the responses to the ones before it, which
  // come back in order three cycles after each; consecutive reads of different PEs so overlap.
  void expect_pipelined(const std::vector<ReadCheck>& reads);
  uint64_t requests() const { return requests_; }

 private:
  // Drives one request onto the port (valid high) for the next edge.
  void offer(bool write, Target target, uint32_t pe, uint32_t addr, uint64_t data);
  // Waits out the random idle cycles, then offers a request until it is accepted.
  void request(bool write, Target target, uint32_t pe, uint32_t addr, uint64_t data);
  // Throws SimError naming the word unless `got` is what it should be.
  void check(const ReadCheck& r, uint64_t got) const;

  SimCtrl& sim_;
  std::mt19937_64& rng_;
  std::bernoulli_distribution idle_;
  uint64_t requests_ = 0;
};

// Every word of the memory image with its host address, in load order:
// fn(target, pe, address, word, what).
template <typename Fn>
void for_each_word(const MemoryImage& image, Fn&& fn) {
  for (size_t l = 0; l < image.layers.size(); ++l) {
    const auto addr = static_cast<uint32_t>(l);
    fn(kTgtLayer, 0u, 2 * addr, image.layers[l].word0(), "layer descriptor word 0");
    fn(kTgtLayer, 0u, 2 * addr + 1, image.layers[l].word1(), "layer descriptor word 1");
    for (uint32_t c = 0; c < hw::kCodebookSize; ++c) {
      fn(kTgtCodebook, 0u, hw::kCodebookSize * addr + c,
         uint64_t{static_cast<uint16_t>(image.codebooks[l][c])}, "codebook entry");
    }
  }
  for (uint32_t k = 0; k < image.pe.size(); ++k) {
    const PeImage& pe = image.pe[k];
    for (uint32_t a = 0; a < pe.spmat.size(); ++a) {
      fn(kTgtSpmat, k, a, pe.spmat[a], "sparse-matrix word");
    }
    for (uint32_t a = 0; a < pe.pointers.size(); ++a) {
      fn(kTgtPtr, k, a, uint64_t{pe.pointers[a]}, "pointer");
    }
    for (uint32_t a = 0; a < pe.bias.size(); ++a) {
      fn(kTgtBias, k, a, uint64_t{static_cast<uint32_t>(pe.bias[a])}, "bias");
    }
  }
}

}  // namespace eie::tb
