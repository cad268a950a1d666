// EIE accelerator top: the central control unit and an array of NumPe processing elements.
// The host loads every memory through one valid/ready request port in I/O mode, starts a run of
// 1..MaxLayers layers, and receives the last layer's outputs as (index, value) pairs on a
// valid/ready result port. See docs/hardware.md for the port protocol and the address map.
`default_nettype none

module eie_top #(
  parameter int unsigned NumPe      = 64,
  parameter int unsigned FifoDepth  = 8,
  parameter int unsigned HoldSlots  = 4,     // broadcast hold slots (eie_bcast_hold); 0: none
  parameter int unsigned SpmatDepth = 1024,  // 64-bit sparse-matrix words per PE
  parameter int unsigned PtrDepth   = 1024,  // pointers per PE (even + odd banks)
  parameter int unsigned ActDepth   = 64,    // activations per bank per PE; accumulators per PE
  parameter int unsigned BiasDepth  = 256,   // biases per PE, all layers
  parameter int unsigned MaxLayers  = 8,
  parameter int unsigned AccWidth   = 32,
  localparam int unsigned ActW     = eie_pkg::ActWidth,
  localparam int unsigned DimW     = eie_pkg::DimWidth,
  localparam int unsigned PeW      = eie_pkg::clog2_min1(NumPe),
  localparam int unsigned ActAddrW = eie_pkg::clog2_min1(ActDepth),
  localparam int unsigned LayerW   = eie_pkg::clog2_min1(MaxLayers),
  localparam int unsigned FifoCntW = $clog2(FifoDepth + 1),                     // FIFO limit
  localparam int unsigned HoldCntW = eie_pkg::clog2_min1(HoldSlots + 1),        // hold limit
  localparam int unsigned LevelW   = $clog2(FifoDepth + eie_pkg::FifoSkid + 1)  // FIFO level
) (
  input  wire logic                      clk_i,
  input  wire logic                      rst_ni,

  // Host requests (accepted only in I/O mode): write or read one word of one memory.
  input  wire logic                      host_req_valid_i,
  output      logic                      host_req_ready_o,
  input  wire logic                      host_req_write_i,
  input  wire logic [3:0]                host_req_target_i,
  input  wire logic [PeW-1:0]            host_req_pe_i,
  input  wire logic [DimW-1:0]           host_req_addr_i,
  input  wire logic [63:0]               host_req_wdata_i,
  output      logic                      host_rsp_valid_o,  // read data, three cycles after
  output      logic [63:0]               host_rsp_rdata_o,

  // Results of the last layer.
  output      logic                      out_valid_o,
  input  wire logic                      out_ready_i,
  output      logic [DimW-1:0]           out_index_o,
  output      logic [ActW-1:0]           out_data_o,

  // Status.
  output      logic                      busy_o,
  output      logic                      done_o,
  output      logic [31:0]               cycles_o,

  // Monitor hooks: every layer's write-back (PE k writes local row wb_row_o of layer wb_layer_o,
  // global index wb_row_o * N + k for N active PEs, when wb_valid_o[k]; it runs beside the next
  // layer's compute), the control state and the broadcast.
  output      logic [NumPe-1:0]          wb_valid_o,
  output      logic [ActAddrW-1:0]       wb_row_o,
  output      logic [LayerW-1:0]         wb_layer_o,
  output      logic [NumPe*ActW-1:0]     wb_data_o,
  output      logic [LayerW-1:0]         layer_o,
  output      eie_pkg::ccu_state_e       state_o,
  output      logic                      bcast_valid_o,
  output      logic [DimW-1:0]           bcast_col_o,
  output      logic [ActW-1:0]           bcast_act_o,
  output      logic [NumPe*LevelW-1:0]   fifo_level_o,
  output      logic [NumPe*eie_pkg::PipeStages-1:0] pipe_valid_o
);

  localparam int unsigned BiasAddrW = eie_pkg::clog2_min1(BiasDepth);

  // ---------------------------------------------------------------------------------------------
  // Host request register: a request is accepted into it and acts from it a cycle later, so the
  // host's inputs end at flops. It drives the CCU and each PE's own request register (eie_pe),
  // which drives that PE's memories: a registered fan-out tree, one flop per PE at its leaves.
  // ---------------------------------------------------------------------------------------------
  logic             io_mode, req_valid_q, req_write_q, req_take;
  logic [3:0]       req_target_q;
  logic [PeW-1:0]   req_pe_q;
  logic [DimW-1:0]  req_addr_q;
  logic [63:0]      req_wdata_q;
  // Decoded as the request arrives: which PE it is for (none for CCU targets), and whether it
  // starts a run (a write of 1..MaxLayers to control register 0).
  logic [NumPe-1:0] req_pe_sel_q;
  logic             req_ccu_q, req_start_q;

  // The request held acts in I/O mode; during a run it waits there, and the port stalls.
  assign req_take         = req_valid_q && io_mode;
  assign host_req_ready_o = !req_valid_q || req_take;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) req_valid_q <= 1'b0;
    else if (host_req_ready_o) req_valid_q <= host_req_valid_i;
  end

  always_ff @(posedge clk_i) begin
    if (host_req_valid_i && host_req_ready_o) begin
      req_write_q  <= host_req_write_i;
      req_target_q <= host_req_target_i;
      req_pe_q     <= host_req_pe_i;
      req_addr_q   <= host_req_addr_i;
      req_wdata_q  <= host_req_wdata_i;
      req_ccu_q    <= host_req_target_i > eie_pkg::TgtStats;
      req_start_q  <= host_req_write_i && host_req_target_i == eie_pkg::TgtCtrl &&
                      host_req_addr_i == eie_pkg::CtrlRun && host_req_wdata_i != '0 &&
                      host_req_wdata_i <= 64'(MaxLayers);
      for (int unsigned k = 0; k < NumPe; k++) begin
        req_pe_sel_q[k] <= host_req_target_i <= eie_pkg::TgtStats && 32'(host_req_pe_i) == k;
      end
    end
  end

  logic host_we, host_re;
  assign host_we = req_take && req_write_q;
  assign host_re = req_take && !req_write_q;

  // Read response: a PE reads a cycle after the CCU would (its request register) and its data
  // comes a cycle later, so the CCU's data waits a cycle in a register and every read is answered
  // two cycles after it acts here, in order.
  logic [1:0]     rsp_valid_q, rsp_pe_target_q;
  logic [PeW-1:0] rsp_pe0_q, rsp_pe1_q;
  logic [63:0]    ccu_rdata_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) rsp_valid_q <= '0;
    else rsp_valid_q <= {rsp_valid_q[0], host_re};
  end

  always_ff @(posedge clk_i) begin
    if (host_re) begin
      rsp_pe0_q          <= req_pe_q;
      rsp_pe_target_q[0] <= !req_ccu_q;
    end
    if (rsp_valid_q[0]) begin
      rsp_pe1_q          <= rsp_pe0_q;
      rsp_pe_target_q[1] <= rsp_pe_target_q[0];
      if (!rsp_pe_target_q[0]) ccu_rdata_q <= ccu_rdata;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Central control.
  // ---------------------------------------------------------------------------------------------
  logic [DimW-1:0]       remaining, bcast_col, bcast_ptr;
  logic [BiasAddrW-1:0]  bias_base, wb_bias_base;
  logic [LayerW-1:0]     wb_layer;
  logic                  has_bias, wb_has_bias, wb_relu, src_sel, acc_sel, layer_start, wb;
  logic                  src_re, bcast_fire, bcast_valid, count;
  logic [3:0]            w_frac;
  logic [eie_pkg::CodebookSize*ActW-1:0]    codebook;
  logic [ActAddrW-1:0]   row, src_addr;
  logic [NumPe*ActW-1:0] src_data;
  logic [ActW-1:0]       bcast_act;
  logic [NumPe-1:0]      fifo_ready, pe_idle;
  logic [63:0]           ccu_rdata;
  logic [DimW-1:0]       num_active;
  logic [FifoCntW-1:0]   fifo_limit;
  logic [HoldCntW-1:0]   hold_limit;
  logic                  bcast_ready, hold_busy;

  eie_ccu #(
    .NumPe    (NumPe),
    .ActDepth (ActDepth),
    .BiasDepth(BiasDepth),
    .MaxLayers(MaxLayers),
    .FifoDepth(FifoDepth),
    .HoldSlots(HoldSlots)
  ) u_ccu (
    .clk_i,
    .rst_ni,
    .host_we_i    (host_we && req_ccu_q),
    .host_re_i    (host_re && req_ccu_q),
    .host_target_i(req_target_q),
    .host_addr_i  (req_addr_q),
    .host_wdata_i (req_wdata_q),
    .host_start_i (req_start_q),
    .host_rdata_o (ccu_rdata),
    .io_mode_o    (io_mode),
    .num_active_o (num_active),
    .fifo_limit_o (fifo_limit),
    .hold_limit_o (hold_limit),
    .bias_base_o  (bias_base),
    .has_bias_o   (has_bias),
    .w_frac_o     (w_frac),
    .codebook_o   (codebook),
    .src_sel_o    (src_sel),
    .acc_sel_o    (acc_sel),
    .layer_start_o(layer_start),
    .wb_bias_base_o(wb_bias_base),
    .wb_has_bias_o(wb_has_bias),
    .wb_relu_o    (wb_relu),
    .wb_layer_o   (wb_layer),
    .wb_o         (wb),
    .row_o        (row),
    .remaining_o  (remaining),
    .src_re_o     (src_re),
    .src_addr_o   (src_addr),
    .src_data_i   (src_data),
    .bcast_fire_o (bcast_fire),
    .bcast_valid_o(bcast_valid),
    .bcast_act_o  (bcast_act),
    .bcast_col_o  (bcast_col),
    .bcast_ptr_o  (bcast_ptr),
    .bcast_ready_i(bcast_ready),
    .pes_idle_i   (&pe_idle && !hold_busy),
    .count_o      (count),
    .out_valid_o,
    .out_ready_i,
    .out_index_o,
    .out_data_o,
    .state_o,
    .layer_o,
    .done_o,
    .cycles_o
  );

  assign busy_o        = !io_mode;
  assign bcast_valid_o = bcast_valid;
  assign bcast_col_o   = bcast_col;
  assign bcast_act_o   = bcast_act;

  // ---------------------------------------------------------------------------------------------
  // Broadcast hold slots: each PE's column comes from the broadcast register or, for a PE that
  // could not take it then, from a slot later.
  // ---------------------------------------------------------------------------------------------
  logic [NumPe-1:0]      pe_fire, pe_valid;
  logic [NumPe*ActW-1:0] pe_act;
  logic [NumPe*DimW-1:0] pe_ptr;

  if (HoldSlots > 0) begin : g_hold
    eie_bcast_hold #(.NumPe(NumPe), .HoldSlots(HoldSlots)) u_hold (
      .clk_i,
      .rst_ni,
      .limit_i      (hold_limit),
      .bcast_fire_i (bcast_fire),
      .bcast_valid_i(bcast_valid),
      .bcast_act_i  (bcast_act),
      .bcast_ptr_i  (bcast_ptr),
      .bcast_ready_o(bcast_ready),
      .busy_o       (hold_busy),
      .pe_ready_i   (fifo_ready),
      .pe_fire_o    (pe_fire),
      .pe_valid_o   (pe_valid),
      .pe_act_o     (pe_act),
      .pe_ptr_o     (pe_ptr)
    );
  end else begin : g_no_hold  // the paper's array: every PE takes every broadcast at once
    assign bcast_ready = &fifo_ready;
    assign hold_busy   = 1'b0;
    assign pe_fire     = {NumPe{bcast_fire}};
    assign pe_valid    = {NumPe{bcast_valid}};
    assign pe_act      = {NumPe{bcast_act}};
    assign pe_ptr      = {NumPe{bcast_ptr}};
    logic unused_hold_limit;  // always 0 without slots
    assign unused_hold_limit = ^hold_limit;
  end

  // ---------------------------------------------------------------------------------------------
  // Processing elements.
  // ---------------------------------------------------------------------------------------------
  logic [NumPe*64-1:0] pe_rdata;

  for (genvar k = 0; k < NumPe; k++) begin : g_pe
    logic selected;
    assign selected = req_pe_sel_q[k];

    eie_pe #(
      .FifoDepth (FifoDepth),
      .SpmatDepth(SpmatDepth),
      .PtrDepth  (PtrDepth),
      .ActDepth  (ActDepth),
      .BiasDepth (BiasDepth),
      .AccWidth  (AccWidth)
    ) u_pe (
      .clk_i,
      .rst_ni,
      .pe_idx_i     (DimW'(k)),
      .num_active_i (num_active),
      .fifo_limit_i (fifo_limit),
      .bias_base_i  (bias_base),
      .has_bias_i   (has_bias),
      .w_frac_i     (w_frac),
      .codebook_i   (codebook),
      .src_sel_i    (src_sel),
      .acc_sel_i    (acc_sel),
      .layer_start_i(layer_start),
      .wb_bias_base_i(wb_bias_base),
      .wb_has_bias_i(wb_has_bias),
      .wb_relu_i    (wb_relu),
      .wb_i         (wb),
      .row_i        (row),
      .remaining_i  (remaining),
      .wb_valid_o   (wb_valid_o[k]),
      .wb_data_o    (wb_data_o[k*ActW +: ActW]),
      .src_re_i     (src_re),
      .src_addr_i   (src_addr),
      .src_data_o   (src_data[k*ActW +: ActW]),
      .bcast_fire_i (pe_fire[k]),
      .bcast_valid_i(pe_valid[k]),
      .bcast_act_i  (pe_act[k*ActW +: ActW]),
      .bcast_ptr_i  (pe_ptr[k*DimW +: DimW]),
      .fifo_ready_o (fifo_ready[k]),
      .idle_o       (pe_idle[k]),
      .count_i      (count),
      .host_we_i    (host_we && selected),
      .host_re_i    (host_re && selected),
      .host_target_i(req_target_q),
      .host_addr_i  (req_addr_q),
      .host_wdata_i (req_wdata_q),
      .host_rdata_o (pe_rdata[k*64 +: 64]),
      .fifo_level_o (fifo_level_o[k*LevelW +: LevelW]),
      .pipe_valid_o (pipe_valid_o[k*eie_pkg::PipeStages +: eie_pkg::PipeStages])
    );
  end

  // The PEs write back the row the sweep presented one cycle earlier.
  always_ff @(posedge clk_i) begin
    if (wb) begin
      wb_row_o   <= row;
      wb_layer_o <= wb_layer;
    end
  end

  assign host_rsp_valid_o = rsp_valid_q[1];
  assign host_rsp_rdata_o = rsp_pe_target_q[1] ? pe_rdata[rsp_pe1_q*64 +: 64] : ccu_rdata_q;

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (host_req_valid_i) begin
        assert (host_req_target_i <= eie_pkg::TgtCtrl)
          else $error("host: unknown target %0d", host_req_target_i);
        assert (host_req_target_i > eie_pkg::TgtStats || 32'(host_req_pe_i) < NumPe)
          else $error("host: PE %0d does not exist", host_req_pe_i);
      end
      if ($past(host_req_valid_i) && !$past(host_req_ready_o) && $past(rst_ni)) begin
        assert (host_req_valid_i && host_req_write_i == $past(host_req_write_i) &&
                host_req_target_i == $past(host_req_target_i) &&
                host_req_pe_i == $past(host_req_pe_i) &&
                host_req_addr_i == $past(host_req_addr_i) &&
                host_req_wdata_i == $past(host_req_wdata_i))
          else $error("host: request changed or withdrawn before it was accepted");
      end
    end
  end
`endif

endmodule
