// Pointer read unit of a PE (EIE Fig. 4 "Ptr Read"): the B stage. A broadcast column j reads the
// PE's pointers p_m and p_m+1 (m = ptr_base + j, which the CCU broadcasts) from the even and odd
// banks in the same cycle;
// the column goes on to the activation queue as (a_j, start, end) only if it holds entries in this
// PE, so an empty column costs the PE no cycle (look-ahead in the pointers).
`default_nettype none

module eie_pe_ptr_read #(
  parameter int unsigned PtrDepth   = 1024,  // pointers, both banks together
  localparam int unsigned ActW      = eie_pkg::ActWidth,
  localparam int unsigned DimW      = eie_pkg::DimWidth,
  localparam int unsigned PtrW      = eie_pkg::PtrWidth,
  localparam int unsigned BankAddrW = (PtrDepth > 3) ? $clog2(PtrDepth / 2) : 1
) (
  input  wire logic            clk_i,
  input  wire logic            rst_ni,

  // Broadcast (already gated by the PE being active): activation and pointer index m.
  input  wire logic            bcast_valid_i,
  input  wire logic [ActW-1:0] bcast_act_i,
  input  wire logic [DimW-1:0] bcast_ptr_i,

  // B stage: the column read last cycle, and whether it goes to the queue.
  output      logic            b_valid_o,
  output      logic            b_push_o,
  output      logic [ActW-1:0] b_act_o,
  output      logic [PtrW-1:0] b_start_o,
  output      logic [PtrW-1:0] b_end_o,

  // Host access to pointer index host_addr_i (bank = bit 0, row = the rest); the strobes are this
  // unit's own (eie_pe decodes the target).
  input  wire logic            host_we_i,
  input  wire logic            host_re_i,
  input  wire logic [DimW-1:0] host_addr_i,
  input  wire logic [PtrW-1:0] host_wdata_i,
  output      logic [PtrW-1:0] host_rdata_o
);

  // p_m and p_m+1 sit in different banks: the even bank row (m + 1) / 2 and the odd bank row m / 2
  // hold them for either parity of m.
  logic            b_valid_q, b_odd_q;
  logic [ActW-1:0] b_act_q;
  logic [PtrW-1:0] even_rdata, odd_rdata;
  logic [DimW-1:0] p_index, p_index_inc;

  assign p_index     = bcast_ptr_i;
  assign p_index_inc = p_index + 1'b1;

  logic                 even_we, odd_we, re;
  logic [BankAddrW-1:0] even_raddr, odd_raddr, host_row;

  assign host_row   = BankAddrW'(host_addr_i >> 1);
  assign even_we    = host_we_i && !host_addr_i[0];
  assign odd_we     = host_we_i && host_addr_i[0];
  assign re         = bcast_valid_i || host_re_i;
  assign even_raddr = host_re_i ? host_row : BankAddrW'(p_index_inc >> 1);
  assign odd_raddr  = host_re_i ? host_row : BankAddrW'(p_index >> 1);

  eie_ram #(.Width(PtrW), .Depth(PtrDepth / 2)) u_ptr_even (
    .clk_i,
    .we_i   (even_we),
    .waddr_i(host_row),
    .wdata_i(host_wdata_i),
    .re_i   (re),
    .raddr_i(even_raddr),
    .rdata_o(even_rdata)
  );

  eie_ram #(.Width(PtrW), .Depth(PtrDepth / 2)) u_ptr_odd (
    .clk_i,
    .we_i   (odd_we),
    .waddr_i(host_row),
    .wdata_i(host_wdata_i),
    .re_i   (re),
    .raddr_i(odd_raddr),
    .rdata_o(odd_rdata)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) b_valid_q <= 1'b0;
    else b_valid_q <= bcast_valid_i;
  end

  // One parity register serves both readers: the broadcast (m even or odd) and the host (bank).
  always_ff @(posedge clk_i) begin
    if (bcast_valid_i) begin
      b_act_q <= bcast_act_i;
      b_odd_q <= p_index[0];
    end else if (host_re_i) begin
      b_odd_q <= host_addr_i[0];
    end
  end

  assign b_valid_o    = b_valid_q;
  assign b_act_o      = b_act_q;
  assign b_start_o    = b_odd_q ? odd_rdata : even_rdata;
  assign b_end_o      = b_odd_q ? even_rdata : odd_rdata;
  assign b_push_o     = b_valid_q && b_start_o != b_end_o;
  assign host_rdata_o = b_odd_q ? odd_rdata : even_rdata;

`ifndef SYNTHESIS
  // Functional coverage (Verilator --coverage builds; docs/verification.md).
  cov_empty_column_dropped: cover property (@(posedge clk_i) disable iff (!rst_ni)
    b_valid_q && !b_push_o);
  cov_odd_pointer_index: cover property (@(posedge clk_i) disable iff (!rst_ni)
    b_valid_q && b_odd_q);

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (bcast_valid_i) begin
        assert (32'(p_index) + 1 < PtrDepth)
          else $error("pointer index %0d beyond %0d pointers", p_index, PtrDepth);
      end
      if (b_valid_q) begin
        assert (b_start_o <= b_end_o)
          else $error("pointers decrease (%0d > %0d)", b_start_o, b_end_o);
      end
    end
  end
`endif

endmodule
