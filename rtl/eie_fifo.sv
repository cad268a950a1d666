// Activation queue of a PE: a synchronous FIFO with valid/ready on both sides. Depth >= 1; a full
// FIFO refuses pushes (the broadcast then stalls), an empty one has no valid output.
// store_i says a push may come this cycle, before push_valid_i decides it: the data is written
// into the free slot then, and the push only moves the write pointer. A late push_valid_i (the
// PE's empty-column compare after the pointer RAM) so drives a few pointer bits, not the write
// enables of the whole entry (docs/timing.md).
`default_nettype none

module eie_fifo #(
  parameter int unsigned Width = 40,
  parameter int unsigned Depth = 8,
  localparam int unsigned PtrW = eie_pkg::clog2_min1(Depth),
  localparam int unsigned CntW = $clog2(Depth + 1)
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic [CntW-1:0]  limit_i,  // usable entries, 1..Depth (a runtime FIFO depth)
  input  wire logic             store_i,  // a push may come: write the free slot (push_valid_i
                                          // implies it)
  input  wire logic             push_valid_i,
  output      logic             push_ready_o,
  input  wire logic [Width-1:0] push_data_i,
  output      logic             pop_valid_o,
  input  wire logic             pop_ready_i,
  output      logic [Width-1:0] pop_data_o,
  output      logic [CntW-1:0]  level_o
);

  logic [Width-1:0] mem_q [Depth];
  logic [PtrW-1:0] rd_q, wr_q;
  logic [CntW-1:0] count_q;
  logic push, pop;

  // limit_i <= Depth (the CCU clamps it), so count_q < limit_i also bounds the storage.
  assign push_ready_o = count_q < limit_i;
  assign pop_valid_o  = count_q != '0;
  assign pop_data_o   = mem_q[rd_q];
  assign level_o      = count_q;
  assign push = push_valid_i && push_ready_o;
  assign pop  = pop_valid_o && pop_ready_i;

  function automatic logic [PtrW-1:0] next_ptr(input logic [PtrW-1:0] p);
    next_ptr = (32'(p) == Depth - 1) ? '0 : p + 1'b1;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q    <= '0;
      wr_q    <= '0;
      count_q <= '0;
    end else begin
      if (push) wr_q <= next_ptr(wr_q);
      if (pop) rd_q <= next_ptr(rd_q);
      if (push && !pop) count_q <= count_q + 1'b1;
      else if (pop && !push) count_q <= count_q - 1'b1;
    end
  end

  // The slot at wr_q is free while push_ready_o (count_q < limit_i <= Depth): writing it without
  // a push changes no entry.
  always_ff @(posedge clk_i) begin
    if (store_i && push_ready_o) mem_q[wr_q] <= push_data_i;
  end

`ifdef FORMAL
  // Properties for Yosys (`make formal`, scripts/formal.py): a reference queue of the pushed
  // entries, in order, beside the FIFO; every pop must give the reference's head. Its contents,
  // slot by slot, are part of the claim, which makes the proof inductive.
  logic [Width-1:0] f_ref_q [Depth];
  logic [CntW-1:0]  f_ref_cnt_q;
  logic             f_past_valid_q;
  logic [CntW-1:0]  f_limit_q;  // the limit a cycle before
  initial f_past_valid_q = 1'b0;  // the proof starts in reset (scripts/formal.py)

  always_ff @(posedge clk_i) begin
    f_past_valid_q <= 1'b1;
    f_limit_q      <= limit_i;
    if (!rst_ni) begin
      f_ref_cnt_q <= '0;
    end else begin
      // Pop from the head (slot 0) and push behind the last entry, in one step.
      for (int unsigned i = 0; i < Depth; i++) begin
        if (pop) f_ref_q[i] <= (i + 1 < Depth) ? f_ref_q[i+1] : f_ref_q[i];
      end
      if (push) f_ref_q[32'(f_ref_cnt_q) - (pop ? 1 : 0)] <= push_data_i;
      f_ref_cnt_q <= f_ref_cnt_q + CntW'(push) - CntW'(pop);
    end
  end

  always_comb begin
    if (rst_ni) begin
      assume (limit_i != '0 && 32'(limit_i) <= Depth);
      assume (!push_valid_i || store_i);  // a push is a store that commits
      // The CCU changes the limit only between runs, when every FIFO is empty.
      if (f_past_valid_q && count_q != '0) assume (limit_i == f_limit_q);
      // No overflow: the level stays within the limit; no underflow: it follows the reference.
      assert (count_q <= limit_i);
      assert (count_q == f_ref_cnt_q);
      assert (pop_valid_o == (count_q != '0));
      assert (32'(rd_q) < Depth && 32'(wr_q) < Depth);
      assert (32'(wr_q) == (32'(rd_q) + 32'(count_q)) % Depth);
      // Order: slot i of the FIFO, counted from the read pointer, holds the i-th entry pushed and
      // not yet popped.
      for (int unsigned i = 0; i < Depth; i++) begin
        if (i < 32'(count_q)) assert (mem_q[(32'(rd_q) + i) % Depth] == f_ref_q[i]);
      end
    end
  end

  // A valid output holds its data until it is popped (limit changes included).
  always_ff @(posedge clk_i) begin
    if (f_past_valid_q && rst_ni && $past(rst_ni) && $past(pop_valid_o && !pop_ready_i)) begin
      assert (pop_valid_o && pop_data_o == $past(pop_data_o));
    end
  end
`endif

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(push_valid_i && !push_ready_o)) else $error("eie_fifo: push into a full FIFO");
      assert (!push_valid_i || store_i) else $error("eie_fifo: push without store");
      assert (32'(count_q) <= Depth) else $error("eie_fifo: overflow (%0d > %0d)", count_q, Depth);
      assert (limit_i != '0) else $error("eie_fifo: limit 0");
      assert (count_q <= limit_i) else $error("eie_fifo: %0d entries beyond the limit %0d",
                                               count_q, limit_i);
      // Underflow: count_q only decrements on pop = pop_valid_o && pop_ready_i, so it cannot
      // wrap below zero; the level check above bounds it from the other side.
    end
  end
`endif

endmodule
