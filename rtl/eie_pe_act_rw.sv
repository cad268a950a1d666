// Activation read/write unit of a PE (EIE Fig. 4 "Act R/W"): the accumulators, the biases, and the
// two activation banks. A layer accumulates into accumulator bank acc_sel while the previous
// layer's bank is written back, row by row, into the activation bank the layer reads as its
// source (the LNZD reads a row only once it is written): no row sweep stands between layers.
//   Compute:    a row's first entry of the layer starts from its bias (or 0), read here instead of
//               the accumulator; a touched bit per row and bank records that the row holds a sum
//   Write-back: dst[r] <- ReLU(sat16(r touched ? acc[r] : bias[r] or 0)), the monitor stream
// The biases sit in two banks, the even layers' in the lower half of the bias addresses and the
// odd layers' in the upper (docs/format.md), so the compute's bias reads and the write-back's of
// the layer before never meet in one bank.
`default_nettype none

module eie_pe_act_rw #(
  parameter int unsigned ActDepth   = 64,   // activations per bank, and accumulators per bank
  parameter int unsigned BiasDepth  = 256,  // both bias banks
  parameter int unsigned AccWidth   = 32,
  localparam int unsigned ActW      = eie_pkg::ActWidth,
  localparam int unsigned DimW      = eie_pkg::DimWidth,
  localparam int unsigned ActAddrW  = eie_pkg::clog2_min1(ActDepth),
  localparam int unsigned BiasAddrW = $clog2(BiasDepth),  // BiasDepth >= 2: bank bit on top
  localparam int unsigned BankAddrW = (BiasAddrW > 1) ? BiasAddrW - 1 : 1
) (
  input  wire logic                 clk_i,
  input  wire logic                 rst_ni,

  // Compute layer: accumulator bank, its first cycle (no row touched yet), its biases.
  input  wire logic                 acc_sel_i,
  input  wire logic                 layer_start_i,
  input  wire logic [BiasAddrW-1:0] bias_base_i,
  input  wire logic                 has_bias_i,
  input  wire logic                 src_sel_i,     // activation bank read as the source

  // Write-back of the layer before (accumulator bank !acc_sel_i) into the source bank, local row
  // row_i; sweep_en_i says the row exists in this PE.
  input  wire logic [BiasAddrW-1:0] wb_bias_base_i,
  input  wire logic                 wb_has_bias_i,
  input  wire logic                 wb_relu_i,
  input  wire logic                 wb_i,
  input  wire logic [ActAddrW-1:0]  row_i,
  input  wire logic                 sweep_en_i,
  output      logic                 wb_valid_o,    // dst[row_i of last cycle] written
  output      logic [ActW-1:0]      wb_data_o,

  // Source activation read for the LNZD (data one cycle later, held until the next read). A read
  // of the row the write-back reads in the same cycle takes the value it writes next cycle.
  input  wire logic                 src_re_i,
  input  wire logic [ActAddrW-1:0]  src_addr_i,
  output      logic [ActW-1:0]      src_data_o,

  // Accumulator port of the arithmetic unit: whether a row was touched this layer, the read of a
  // touched row or of an untouched row's initial value (data next cycle), the write.
  input  wire logic [ActAddrW-1:0]  acc_touched_raddr_i,
  output      logic                 acc_touched_o,
  input  wire logic                 acc_re_i,
  input  wire logic                 acc_init_re_i,
  input  wire logic [ActAddrW-1:0]  acc_raddr_i,
  output      logic [AccWidth-1:0]  acc_rdata_o,
  output      logic [AccWidth-1:0]  acc_init_o,
  input  wire logic                 acc_we_i,
  input  wire logic [ActAddrW-1:0]  acc_waddr_i,
  input  wire logic [AccWidth-1:0]  acc_wdata_i,

  // Host access: biases, activations ({bank, index}), the last layer's row values (read only:
  // what its write-back saturated, the accumulator or the bias of an untouched row). One strobe
  // per target, decoded in eie_pe.
  input  wire logic                 host_bias_we_i,
  input  wire logic                 host_bias_re_i,
  input  wire logic                 host_act_we_i,
  input  wire logic                 host_act_re_i,
  input  wire logic                 host_acc_re_i,
  input  wire logic [DimW-1:0]      host_addr_i,
  input  wire logic [31:0]          host_wdata_i,
  output      logic [31:0]          host_bias_rdata_o,
  output      logic [ActW-1:0]      host_act_rdata_o,
  output      logic [AccWidth-1:0]  host_acc_rdata_o
);

  // ---------------------------------------------------------------------------------------------
  // Touched rows, per accumulator bank: cleared as a layer starts, set by its accumulator writes.
  // Two vectors written bit by bit, never indexed by a variable bank: Verilator then updates and
  // reads single bits instead of copying ActDepth bits every cycle. No reset: a bank's bits are
  // cleared in its layer's first cycle, before any entry or write-back reads them, and a reset
  // flop costs nearly twice a plain one. One read multiplexer per bank: the compute reads its
  // bank at the arithmetic unit's row, the write-back the other bank at its row.
  // ---------------------------------------------------------------------------------------------
  logic [ActDepth-1:0] touched0_q, touched1_q;
  logic [ActAddrW-1:0] touched0_raddr, touched1_raddr, wbr_row;
  logic                touched0, touched1;

  always_ff @(posedge clk_i) begin
    /* verilator lint_off WIDTHCONCAT */  // '0 of ActDepth bits (32K in the benchmark build)
    if (layer_start_i && !acc_sel_i) touched0_q <= '0;
    else if (acc_we_i && !acc_sel_i) touched0_q[acc_waddr_i] <= 1'b1;
    if (layer_start_i && acc_sel_i) touched1_q <= '0;
    else if (acc_we_i && acc_sel_i) touched1_q[acc_waddr_i] <= 1'b1;
    /* verilator lint_on WIDTHCONCAT */
  end
  assign touched0_raddr = acc_sel_i ? wbr_row : acc_touched_raddr_i;
  assign touched1_raddr = acc_sel_i ? acc_touched_raddr_i : wbr_row;
  assign touched0       = touched0_q[touched0_raddr];
  assign touched1       = touched1_q[touched1_raddr];
  assign acc_touched_o  = acc_sel_i ? touched1 : touched0;

  // ---------------------------------------------------------------------------------------------
  // Write-back reads (and the host's reads of row values, the same path): the RAM read happens on
  // the sweep cycle, the activation write one cycle later.
  // ---------------------------------------------------------------------------------------------
  logic                 wbr, wbr_touched, wbr_acc_re, wbr_bias_re;
  logic [BiasAddrW-1:0] wbr_bias_addr;
  logic                 wb_q, wbr_touched_q, wbr_bias_bank_q;
  logic [ActAddrW-1:0]  sweep_row_q;

  assign wbr           = (wb_i && sweep_en_i) || host_acc_re_i;
  assign wbr_row       = host_acc_re_i ? ActAddrW'(host_addr_i) : row_i;
  assign wbr_touched   = acc_sel_i ? touched0 : touched1;
  assign wbr_acc_re    = wbr && wbr_touched;
  assign wbr_bias_re   = wbr && !wbr_touched && wb_has_bias_i;
  assign wbr_bias_addr = wb_bias_base_i + BiasAddrW'(wbr_row);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) wb_q <= 1'b0;
    else wb_q <= wb_i && sweep_en_i;
  end

  always_ff @(posedge clk_i) begin
    if (wb_i) sweep_row_q <= row_i;
    if (wbr) begin
      wbr_touched_q   <= wbr_touched;
      wbr_bias_bank_q <= wbr_bias_addr[BiasAddrW-1];
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Biases, two banks: the compute's first-touch reads (at the arithmetic unit's address), the
  // write-back's reads of untouched rows, the host's.
  // ---------------------------------------------------------------------------------------------
  logic [BiasAddrW-1:0] c_bias_addr;
  logic                 c_bias_re, c_bias_bank_q, host_bias_bank, rd_bias_bank_q;
  logic [2*32-1:0]      bias_rdata;  // bank b at [b*32 +: 32]

  assign c_bias_addr    = bias_base_i + BiasAddrW'(acc_raddr_i);
  assign c_bias_re      = acc_init_re_i && has_bias_i;
  assign host_bias_bank = host_addr_i[BiasAddrW-1];

  for (genvar b = 0; b < 2; b++) begin : g_bias_bank
    logic c_re, w_re, h_re, h_we;
    assign c_re = c_bias_re && c_bias_addr[BiasAddrW-1] == 1'(b);
    assign w_re = wbr_bias_re && wbr_bias_addr[BiasAddrW-1] == 1'(b);
    assign h_re = host_bias_re_i && host_bias_bank == 1'(b);
    assign h_we = host_bias_we_i && host_bias_bank == 1'(b);

    eie_ram #(.Width(32), .Depth(BiasDepth / 2)) u_bias (
      .clk_i,
      .we_i   (h_we),
      .waddr_i(BankAddrW'(host_addr_i)),
      .wdata_i(host_wdata_i),
      .re_i   (c_re || w_re || h_re),
      .raddr_i(h_re ? BankAddrW'(host_addr_i)
                    : (c_re ? BankAddrW'(c_bias_addr) : BankAddrW'(wbr_bias_addr))),
      .rdata_o(bias_rdata[b*32 +: 32])
    );
  end

  always_ff @(posedge clk_i) begin
    if (c_bias_re) c_bias_bank_q <= c_bias_addr[BiasAddrW-1];
    if (host_bias_re_i) rd_bias_bank_q <= host_bias_bank;
  end

  assign acc_init_o = has_bias_i ? AccWidth'($signed(bias_rdata[c_bias_bank_q*32 +: 32])) : '0;

  // ---------------------------------------------------------------------------------------------
  // Accumulators, two banks: the compute layer's (acc_sel_i) and the one written back.
  // ---------------------------------------------------------------------------------------------
  logic [2*AccWidth-1:0] acc_rdata;  // bank b at [b*AccWidth +: AccWidth]

  for (genvar b = 0; b < 2; b++) begin : g_acc_bank
    logic is_compute;
    assign is_compute = acc_sel_i == 1'(b);

    eie_ram #(.Width(AccWidth), .Depth(ActDepth)) u_acc (
      .clk_i,
      .we_i   (is_compute && acc_we_i),
      .waddr_i(acc_waddr_i),
      .wdata_i(acc_wdata_i),
      .re_i   (is_compute ? acc_re_i : wbr_acc_re),
      .raddr_i(is_compute ? acc_raddr_i : wbr_row),
      .rdata_o(acc_rdata[b*AccWidth +: AccWidth])
    );
  end

  assign acc_rdata_o = acc_rdata[acc_sel_i*AccWidth +: AccWidth];

  // ---------------------------------------------------------------------------------------------
  // Write-back: dst <- ReLU(saturate_int16(value)).
  // ---------------------------------------------------------------------------------------------
  // Written as bit patterns: Yosys 0.23 drops the minus of `-AccWidth'(32768)` (it synthesises
  // +32768, so every accumulator below it saturated to -32768), which only the gate-level
  // simulation of the netlist showed; Verilator reads both forms alike.
  // The activation range, ActW-bit two's complement, at the accumulator's width.
  localparam logic signed [AccWidth-1:0] ActMax = {{(AccWidth - ActW + 1){1'b0}}, {(ActW - 1){1'b1}}};
  localparam logic signed [AccWidth-1:0] ActMin = {{(AccWidth - ActW + 1){1'b1}}, {(ActW - 1){1'b0}}};

  logic [AccWidth-1:0] wb_value;
  logic [ActW-1:0]     wb_sat;
  always_comb begin
    if (wbr_touched_q) wb_value = acc_rdata[!acc_sel_i*AccWidth +: AccWidth];
    else if (wb_has_bias_i) wb_value = AccWidth'($signed(bias_rdata[wbr_bias_bank_q*32 +: 32]));
    else wb_value = '0;
    if ($signed(wb_value) > ActMax) wb_sat = ActMax[ActW-1:0];
    else if ($signed(wb_value) < ActMin) wb_sat = ActMin[ActW-1:0];
    else wb_sat = wb_value[ActW-1:0];
    if (wb_relu_i && wb_sat[ActW-1]) wb_sat = '0;
  end

  // ---------------------------------------------------------------------------------------------
  // Activation banks: the compute layer's source is the write-back's destination.
  // ---------------------------------------------------------------------------------------------
  logic [2*ActW-1:0]   act_rdata;  // bank b at [b*ActW +: ActW]
  logic                host_bank, rd_bank_q;
  logic [ActAddrW-1:0] host_act_addr;

  assign host_bank     = host_addr_i[ActAddrW];
  assign host_act_addr = ActAddrW'(host_addr_i);

  for (genvar b = 0; b < 2; b++) begin : g_act_bank
    logic is_src, we, re;
    assign is_src = src_sel_i == 1'(b);
    assign we = (host_act_we_i && host_bank == 1'(b)) || (wb_q && is_src);
    assign re = (host_act_re_i && host_bank == 1'(b)) || (src_re_i && is_src);

    eie_ram #(.Width(ActW), .Depth(ActDepth)) u_act (
      .clk_i,
      .we_i   (we),
      .waddr_i(host_act_we_i ? host_act_addr : sweep_row_q),
      .wdata_i(host_act_we_i ? host_wdata_i[ActW-1:0] : wb_sat),
      .re_i   (re),
      .raddr_i(host_act_re_i ? host_act_addr : src_addr_i),
      .rdata_o(act_rdata[b*ActW +: ActW])
    );
  end

  always_ff @(posedge clk_i) begin
    if (host_act_re_i) rd_bank_q <= host_bank;
  end

  assign wb_valid_o        = wb_q;
  assign wb_data_o         = wb_sat;
  // The read data holds until the next read, so the forwarded value is kept too: the cycle after
  // the read it comes straight from the write-back (fwd_now_q), then from fwd_data_q.
  logic            fwd_hit, fwd_now_q, fwd_q;
  logic [ActW-1:0] fwd_data_q;
  assign fwd_hit = src_re_i && wb_i && sweep_en_i && row_i == src_addr_i;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) fwd_now_q <= 1'b0;
    else fwd_now_q <= fwd_hit;
  end
  always_ff @(posedge clk_i) begin
    if (src_re_i) fwd_q <= fwd_hit;
    if (fwd_now_q) fwd_data_q <= wb_sat;
  end
  assign src_data_o        = fwd_now_q ? wb_sat
                           : fwd_q     ? fwd_data_q : act_rdata[src_sel_i*ActW +: ActW];
  assign host_bias_rdata_o = bias_rdata[rd_bias_bank_q*32 +: 32];
  assign host_act_rdata_o  = act_rdata[rd_bank_q*ActW +: ActW];
  assign host_acc_rdata_o  = wb_value;

