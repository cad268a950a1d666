// Sparse-matrix read unit of a PE (EIE Fig. 4 "Sparse Matrix Access"): the E stage walks the
// entry addresses [start, end) of the column at the head of the activation queue, one per cycle
// with no bubble at word or column boundaries, and reads the 64-bit word holding each entry; one
// cycle later (R) it presents that entry (8 bits {z, v}) with its activation. Where the word of
// the entry it issues is already on the RAM's output, E steps over a padding entry after it
// (docs/hardware.md, section 6), and R's entry carries the skip: its row lies 16 further on.
`default_nettype none

module eie_pe_spmat_read #(
  parameter int unsigned SpmatDepth = 1024,  // 64-bit words
  localparam int unsigned ActW      = eie_pkg::ActWidth,
  localparam int unsigned PtrW      = eie_pkg::PtrWidth,
  localparam int unsigned SpAddrW   = eie_pkg::clog2_min1(SpmatDepth)
) (
  input  wire logic            clk_i,
  input  wire logic            rst_ni,

  // Head of the activation queue: (a_j, start, end) of a non-empty column.
  input  wire logic            col_valid_i,
  output      logic            col_ready_o,
  input  wire logic [ActW-1:0] col_act_i,
  input  wire logic [PtrW-1:0] col_start_i,
  input  wire logic [PtrW-1:0] col_end_i,

  output      logic            col_ready_next_o,  // col_ready_o as it will be next cycle
  output      logic            e_valid_o,      // an entry is issued this cycle
  // R stage: the entry issued last cycle.
  output      logic            entry_valid_o,
  output      logic [7:0]      entry_o,        // {z[3:0], v[3:0]}
  output      logic            entry_first_o,  // first entry of its column
  output      logic            entry_last_o,   // last entry of its column
  output      logic            entry_skip_o,   // a padding entry before it was stepped over
  output      logic [ActW-1:0] entry_act_o,

  // Host access to sparse-matrix word host_addr_i; the strobes are this unit's own (eie_pe
  // decodes the target).
  input  wire logic               host_we_i,
  input  wire logic               host_re_i,
  input  wire logic [SpAddrW-1:0] host_addr_i,
  input  wire logic [63:0]        host_wdata_i,
  output      logic [63:0]        host_rdata_o
);

  // ---------------------------------------------------------------------------------------------
  // E: address walk.
  // ---------------------------------------------------------------------------------------------
  // e_last_q (the entry issued now ends its column) is computed a cycle ahead, so E frees itself
  // (col_ready_o) straight from registers: the FIFO pop and the PE's ready then start at flops.
  // The issued address is e_base_q + e_skip_q: a skip decided in one cycle (from the RAM) lands
  // in a one-bit register and moves the address only in the next, so no carry chain follows the
  // RAM (synthesis, not knowing the RAM's output comes late, would otherwise share the two
  // increments as one with the skip as its carry in).
  logic            e_valid_q, e_first_q, e_last_q, e_skip_q, col_pop;
  logic [PtrW-1:0] e_base_q, e_end_m2_q;  // e_end_m2_q: the column's end - 2
  logic [PtrW-1:0] e_addr;                // the entry issued this cycle
  logic [ActW-1:0] e_act_q;

  assign e_addr      = e_base_q + PtrW'(e_skip_q);
  assign col_ready_o = !e_valid_q || e_last_q;
  assign col_pop     = col_valid_i && col_ready_o;

  // Skip: the entry after e_addr (in its word, not its column's last) is padding and E steps
  // over it. The word of e_addr is on the RAM's output when e_addr neither starts its column nor
  // its word (a read since would be E's own, at such an entry), so the decision is the RAM's
  // output, a 4-bit zero test and flops; what it selects (the last-entry flag) comes from flops.
  logic            skip, step_last, skip_last;
  logic [63:0]     rdata;
  logic [2:0]      next_sel;
  // Whether the entry after e_addr (step_last) or the one after that (skip_last) ends the column,
  // from e_base_q against the column's end, so that no comparison waits for e_addr's carry.
  logic [PtrW-1:0] e_end_m3, e_end_m4;
  assign e_end_m3  = e_end_m2_q - 1'b1;
  assign e_end_m4  = e_end_m2_q - PtrW'(2);
  assign next_sel  = e_addr[2:0] + 3'd1;
  assign step_last = e_skip_q ? e_base_q == e_end_m3 : e_base_q == e_end_m2_q;
  assign skip_last = e_skip_q ? e_base_q == e_end_m4 : e_base_q == e_end_m3;
  assign skip      = e_valid_q && !e_last_q && !e_first_q && e_addr[2:0] != 3'd0 &&
                     e_addr[2:0] != 3'd7 && !step_last && rdata[{next_sel, 3'b000} +: 4] == 4'd0;

  logic e_valid_d, e_last_d;

  always_comb begin
    e_valid_d = (e_valid_q && !e_last_q) || col_pop;
    e_last_d  = e_last_q;
    if (e_valid_q && !e_last_q) e_last_d = skip ? skip_last : step_last;
    else if (col_pop) e_last_d = col_start_i + 1'b1 == col_end_i;
  end

  assign col_ready_next_o = !e_valid_d || e_last_d;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) e_valid_q <= 1'b0;
    else e_valid_q <= e_valid_d;
  end

  always_ff @(posedge clk_i) begin
    e_last_q <= e_last_d;
    if (e_valid_q && !e_last_q) begin
      e_base_q  <= e_addr + 1'b1;
      e_first_q <= 1'b0;
      e_skip_q  <= skip;
    end else if (col_pop) begin
      e_base_q  <= col_start_i;
      e_end_m2_q <= col_end_i - PtrW'(2);
      e_act_q   <= col_act_i;
      e_first_q <= 1'b1;
      e_skip_q  <= 1'b0;
    end
  end

  // One read per word a column touches, not one per entry: a column's entries follow each other a
  // cycle apart, so the word read for the entry before (same column, same word) is still on the
  // RAM's output, which holds until the next read. SpmatRead is over half of the paper's PE power.
  logic               e_rd_word;
  assign e_rd_word  = e_valid_q && (e_first_q || e_addr[2:0] == 3'd0);
  logic [SpAddrW-1:0] raddr;
  assign raddr      = host_re_i ? host_addr_i : SpAddrW'(e_addr >> 3);

  eie_ram #(.Width(64), .Depth(SpmatDepth)) u_spmat (
    .clk_i,
    .we_i   (host_we_i),
    .waddr_i(host_addr_i),
    .wdata_i(host_wdata_i),
    .re_i   (e_rd_word || host_re_i),
    .raddr_i(raddr),
    .rdata_o(rdata)
  );

  // ---------------------------------------------------------------------------------------------
  // R: the entry's byte within the word read.
  // ---------------------------------------------------------------------------------------------
  logic            r_valid_q, r_first_q, r_last_q, r_skip_q;
  logic [2:0]      r_sel_q;
  logic [ActW-1:0] r_act_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) r_valid_q <= 1'b0;
    else r_valid_q <= e_valid_q;
  end

  always_ff @(posedge clk_i) begin
    if (e_valid_q) begin
      r_sel_q   <= e_addr[2:0];
      r_first_q <= e_first_q;
      r_last_q  <= e_last_q;
      r_skip_q  <= e_skip_q;
      r_act_q   <= e_act_q;
    end
  end

  assign e_valid_o     = e_valid_q;
  assign entry_valid_o = r_valid_q;
  assign entry_o       = rdata[{r_sel_q, 3'b000} +: 8];
  assign entry_first_o = r_first_q;
  assign entry_last_o  = r_last_q;
  assign entry_skip_o  = r_skip_q;
  assign entry_act_o   = r_act_q;
  assign host_rdata_o  = rdata;

`ifndef SYNTHESIS
  // Functional coverage (Verilator --coverage builds; docs/verification.md).
  cov_word_boundary_in_column: cover property (@(posedge clk_i) disable iff (!rst_ni)
    e_valid_q && !e_last_q && e_addr[2:0] == 3'd7);
  cov_column_back_to_back: cover property (@(posedge clk_i) disable iff (!rst_ni)
    e_valid_q && e_last_q && col_pop);
  cov_single_entry_column: cover property (@(posedge clk_i) disable iff (!rst_ni)
    e_valid_q && e_first_q && e_last_q);
  cov_padding_skipped: cover property (@(posedge clk_i) disable iff (!rst_ni) skip);
  cov_skip_to_last: cover property (@(posedge clk_i) disable iff (!rst_ni) skip && e_last_d);

  logic [SpAddrW-1:0] last_read_q;
  always_ff @(posedge clk_i) if (e_rd_word || host_re_i) last_read_q <= raddr;

  always_ff @(posedge clk_i) begin
    if (rst_ni && e_valid_q) begin
      assert ((32'(e_addr) >> 3) < SpmatDepth)
        else $error("entry address %0d beyond the sparse matrix", e_addr);
      a_e_last: assert (e_last_q == (e_addr + 1'b1 == e_end_m2_q + PtrW'(2)))
        else $error("E: last-entry flag %0d at address %0d, column end %0d", e_last_q, e_addr,
                    e_end_m2_q + PtrW'(2));
      // The word a skip reads from is the one holding e_addr: the last word E read.
      a_skip_word: assert (!skip || SpAddrW'(e_addr >> 3) == last_read_q)
        else $error("E: skip at address %0d decided from word %0d", e_addr, last_read_q);
    end
  end
`endif

endmodule
