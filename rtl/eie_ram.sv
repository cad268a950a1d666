// Simple dual-port RAM: one write port, one registered read port. Read data holds until the next
// read, so a consumer may sample it late. Its own module so synthesis can swap in an SRAM macro.
`default_nettype none

module eie_ram #(
  parameter int unsigned Width = 16,
  parameter int unsigned Depth = 64,
  // Not eie_pkg::clog2_min1: the synthesis and gate-level flows read this file alone, as the SRAM
  // macro's model, without the package.
  localparam int unsigned AddrW = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  wire logic             clk_i,
  input  wire logic             we_i,
  input  wire logic [AddrW-1:0] waddr_i,
  input  wire logic [Width-1:0] wdata_i,
  input  wire logic             re_i,
  input  wire logic [AddrW-1:0] raddr_i,
  output      logic [Width-1:0] rdata_o
);

  logic [Width-1:0] mem_q [Depth];

  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
  end

  always_ff @(posedge clk_i) begin
    if (re_i) rdata_o <= mem_q[raddr_i];
  end

`ifdef EIE_BACKDOOR
  /* verilator coverage_off */
  // Test-bench back door (tb/sim/backdoor.cpp): every instance registers its scope at time 0, and
  // the test bench then writes words in zero simulated time to preload large layers, and reads the
  // access counts (tb/checks/activity.h: the energy model's memory accesses). Only the simulation
  // builds define EIE_BACKDOOR (rtl.lint_backdoor lints it); synthesis never sees it.
  import "DPI-C" context function void eie_backdoor_register(input int unsigned width,
                                                             input int unsigned depth);
  export "DPI-C" function eie_backdoor_write;
  function automatic void eie_backdoor_write(input int unsigned addr, input longint unsigned data);
    mem_q[addr] = data[Width-1:0];
  endfunction
  initial eie_backdoor_register(Width, Depth);

  // Since time 0; the test bench takes differences. Added without a branch: the enables are
  // data-dependent, and mispredicted branches in every RAM made the simulation 30% slower.
  longint unsigned reads_q, writes_q;
  always_ff @(posedge clk_i) begin
    reads_q  <= reads_q + 64'(re_i);
    writes_q <= writes_q + 64'(we_i);
  end
  export "DPI-C" function eie_ram_accesses;
  function automatic void eie_ram_accesses(output longint unsigned reads,
                                           output longint unsigned writes);
    reads = reads_q;
    writes = writes_q;
  endfunction
  /* verilator coverage_on */
`endif

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (we_i) assert (32'(waddr_i) < Depth) else $error("eie_ram: write address %0d >= %0d", waddr_i, Depth);
    if (re_i) assert (32'(raddr_i) < Depth) else $error("eie_ram: read address %0d >= %0d", raddr_i, Depth);
  end
`endif

endmodule