`ifndef SYNTHESIS
  // Functional coverage (Verilator --coverage builds; docs/verification.md).
  cov_writeback_saturates_high: cover property (@(posedge clk_i) disable iff (!rst_ni)
    wb_q && $signed(wb_value) > ActMax);
  cov_writeback_saturates_low: cover property (@(posedge clk_i) disable iff (!rst_ni)
    wb_q && $signed(wb_value) < ActMin && !wb_relu_i);
  cov_relu_clamps: cover property (@(posedge clk_i) disable iff (!rst_ni)
    wb_q && wb_relu_i && $signed(wb_value) < 0);
  cov_bias_first_touch: cover property (@(posedge clk_i) disable iff (!rst_ni)
    c_bias_re && has_bias_i);
  cov_untouched_row_written_back: cover property (@(posedge clk_i) disable iff (!rst_ni)
    wb_q && !wbr_touched_q);
  cov_source_forwarded: cover property (@(posedge clk_i) disable iff (!rst_ni) fwd_now_q);
  cov_forwarded_source_held: cover property (@(posedge clk_i) disable iff (!rst_ni)
    fwd_q && !fwd_now_q && !src_re_i);

  initial begin
    assert (BiasDepth >= 2 && (BiasDepth & (BiasDepth - 1)) == 0)
      else $fatal(1, "eie_pe_act_rw: BiasDepth %0d is not a power of two >= 2", BiasDepth);
  end

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (c_bias_re) begin
        assert (32'(bias_base_i) + 32'(acc_raddr_i) < BiasDepth)
          else $error("bias address %0d + %0d beyond %0d", bias_base_i, acc_raddr_i, BiasDepth);
      end
      if (wbr_bias_re) begin
        assert (32'(wb_bias_base_i) + 32'(wbr_row) < BiasDepth)
          else $error("write-back bias address %0d + %0d beyond %0d", wb_bias_base_i, wbr_row,
                      BiasDepth);
      end
      a_bias_banks_apart: assert (!(c_bias_re && wbr_bias_re &&
                                    c_bias_addr[BiasAddrW-1] == wbr_bias_addr[BiasAddrW-1]))
        else $error("the compute and the write-back read bias bank %0d at once",
                    c_bias_addr[BiasAddrW-1]);
      assert (!(acc_re_i && acc_init_re_i)) else $error("accumulator and initial value read at once");
      assert (!(layer_start_i && acc_we_i)) else $error("accumulator write as a layer starts");
    end
  end
`endif

endmodule
