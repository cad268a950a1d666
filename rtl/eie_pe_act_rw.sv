// Activation read/write unit of a PE (EIE Fig. 4 "Act R/W"): the accumulators, the biases, and the
// two activation banks (source read by the LNZD, destination written at write-back; they swap
// roles layer by layer, so chained layers need no data movement).
//   Init sweep:       acc[r] <- bias[bias_base + r] (or 0)
//   Compute:          the arithmetic unit's accumulator reads and writes
//   Write-back sweep: dst[r] <- ReLU(sat16(acc[r])), also the per-layer monitor stream
`default_nettype none

module eie_pe_act_rw #(
  parameter int unsigned ActDepth   = 64,   // activations per bank, and accumulators
  parameter int unsigned BiasDepth  = 256,
  parameter int unsigned AccWidth   = 32,
  localparam int unsigned ActW      = eie_pkg::ActWidth,
  localparam int unsigned DimW      = eie_pkg::DimWidth,
  localparam int unsigned ActAddrW  = (ActDepth > 1) ? $clog2(ActDepth) : 1,
  localparam int unsigned BiasAddrW = (BiasDepth > 1) ? $clog2(BiasDepth) : 1
) (
  input  wire logic                 clk_i,
  input  wire logic                 rst_ni,

  // Layer configuration.
  input  wire logic [BiasAddrW-1:0] bias_base_i,
  input  wire logic                 has_bias_i,
  input  wire logic                 relu_i,
  input  wire logic                 src_sel_i,     // activation bank read as the source

  // Sweeps over local row row_i; sweep_en_i says the row exists in this PE.
  input  wire logic                 init_i,
  input  wire logic                 wb_i,
  input  wire logic [ActAddrW-1:0]  row_i,
  input  wire logic                 sweep_en_i,
  output      logic                 wb_valid_o,    // dst[row_i of last cycle] written
  output      logic [ActW-1:0]      wb_data_o,

  // Source activation read for the LNZD (data one cycle later, held until the next read).
  input  wire logic                 src_re_i,
  input  wire logic [ActAddrW-1:0]  src_addr_i,
  output      logic [ActW-1:0]      src_data_o,

  // Accumulator port of the arithmetic unit; its write wins over the init sweep (they never meet).
  input  wire logic                 acc_re_i,
  input  wire logic [ActAddrW-1:0]  acc_raddr_i,
  output      logic [AccWidth-1:0]  acc_rdata_o,
  input  wire logic                 acc_we_i,
  input  wire logic [ActAddrW-1:0]  acc_waddr_i,
  input  wire logic [AccWidth-1:0]  acc_wdata_i,

  // Host access: biases, activations ({bank, index}), accumulators (read only).
  input  wire logic                 host_we_i,
  input  wire logic                 host_re_i,
  input  wire logic [3:0]           host_target_i,
  input  wire logic [DimW-1:0]      host_addr_i,
  input  wire logic [31:0]          host_wdata_i,
  output      logic [31:0]          host_bias_rdata_o,
  output      logic [ActW-1:0]      host_act_rdata_o
);

  logic host_bias, host_act, host_acc;
  assign host_bias = host_target_i == eie_pkg::TgtBias;
  assign host_act  = host_target_i == eie_pkg::TgtAct;
  assign host_acc  = host_target_i == eie_pkg::TgtAcc;

  // ---------------------------------------------------------------------------------------------
  // Sweeps: the RAM read happens on the sweep cycle, the write one cycle later.
  // ---------------------------------------------------------------------------------------------
  logic                init_q, wb_q;
  logic [ActAddrW-1:0] sweep_row_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      init_q <= 1'b0;
      wb_q   <= 1'b0;
    end else begin
      init_q <= init_i && sweep_en_i;
      wb_q   <= wb_i && sweep_en_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (init_i || wb_i) sweep_row_q <= row_i;
  end

  // ---------------------------------------------------------------------------------------------
  // Biases and accumulators.
  // ---------------------------------------------------------------------------------------------
  logic [31:0]          bias_rdata;
  logic [BiasAddrW-1:0] bias_raddr;
  assign bias_raddr = host_re_i ? BiasAddrW'(host_addr_i) : bias_base_i + BiasAddrW'(row_i);

  eie_ram #(.Width(32), .Depth(BiasDepth)) u_bias (
    .clk_i,
    .we_i   (host_we_i && host_bias),
    .waddr_i(BiasAddrW'(host_addr_i)),
    .wdata_i(host_wdata_i),
    .re_i   ((init_i && sweep_en_i && has_bias_i) || (host_re_i && host_bias)),
    .raddr_i(bias_raddr),
    .rdata_o(bias_rdata)
  );

  logic                acc_we, acc_re;
  logic [ActAddrW-1:0] acc_waddr, acc_raddr;
  logic [AccWidth-1:0] acc_wdata, acc_rdata;

  always_comb begin
    acc_we    = 1'b0;
    acc_waddr = acc_waddr_i;
    acc_wdata = acc_wdata_i;
    if (acc_we_i) begin
      acc_we = 1'b1;
    end else if (init_q) begin
      acc_we    = 1'b1;
      acc_waddr = sweep_row_q;
      acc_wdata = has_bias_i ? AccWidth'($signed(bias_rdata)) : '0;
    end
  end

  // The sweeps read only rows this PE holds (and biases only where the layer has them): no
  // access a result does not use, since every access costs energy (docs/energy.md).
  assign acc_re    = acc_re_i || (wb_i && sweep_en_i) || (host_re_i && host_acc);
  assign acc_raddr = host_re_i ? ActAddrW'(host_addr_i) : (wb_i ? row_i : acc_raddr_i);

  eie_ram #(.Width(AccWidth), .Depth(ActDepth)) u_acc (
    .clk_i,
    .we_i   (acc_we),
    .waddr_i(acc_waddr),
    .wdata_i(acc_wdata),
    .re_i   (acc_re),
    .raddr_i(acc_raddr),
    .rdata_o(acc_rdata)
  );

  // ---------------------------------------------------------------------------------------------
  // Write-back: dst <- ReLU(saturate_int16(acc)).
  // ---------------------------------------------------------------------------------------------
  // Written as bit patterns: Yosys 0.23 drops the minus of `-AccWidth'(32768)` (it synthesises
  // +32768, so every accumulator below it saturated to -32768), which only the gate-level
  // simulation of the netlist showed; Verilator reads both forms alike.
  localparam logic signed [AccWidth-1:0] Act16Max = {{(AccWidth - 15){1'b0}}, {15{1'b1}}};
  localparam logic signed [AccWidth-1:0] Act16Min = {{(AccWidth - 15){1'b1}}, 15'b0};

  logic [ActW-1:0] wb_sat;
  always_comb begin
    if ($signed(acc_rdata) > Act16Max) wb_sat = 16'h7fff;
    else if ($signed(acc_rdata) < Act16Min) wb_sat = 16'h8000;
    else wb_sat = acc_rdata[ActW-1:0];
    if (relu_i && wb_sat[ActW-1]) wb_sat = '0;
  end

  // ---------------------------------------------------------------------------------------------
  // Activation banks.
  // ---------------------------------------------------------------------------------------------
  logic [2*ActW-1:0]   act_rdata;  // bank b at [b*ActW +: ActW]
  logic                host_bank, rd_bank_q;
  logic [ActAddrW-1:0] host_act_addr;

  assign host_bank     = host_addr_i[ActAddrW];
  assign host_act_addr = ActAddrW'(host_addr_i);

  for (genvar b = 0; b < 2; b++) begin : g_act_bank
    logic is_src, we, re;
    assign is_src = src_sel_i == 1'(b);
    assign we = (host_we_i && host_act && host_bank == 1'(b)) || (wb_q && !is_src);
    assign re = (host_re_i && host_act && host_bank == 1'(b)) || (src_re_i && is_src);

    eie_ram #(.Width(ActW), .Depth(ActDepth)) u_act (
      .clk_i,
      .we_i   (we),
      .waddr_i(host_we_i ? host_act_addr : sweep_row_q),
      .wdata_i(host_we_i ? host_wdata_i[ActW-1:0] : wb_sat),
      .re_i   (re),
      .raddr_i(host_re_i ? host_act_addr : src_addr_i),
      .rdata_o(act_rdata[b*ActW +: ActW])
    );
  end

  always_ff @(posedge clk_i) begin
    if (host_re_i && host_act) rd_bank_q <= host_bank;
  end

  assign wb_valid_o        = wb_q;
  assign wb_data_o         = wb_sat;
  assign src_data_o        = act_rdata[src_sel_i*ActW +: ActW];
  assign acc_rdata_o       = acc_rdata;
  assign host_bias_rdata_o = bias_rdata;
  assign host_act_rdata_o  = act_rdata[rd_bank_q*ActW +: ActW];

`ifndef SYNTHESIS
  // Functional coverage (Verilator --coverage builds; docs/verification.md).
  cov_writeback_saturates_high: cover property (@(posedge clk_i) disable iff (!rst_ni)
    wb_q && $signed(acc_rdata) > Act16Max);
  cov_writeback_saturates_low: cover property (@(posedge clk_i) disable iff (!rst_ni)
    wb_q && $signed(acc_rdata) < Act16Min && !relu_i);
  cov_relu_clamps: cover property (@(posedge clk_i) disable iff (!rst_ni)
    wb_q && relu_i && $signed(acc_rdata) < 0);
  cov_bias_loaded: cover property (@(posedge clk_i) disable iff (!rst_ni)
    init_q && has_bias_i && bias_rdata != '0);

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (init_i && sweep_en_i && has_bias_i) begin
        assert (32'(bias_base_i) + 32'(row_i) < BiasDepth)
          else $error("bias address %0d + %0d beyond %0d", bias_base_i, row_i, BiasDepth);
      end
      assert (!(acc_we_i && init_q)) else $error("accumulator write during the init sweep");
    end
  end
`endif

endmodule
