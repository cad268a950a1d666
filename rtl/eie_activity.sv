// Activity counters of the simulation builds (EIE_BACKDOOR only; synthesis sees an empty file):
// one count per event and cycle since time 0, read by the test bench through DPI for the energy
// model (tb/checks/activity.h) and checked there against the golden model. eie_pe and eie_ccu
// each hold one, with their own event lists. Not hardware: the host's counters in eie_pe are the
// only real ones.
`ifdef EIE_BACKDOOR
`default_nettype none

module eie_activity #(
  parameter int unsigned NumEvents = 1
) (
  input wire logic                 clk_i,
  input wire logic [NumEvents-1:0] event_i
);
  /* verilator coverage_off */
  longint unsigned count_q [NumEvents];

  // Added without a branch: the events are data-dependent, and mispredicted branches in every
  // counter slowed the simulation by a third.
  always_ff @(posedge clk_i) begin
    for (int unsigned i = 0; i < NumEvents; i++) count_q[i] <= count_q[i] + 64'(event_i[i]);
  end

  import "DPI-C" context function void eie_activity_register(input int unsigned events);
  export "DPI-C" function eie_activity_count;
  function automatic longint unsigned eie_activity_count(input int unsigned i);
    return count_q[i];
  endfunction
  initial eie_activity_register(NumEvents);
  /* verilator coverage_on */
endmodule
`endif
