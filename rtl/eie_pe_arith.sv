// Arithmetic unit of a PE (EIE Fig. 4): turns each entry {z, v} into a local row (address
// accumulation: row = previous + 1 + z, 16 more when E stepped over a padding entry before it, or
// z at a column's first entry) and a weight (codebook
// lookup, index 0 = exact zero), multiplies by the activation, and accumulates with the rounding
// and saturation of docs/arithmetic.md. Five stages, one entry per cycle:
//   R:  row, weight
//   M1: Booth partial products reduced to two rows (eie_mul_csa)
//   M2: the rows added: the product p; the accumulator of the row is read, or, for the row's
//       first entry of the layer, its initial value (bias or 0: no sweep initialises rows)
//   S1: s = (p >>> w_frac) + p[w_frac-1], which equals (p + 2^(w_frac-1)) >>> w_frac; the
//       accumulator read data, or the value written last cycle to the same row, is registered
//   S2: acc = sat32(acc + s), the round bit as the adder's carry in; accumulator write
// The read (M2) happens two cycles before the write (S2), so the two entries ahead may have
// written the row since: the one two ahead is forwarded in S1, the one just ahead in S2. An entry
// is its row's first when no earlier entry touched the row: not the touched bit (the entries that
// wrote before it), nor one of the three entries between M1 and the write.
`default_nettype none

module eie_pe_arith #(
  parameter int unsigned ActDepth  = 64,  // accumulators
  parameter int unsigned AccWidth  = 32,
  localparam int unsigned ActW     = eie_pkg::ActWidth,
  localparam int unsigned ProdW    = 2 * ActW,
  localparam int unsigned ActAddrW = eie_pkg::clog2_min1(ActDepth)
) (
  input  wire logic                clk_i,
  input  wire logic                rst_ni,

  // Layer configuration.
  input  wire logic [eie_pkg::CodebookSize*ActW-1:0]  codebook_i,
  input  wire logic [3:0]          w_frac_i,

  // Entry from the sparse-matrix read unit (R stage).
  input  wire logic                entry_valid_i,
  input  wire logic [7:0]          entry_i,
  input  wire logic                entry_first_i,
  input  wire logic                entry_last_i,
  input  wire logic                entry_skip_i,  // a padding entry (16 rows) was stepped over
  input  wire logic [ActW-1:0]     entry_act_i,

  // Accumulator read (data next cycle) and write; rows touched this layer.
  output      logic [ActAddrW-1:0] acc_touched_raddr_o,  // M1's row
  input  wire logic                acc_touched_i,        // ...touched this layer
  output      logic                acc_re_o,
  output      logic                acc_init_re_o,  // read the row's initial value instead
  output      logic [ActAddrW-1:0] acc_raddr_o,
  input  wire logic [AccWidth-1:0] acc_rdata_i,
  input  wire logic [AccWidth-1:0] acc_init_i,
  output      logic                acc_we_o,
  output      logic [ActAddrW-1:0] acc_waddr_o,
  output      logic [AccWidth-1:0] acc_wdata_o,

  output      logic [3:0]          valid_o  // {M1, M2, S1, S2}
);

  // ---------------------------------------------------------------------------------------------
  // R: address accumulation and weight decode.
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned RowW = ActAddrW + 5;  // room for row + 32 before the range check

  logic [3:0]      r_v, r_z;
  logic [RowW-1:0] r_row, prev_row_q;
  logic [ActW-1:0] r_weight;

  assign r_v      = entry_i[3:0];
  assign r_z      = entry_i[7:4];
  // {skip, z} + 1 is the 1 + z + 16 x skip rows from the previous entry: no second adder.
  assign r_row    = entry_first_i ? RowW'(r_z) : prev_row_q + RowW'({entry_skip_i, r_z}) + 1'b1;
  // Index 0 is exact zero by definition (docs/arithmetic.md), whatever codebook entry 0 holds.
  assign r_weight = (r_v == 4'd0) ? '0 : codebook_i[r_v*ActW +: ActW];

  // ---------------------------------------------------------------------------------------------
  // Pipeline registers. Valid bits are reset; data registers load only with a valid entry.
  // ---------------------------------------------------------------------------------------------
  logic                m1_valid_q, m2_valid_q, s1_valid_q, s2_valid_q, byp_valid_q;
  logic                m2_first_q, s1_first_q, m1_first;
  logic [ActW-1:0]     m1_act_q, m1_weight_q;
  logic [ActAddrW-1:0] m1_row_q, m2_row_q, s1_row_q, s2_row_q, byp_row_q;
  logic [ProdW-1:0]    m2_sum_q, m2_carry_q, m2_sum_d, m2_carry_d;
  logic signed [ProdW-1:0]    s1_product_q, m2_product;
  logic signed [ProdW-1:0]    s2_scaled_q, s1_scaled;
  logic                       s2_round_q, s1_round, s2_hit_q, s1_hit;
  logic signed [AccWidth-1:0] s2_old_q, s1_old, s2_old, s2_new, byp_acc_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      m1_valid_q  <= 1'b0;
      m2_valid_q  <= 1'b0;
      s1_valid_q  <= 1'b0;
      s2_valid_q  <= 1'b0;
      byp_valid_q <= 1'b0;
    end else begin
      m1_valid_q  <= entry_valid_i;
      m2_valid_q  <= m1_valid_q;
      s1_valid_q  <= m2_valid_q;
      s2_valid_q  <= s1_valid_q;
      byp_valid_q <= s2_valid_q;
    end
  end

  always_ff @(posedge clk_i) begin
    if (entry_valid_i) begin
      prev_row_q  <= r_row;
      m1_act_q    <= entry_act_i;
      m1_weight_q <= r_weight;
      m1_row_q    <= ActAddrW'(r_row);
    end
    if (m1_valid_q) begin
      m2_sum_q   <= m2_sum_d;
      m2_carry_q <= m2_carry_d;
      m2_row_q   <= m1_row_q;
      m2_first_q <= m1_first;
    end
    if (m2_valid_q) begin
      s1_product_q <= m2_product;
      s1_row_q     <= m2_row_q;
      s1_first_q   <= m2_first_q;
    end
    if (s1_valid_q) begin
      s2_scaled_q <= s1_scaled;
      s2_round_q  <= s1_round;
      s2_old_q    <= s1_old;
      s2_hit_q    <= s1_hit;
      s2_row_q    <= s1_row_q;
    end
    if (s2_valid_q) begin
      byp_acc_q <= s2_new;
      byp_row_q <= s2_row_q;
    end
  end

  // The row's first entry of the layer: decided in M1 from flops, for M2's read.
  assign acc_touched_raddr_o = m1_row_q;
  assign m1_first = !(acc_touched_i || (m2_valid_q && m2_row_q == m1_row_q) ||
                      (s1_valid_q && s1_row_q == m1_row_q) || (s2_valid_q && s2_row_q == m1_row_q));

  // ---------------------------------------------------------------------------------------------
  // M1, M2: multiply.
  // ---------------------------------------------------------------------------------------------
  eie_mul_csa u_mul_csa (
    .a_i    (m1_act_q),
    .b_i    (m1_weight_q),
    .sum_o  (m2_sum_d),
    .carry_o(m2_carry_d)
  );

  eie_add_ks #(.Width(ProdW)) u_m2_add (
    .a_i  (m2_sum_q),
    .b_i  (m2_carry_q),
    .ci_i (1'b0),
    .sum_o(m2_product)
  );

  // ---------------------------------------------------------------------------------------------
  // S1: scale and round bit; the accumulator value as of the write two entries ahead.
  // ---------------------------------------------------------------------------------------------
  // floor((p + 2^(f-1)) / 2^f) = floor(p / 2^f) + bit f-1 of p, for f >= 1.
  assign s1_scaled = s1_product_q >>> w_frac_i;
  assign s1_round  = (w_frac_i != 4'd0) && s1_product_q[{1'b0, w_frac_i - 4'd1}];
  always_comb begin
    if (s1_first_q) s1_old = $signed(acc_init_i);
    else if (byp_valid_q && byp_row_q == s1_row_q) s1_old = byp_acc_q;
    else s1_old = $signed(acc_rdata_i);
  end
  assign s1_hit    = s2_valid_q && s2_row_q == s1_row_q;  // the entry ahead writes this row

  // ---------------------------------------------------------------------------------------------
  // S2: saturating accumulate.
  // ---------------------------------------------------------------------------------------------
  logic signed [AccWidth:0] s2_sum;

  assign s2_old = s2_hit_q ? byp_acc_q : s2_old_q;

  eie_add_ks #(.Width(AccWidth + 1)) u_s2_add (
    .a_i  ((AccWidth+1)'(s2_old)),
    .b_i  ((AccWidth+1)'(s2_scaled_q)),
    .ci_i (s2_round_q),
    .sum_o(s2_sum)
  );

  localparam logic signed [AccWidth-1:0] AccMax = {1'b0, {(AccWidth-1){1'b1}}};
  localparam logic signed [AccWidth-1:0] AccMin = {1'b1, {(AccWidth-1){1'b0}}};

  always_comb begin
    if (s2_sum[AccWidth] != s2_sum[AccWidth-1]) s2_new = s2_sum[AccWidth] ? AccMin : AccMax;
    else s2_new = s2_sum[AccWidth-1:0];
  end

  assign acc_re_o      = m2_valid_q && !m2_first_q;
  assign acc_init_re_o = m2_valid_q && m2_first_q;
  assign acc_raddr_o = m2_row_q;
  assign acc_we_o    = s2_valid_q;
  assign acc_waddr_o = s2_row_q;
  assign acc_wdata_o = s2_new;
  assign valid_o     = {m1_valid_q, m2_valid_q, s1_valid_q, s2_valid_q};

`ifndef SYNTHESIS
  // Functional coverage (Verilator --coverage builds; docs/verification.md).
  cov_padding_entry: cover property (@(posedge clk_i) disable iff (!rst_ni)
    entry_valid_i && r_v == 4'd0);
  cov_bypass_ahead: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s2_valid_q && s2_hit_q);
  cov_bypass_two_ahead: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s1_valid_q && byp_valid_q && byp_row_q == s1_row_q && !s1_hit);
  cov_acc_saturates_high: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s2_valid_q && s2_sum[AccWidth] != s2_sum[AccWidth-1] && !s2_sum[AccWidth]);
  cov_acc_saturates_low: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s2_valid_q && s2_sum[AccWidth] != s2_sum[AccWidth-1] && s2_sum[AccWidth]);
  cov_round_half: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s1_valid_q && w_frac_i != 4'd0 &&
    (s1_product_q & ((32'd1 << w_frac_i) - 1)) == (32'd1 << (w_frac_i - 1)));

  // The specification (and the golden model) accumulate in int32; a narrower accumulator would
  // wrap where the specification saturates.
  initial assert (AccWidth >= 32) else $fatal(1, "eie_pe_arith: AccWidth %0d < 32", AccWidth);

  // Simulation only: S2's entry is its row's first (eie_pe checks it against the touched bits).
  logic s2_first_q;
  always_ff @(posedge clk_i) begin
    if (s1_valid_q) s2_first_q <= s1_first_q;
  end
  cov_second_entry_right_behind_first: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s1_valid_q && s1_hit && s2_first_q);

  always_ff @(posedge clk_i) begin
    if (rst_ni && entry_valid_i) begin
      a_padding_z15: assert (r_v != 0 || r_z == 4'd15)
        else $error("padding entry with z = %0d (must be 15)", r_z);
      a_padding_not_last: assert (r_v != 0 || !entry_last_i) else $error("padding entry ends a column");
      a_row_in_range: assert (32'(r_row) < ActDepth)
        else $error("local row %0d outside %0d accumulators", r_row, ActDepth);
    end
    // The multiplier's two rows add up to the product (both operands as M1 registered them).
    if (rst_ni && m1_valid_q) begin
      a_mul_csa: assert (m2_sum_d + m2_carry_d ==
                         32'($signed(m1_act_q) * $signed(m1_weight_q)))
        else $error("eie_mul_csa: %0d x %0d gives %0d", $signed(m1_act_q), $signed(m1_weight_q),
                    $signed(m2_sum_d + m2_carry_d));
    end
  end
`endif

endmodule
