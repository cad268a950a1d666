// Arithmetic unit of a PE (EIE Fig. 4): turns each entry {z, v} into a local row (address
// accumulation: row = previous + 1 + z, or z at a column's first entry) and a weight (codebook
// lookup, index 0 = exact zero), multiplies by the activation, and accumulates with the rounding
// and saturation of docs/arithmetic.md:
//   R: row, weight -> M: product; accumulator read -> S: s = (p + 2^(w_frac-1)) >>> w_frac,
//   acc = sat32(acc + s); accumulator write.
// The accumulators live in the activation read/write unit; the row written last cycle is forwarded
// (bypass), because this entry's accumulator read happened while that write was in flight.
`default_nettype none

module eie_pe_arith #(
  parameter int unsigned ActDepth  = 64,  // accumulators
  parameter int unsigned AccWidth  = 32,
  localparam int unsigned ActW     = eie_pkg::ActWidth,
  localparam int unsigned ActAddrW = (ActDepth > 1) ? $clog2(ActDepth) : 1
) (
  input  wire logic                clk_i,
  input  wire logic                rst_ni,

  // Layer configuration.
  input  wire logic [16*ActW-1:0]  codebook_i,
  input  wire logic [3:0]          w_frac_i,

  // Entry from the sparse-matrix read unit (R stage).
  input  wire logic                entry_valid_i,
  input  wire logic [7:0]          entry_i,
  input  wire logic                entry_first_i,
  input  wire logic                entry_last_i,
  input  wire logic [ActW-1:0]     entry_act_i,

  // Accumulator read (data next cycle) and write.
  output      logic                acc_re_o,
  output      logic [ActAddrW-1:0] acc_raddr_o,
  input  wire logic [AccWidth-1:0] acc_rdata_i,
  output      logic                acc_we_o,
  output      logic [ActAddrW-1:0] acc_waddr_o,
  output      logic [AccWidth-1:0] acc_wdata_o,

  output      logic                m_valid_o,
  output      logic                s_valid_o
);

  // ---------------------------------------------------------------------------------------------
  // R: address accumulation and weight decode.
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned RowW = ActAddrW + 5;  // room for row + 16 before the range check

  logic [3:0]      r_v, r_z;
  logic [RowW-1:0] r_row, prev_row_q;
  logic [ActW-1:0] r_weight;

  assign r_v      = entry_i[3:0];
  assign r_z      = entry_i[7:4];
  assign r_row    = entry_first_i ? RowW'(r_z) : prev_row_q + RowW'(r_z) + 1'b1;
  // Index 0 is exact zero by definition (docs/arithmetic.md), whatever codebook entry 0 holds.
  assign r_weight = (r_v == 4'd0) ? '0 : codebook_i[{r_v, 4'b0000} +: ActW];

  always_ff @(posedge clk_i) begin
    if (entry_valid_i) prev_row_q <= r_row;
  end

  // ---------------------------------------------------------------------------------------------
  // M: multiply; read the accumulator of the row.
  // ---------------------------------------------------------------------------------------------
  logic                m_valid_q;
  logic [ActW-1:0]     m_act_q, m_weight_q;
  logic [ActAddrW-1:0] m_row_q;
  logic signed [31:0]  m_product;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) m_valid_q <= 1'b0;
    else m_valid_q <= entry_valid_i;
  end

  always_ff @(posedge clk_i) begin
    if (entry_valid_i) begin
      m_act_q    <= entry_act_i;
      m_weight_q <= r_weight;
      m_row_q    <= ActAddrW'(r_row);
    end
  end

  assign m_product = 32'($signed(m_act_q) * $signed(m_weight_q));

  // ---------------------------------------------------------------------------------------------
  // S: scale, round, saturating accumulate.
  // ---------------------------------------------------------------------------------------------
  logic                       s_valid_q, byp_valid_q;
  logic signed [31:0]         s_product_q, s_scaled, s_half;
  logic [ActAddrW-1:0]        s_row_q, byp_row_q;
  logic signed [AccWidth-1:0] s_old, s_new, byp_acc_q;
  logic signed [AccWidth:0]   s_sum;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s_valid_q   <= 1'b0;
      byp_valid_q <= 1'b0;
    end else begin
      s_valid_q   <= m_valid_q;
      byp_valid_q <= s_valid_q;
    end
  end

  always_ff @(posedge clk_i) begin
    if (m_valid_q) begin
      s_product_q <= m_product;
      s_row_q     <= m_row_q;
    end
    if (s_valid_q) begin
      byp_row_q <= s_row_q;
      byp_acc_q <= s_new;
    end
  end

  // |p| <= 2^30, so adding the rounding constant (at most 2^14) cannot overflow 32 bits.
  assign s_half   = $signed((32'd1 << w_frac_i) >> 1);  // 2^(w_frac-1), 0 when w_frac = 0
  assign s_scaled = (s_product_q + s_half) >>> w_frac_i;
  assign s_old    = (byp_valid_q && byp_row_q == s_row_q) ? byp_acc_q : $signed(acc_rdata_i);
  assign s_sum    = (AccWidth+1)'(s_old) + (AccWidth+1)'(s_scaled);

  localparam logic signed [AccWidth-1:0] AccMax = {1'b0, {(AccWidth-1){1'b1}}};
  localparam logic signed [AccWidth-1:0] AccMin = {1'b1, {(AccWidth-1){1'b0}}};

  always_comb begin
    if (s_sum[AccWidth] != s_sum[AccWidth-1]) s_new = s_sum[AccWidth] ? AccMin : AccMax;
    else s_new = s_sum[AccWidth-1:0];
  end

  assign acc_re_o    = m_valid_q;
  assign acc_raddr_o = m_row_q;
  assign acc_we_o    = s_valid_q;
  assign acc_waddr_o = s_row_q;
  assign acc_wdata_o = s_new;
  assign m_valid_o   = m_valid_q;
  assign s_valid_o   = s_valid_q;

`ifndef SYNTHESIS
  // Functional coverage (Verilator --coverage builds; docs/verification.md).
  cov_padding_entry: cover property (@(posedge clk_i) disable iff (!rst_ni)
    entry_valid_i && r_v == 4'd0);
  cov_bypass_taken: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s_valid_q && byp_valid_q && byp_row_q == s_row_q);
  cov_acc_saturates_high: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s_valid_q && s_sum[AccWidth] != s_sum[AccWidth-1] && !s_sum[AccWidth]);
  cov_acc_saturates_low: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s_valid_q && s_sum[AccWidth] != s_sum[AccWidth-1] && s_sum[AccWidth]);
  cov_round_half: cover property (@(posedge clk_i) disable iff (!rst_ni)
    s_valid_q && w_frac_i != 4'd0 && (s_product_q & ((32'd1 << w_frac_i) - 1)) == s_half);

  // The specification (and the golden model) accumulate in int32; a narrower accumulator would
  // wrap where the specification saturates.
  initial assert (AccWidth >= 32) else $fatal(1, "eie_pe_arith: AccWidth %0d < 32", AccWidth);

  always_ff @(posedge clk_i) begin
    if (rst_ni && entry_valid_i) begin
      assert (r_v != 0 || r_z == 4'd15)
        else $error("padding entry with z = %0d (must be 15)", r_z);
      assert (r_v != 0 || !entry_last_i) else $error("padding entry ends a column");
      assert (32'(r_row) < ActDepth)
        else $error("local row %0d outside %0d accumulators", r_row, ActDepth);
    end
  end
`endif

endmodule
