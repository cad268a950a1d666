// Result sink: the host's side of the results. While a run streams its last layer out, the sink
// refuses a result in a cycle with the back-pressure probability (out_ready_i low); after a run
// it can read the results back where they stay (--readback).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "agents/host_driver.h"
#include "eie/network.h"
#include "sim/sim_ctrl.h"

namespace eie::tb {

class ResultSink {
 public:
  ResultSink(Veie_top& dut, std::mt19937_64& rng, double backpressure)
      : dut_(dut), rng_(rng), refuse_(backpressure) {}
  // Takes or refuses a result in the coming cycle.
  void next_cycle() { dut_.out_ready_i = !refuse_(rng_); }
  // Between runs nothing is taken.
  void stop() { dut_.out_ready_i = 0; }

 private:
  Veie_top& dut_;
  std::mt19937_64& rng_;
  std::bernoulli_distribution refuse_;
};

// The last layer's results where a host finds them after a run: activation i in the destination
// bank (bank L % 2 after L layers) of PE i % n at local index i / n, and its accumulator, whose
// write-back (int16 saturation, then ReLU) is that activation. Throws SimError on a difference.
void check_results(HostDriver& driver, const Network& net, const std::vector<int16_t>& y,
                   uint32_t n, uint32_t act_depth);

}  // namespace eie::tb
