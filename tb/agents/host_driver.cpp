#include "agents/host_driver.h"

#include <fmt/format.h>

namespace eie::tb {

HostDriver::HostDriver(SimCtrl& sim, std::mt19937_64& rng, double idle_probability)
    : sim_(sim), rng_(rng), idle_(idle_probability) {
  // Every input the host drives starts idle: under --rand-reset they would otherwise power up
  // random (a request the host never made).
  Veie_top& dut = sim_.dut();
  dut.host_req_valid_i = 0;
  dut.host_req_write_i = 0;
  dut.host_req_target_i = 0;
  dut.host_req_pe_i = 0;
  dut.host_req_addr_i = 0;
  dut.host_req_wdata_i = 0;
  dut.out_ready_i = 0;
}

void HostDriver::offer(bool write, Target target, uint32_t pe, uint32_t addr, uint64_t data) {
  Veie_top& dut = sim_.dut();
  dut.host_req_valid_i = 1;
  dut.host_req_write_i = write;
  dut.host_req_target_i = target;
  dut.host_req_pe_i = pe;
  dut.host_req_addr_i = addr;
  dut.host_req_wdata_i = data;
}

void HostDriver::check(const ReadCheck& r, uint64_t got) const {
  if (got != r.want) {
    throw SimError(
        fmt::format("cycle {}: host read-back of {} (target {}, PE {}, address {}): "
                    "0x{:x}, expected 0x{:x}",
                    sim_.cycle(), r.what, static_cast<int>(r.target), r.pe, r.addr, got, r.want));
  }
}

void HostDriver::request(bool write, Target target, uint32_t pe, uint32_t addr, uint64_t data) {
  Veie_top& dut = sim_.dut();
  while (idle_(rng_)) sim_.tick();  // random idle cycles with valid low
  offer(write, target, pe, addr, data);
  // ready comes from registers (the request register, I/O mode), so reading it before the edge is
  // what the edge sees.
  bool accepted = false;
  while (!accepted) {
    accepted = dut.host_req_ready_o;
    sim_.tick();
  }
  dut.host_req_valid_i = 0;
  ++requests_;
}

void HostDriver::write(Target target, uint32_t pe, uint32_t addr, uint64_t data) {
  request(true, target, pe, addr, data);
}

uint64_t HostDriver::read(Target target, uint32_t pe, uint32_t addr) {
  request(false, target, pe, addr, 0);
  // The request acts from eie_top's request register a cycle after it is accepted, reaches the PE's
  // own request register the cycle after, and the data comes the cycle after that
  // (docs/hardware.md, "Host port"); reads happen in I/O mode only.
  sim_.tick();
  sim_.tick();
  if (!sim_.dut().host_rsp_valid_o) throw SimError("host read: no response three cycles later");
  return sim_.dut().host_rsp_rdata_o;
}

void HostDriver::configure(uint32_t active_pe, uint32_t fifo_limit, uint32_t hold_limit) {
  write(kTgtCtrl, 0, hw::kCtrlActivePe, active_pe);
  write(kTgtCtrl, 0, hw::kCtrlFifoLimit, fifo_limit);
  write(kTgtCtrl, 0, hw::kCtrlHoldLimit, hold_limit);
}

void HostDriver::load(const MemoryImage& image) {
  for_each_word(image, [&](Target t, uint32_t pe, uint32_t addr, uint64_t word, const char*) {
    write(t, pe, addr, word);
  });
}

void HostDriver::write_input(const std::vector<int16_t>& x, uint32_t n) {
  for (uint32_t i = 0; i < x.size(); ++i) {
    const ActLocation at = locate_activation(i, n);
    write(kTgtAct, at.pe, at.local, static_cast<uint16_t>(x[i]));  // bank 0: address bit clear
  }
}

void HostDriver::start(uint32_t layers) { write(kTgtCtrl, 0, hw::kCtrlRun, layers); }

void HostDriver::expect(Target target, uint32_t pe, uint32_t addr, uint64_t want,
                        const char* what) {
  check({target, pe, addr, want, what}, read(target, pe, addr));
}

void HostDriver::check_image(const MemoryImage& image) {
  std::vector<ReadCheck> reads;
  for_each_word(image, [&](Target t, uint32_t pe, uint32_t addr, uint64_t word, const char* what) {
    // Biases read back sign-extended from their 32 bits.
    const uint64_t want =
        t == kTgtBias ? static_cast<uint64_t>(int64_t{static_cast<int32_t>(word)}) : word;
    reads.push_back({t, pe, addr, want, what});
  });
  expect_pipelined(reads);
}

void HostDriver::expect_pipelined(const std::vector<ReadCheck>& reads) {
  Veie_top& dut = sim_.dut();
  size_t issued = 0, answered = 0;
  uint64_t waited = 0;  // cycles since the last response while one is due
  while (answered < reads.size()) {
    const bool offered = issued < reads.size() && !idle_(rng_);
    if (offered) {
      const ReadCheck& r = reads[issued];
      offer(false, r.target, r.pe, r.addr, 0);
    } else {
      dut.host_req_valid_i = 0;
    }
    const bool accepted = offered && dut.host_req_ready_o;  // ready comes from registers
    sim_.tick();
    if (accepted) {
      ++issued;
      ++requests_;
    }
    if (dut.host_rsp_valid_o) {
      if (answered >= issued) throw SimError("host read: a response to no request");
      check(reads[answered++], dut.host_rsp_rdata_o);
      waited = 0;
    } else if (answered < issued && ++waited > 3) {
      throw SimError("host read: no response three cycles after a pipelined request");
    }
  }
  dut.host_req_valid_i = 0;
}

}  // namespace eie::tb
