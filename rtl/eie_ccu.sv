// Central control unit: I/O mode (the host owns the memories) and computing mode (a configured
// sequence of layers). Per layer: broadcast non-zero source activations in increasing index order
// through the LNZD, drain the PEs; after the last layer, stream the result to the host. Nothing
// else stands between layers (docs/hardware.md, "Control"):
//   - the next layer's descriptor loads during the drain, its codebook as the layer switches;
//   - accumulators start from the bias at a row's first entry (eie_pe_arith), not in a sweep;
//   - a layer's write-back runs beside the next layer's compute, into that layer's source bank,
//     one local row per cycle from the switch on, and the group fetch reads a row only once the
//     write-back has written it.
//
// Activation i lives in PE i mod NumPe at local index i / NumPe, so a "group" is one local index
// read from every PE at once: NumPe consecutive activations. Groups are fetched one ahead, so the
// LNZD broadcasts one non-zero per cycle across group boundaries, and an all-zero group costs one
// cycle.
`default_nettype none

module eie_ccu #(
  parameter int unsigned NumPe     = 64,
  parameter int unsigned ActDepth  = 64,
  parameter int unsigned BiasDepth = 256,
  parameter int unsigned MaxLayers = 8,
  parameter int unsigned FifoDepth = 8,
  parameter int unsigned HoldSlots = 4,
  localparam int unsigned ActW      = eie_pkg::ActWidth,
  localparam int unsigned DimW      = eie_pkg::DimWidth,
  localparam int unsigned ActAddrW  = eie_pkg::clog2_min1(ActDepth),
  localparam int unsigned BiasAddrW = eie_pkg::clog2_min1(BiasDepth),
  localparam int unsigned LayerW    = eie_pkg::clog2_min1(MaxLayers),
  localparam int unsigned PeW       = eie_pkg::clog2_min1(NumPe),
  localparam int unsigned FifoCntW  = $clog2(FifoDepth + 1),
  localparam int unsigned HoldCntW  = eie_pkg::clog2_min1(HoldSlots + 1)
) (
  input  wire logic                  clk_i,
  input  wire logic                  rst_ni,

  // Host access to the layer table, codebooks and control (I/O mode).
  input  wire logic                  host_we_i,
  input  wire logic                  host_re_i,
  input  wire logic [3:0]            host_target_i,
  input  wire logic [DimW-1:0]       host_addr_i,
  input  wire logic [63:0]           host_wdata_i,
  input  wire logic                  host_start_i,  // the write is a valid start (decoded early)
  output      logic [63:0]           host_rdata_o,
  output      logic                  io_mode_o,
  output      logic [DimW-1:0]       num_active_o,  // control register 2: PEs in use
  output      logic [FifoCntW-1:0]   fifo_limit_o,  // control register 3: usable FIFO depth
  output      logic [HoldCntW-1:0]   hold_limit_o,  // control register 4: usable hold slots

  // Compute layer's configuration to the PEs; layer_start_o: its first cycle.
  output      logic [BiasAddrW-1:0]  bias_base_o,
  output      logic                  has_bias_o,
  output      logic [eie_pkg::DescWFracWidth-1:0] w_frac_o,
  output      logic [eie_pkg::CodebookSize*ActW-1:0]    codebook_o,
  output      logic                  src_sel_o,
  output      logic                  acc_sel_o,
  output      logic                  layer_start_o,

  // Write-back of the layer before: its configuration and the row sweep.
  output      logic [BiasAddrW-1:0]  wb_bias_base_o,
  output      logic                  wb_has_bias_o,
  output      logic                  wb_relu_o,
  output      logic [LayerW-1:0]     wb_layer_o,
  output      logic                  wb_o,
  output      logic [ActAddrW-1:0]   row_o,
  output      logic [DimW-1:0]       remaining_o,

  // Broadcast to the PEs.
  output      logic                  src_re_o,
  output      logic [ActAddrW-1:0]   src_addr_o,
  input  wire logic [NumPe*ActW-1:0] src_data_i,
  // The broadcast register: (activation, column, its pointer index ptr_base + column), one cycle
  // after the accept (bcast_fire_o).
  output      logic                  bcast_fire_o,
  output      logic                  bcast_valid_o,
  output      logic [ActW-1:0]       bcast_act_o,
  output      logic [DimW-1:0]       bcast_col_o,
  output      logic [DimW-1:0]       bcast_ptr_o,
  input  wire logic                  bcast_ready_i,  // every PE takes it, or a slot holds it
  input  wire logic                  pes_idle_i,     // every PE has drained
  output      logic                  count_o,

  // Result stream (after the last layer): (index, value), valid/ready.
  output      logic                  out_valid_o,
  input  wire logic                  out_ready_i,
  output      logic [DimW-1:0]       out_index_o,
  output      logic [ActW-1:0]       out_data_o,

  // Status.
  output      eie_pkg::ccu_state_e   state_o,
  output      logic [LayerW-1:0]     layer_o,
  output      logic                  done_o,        // one cycle when a run completes
  output      logic [31:0]           cycles_o       // cycles of the current or last run
);

  localparam int unsigned CbAddrW   = eie_pkg::clog2_min1(MaxLayers);
  localparam int unsigned DescDepth = MaxLayers * 2;
  localparam int unsigned DescAddrW = $clog2(DescDepth);
  localparam int unsigned CbIdxW    = $clog2(eie_pkg::CodebookSize);  // host: layer, then index

  eie_pkg::ccu_state_e state_q, state_d;
  logic [DimW-1:0]     num_active_q;  // control register 2
  logic [FifoCntW-1:0] fifo_limit_q;  // control register 3
  logic [HoldCntW-1:0] hold_limit_q;  // control register 4

  // ---------------------------------------------------------------------------------------------
  // Layer table and codebooks. A layer's descriptor is read ahead: the first layer's from the
  // start request on (CcuLoad), the next layer's while this one drains. Word 0 waits in a
  // register, word 1 in the RAM's read data (it holds until the next read) until the switch.
  // ---------------------------------------------------------------------------------------------
  logic [LayerW-1:0] layer_q, last_layer_q, pf_layer;
  logic [1:0]        pf_cnt_q;      // descriptor words read ahead (2: both)
  logic              pf_active, pf_ready, more_layers, start;
  logic              host_desc, host_cb;
  logic [63:0]       desc_rdata;
  logic [eie_pkg::DescWord0Bits-1:0] nxt_w0_q;       // descriptor word 0 of the layer read ahead
  logic [eie_pkg::CodebookSize*ActW-1:0] cb_rdata;  // every entry of one layer's codebook
  logic [CbIdxW-1:0] rd_cb_index_q;
  logic              sw_compute, sw_output;  // the layer switch, to the next layer or the output
  logic              leave_layer;            // ...out of a drained layer

  logic [DescAddrW-1:0] desc_raddr;
  logic [CbAddrW-1:0]   cb_raddr;
  assign more_layers = layer_q != last_layer_q;
  assign pf_layer    = (state_q == eie_pkg::CcuLoad) ? layer_q : layer_q + 1'b1;
  assign pf_active   = state_q == eie_pkg::CcuLoad || (state_q == eie_pkg::CcuDrain && more_layers);
  assign pf_ready    = pf_cnt_q == 2'd2;
  assign desc_raddr = host_re_i ? DescAddrW'(host_addr_i)
                    : (state_q == eie_pkg::CcuIdle) ? '0
                    : DescAddrW'(2 * 32'(pf_layer) + 32'(pf_cnt_q[0]));
  assign cb_raddr   = host_re_i ? CbAddrW'(host_addr_i >> CbIdxW) : CbAddrW'(pf_layer);
  assign host_desc = host_target_i == eie_pkg::TgtLayer;
  assign host_cb   = host_target_i == eie_pkg::TgtCodebook;

  eie_ram #(.Width(64), .Depth(DescDepth)) u_desc (
    .clk_i,
    .we_i   (host_we_i && host_desc),
    .waddr_i(DescAddrW'(host_addr_i)),
    .wdata_i(host_wdata_i),
    .re_i   ((host_re_i && host_desc) || start || (pf_active && !pf_ready)),
    .raddr_i(desc_raddr),
    .rdata_o(desc_rdata)
  );

  // One RAM per codebook index, one row per layer: a layer's whole codebook in one read, as the
  // layer switches (the PEs are idle then). The read data holds through the layer (no host reads
  // while computing), so it drives the PEs.
  for (genvar c = 0; c < eie_pkg::CodebookSize; c++) begin : g_codebook
    eie_ram #(.Width(ActW), .Depth(MaxLayers)) u_codebook (
      .clk_i,
      .we_i   (host_we_i && host_cb && host_addr_i[CbIdxW-1:0] == CbIdxW'(c)),
      .waddr_i(CbAddrW'(host_addr_i >> CbIdxW)),
      .wdata_i(host_wdata_i[ActW-1:0]),
      .re_i   ((host_re_i && host_cb) || sw_compute),
      .raddr_i(cb_raddr),
      .rdata_o(cb_rdata[c*ActW +: ActW])
    );
  end
  assign codebook_o = cb_rdata;

  // Descriptor fields: eie_pkg::Desc* (word 0: rows, cols, w_frac, relu, has_bias; word 1:
  // pointer base, bias base).
  logic [DimW-1:0] rows_q, cols_q, ptr_base_q, nxt_cols;
  assign nxt_cols = nxt_w0_q[eie_pkg::DescColsLsb +: DimW];
  logic            relu_q;

  always_ff @(posedge clk_i) begin
    if (pf_active && pf_cnt_q == 2'd1) nxt_w0_q <= desc_rdata[eie_pkg::DescWord0Bits-1:0];
    if (sw_compute) begin
      rows_q      <= nxt_w0_q[eie_pkg::DescRowsLsb +: DimW];
      cols_q      <= nxt_cols;
      w_frac_o    <= nxt_w0_q[eie_pkg::DescWFracLsb +: eie_pkg::DescWFracWidth];
      relu_q      <= nxt_w0_q[eie_pkg::DescReluBit];
      has_bias_o  <= nxt_w0_q[eie_pkg::DescHasBiasBit];
      ptr_base_q  <= desc_rdata[eie_pkg::DescPtrBaseLsb +: DimW];
      bias_base_o <= BiasAddrW'(desc_rdata[eie_pkg::DescBiasBaseLsb +: DimW]);
    end
    // The layer that finishes is written back while the next computes.
    if (leave_layer) begin
      wb_relu_o      <= relu_q;
      wb_has_bias_o  <= has_bias_o;
      wb_bias_base_o <= bias_base_o;
      wb_layer_o     <= layer_q;
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Write-back sweep of the layer before: local row r covers global rows r*NumPe + k. The row
  // read in one cycle is written in the next, so the row count, the rows left (rows - r * N,
  // <= 0 when done) and the tail are registers: every signal to the PEs starts at a flop.
  // ---------------------------------------------------------------------------------------------
  logic [ActAddrW:0]    wb_row_q;
  logic signed [DimW:0] wb_left_q, wb_left_next;
  logic                 wb_more_q, wb_tail_q, wb_busy;

  assign wb_left_next = wb_left_q - $signed((DimW+1)'(num_active_q));
  assign wb_busy      = wb_more_q || wb_tail_q;
  assign wb_o         = wb_more_q;
  assign row_o        = wb_row_q[ActAddrW-1:0];
  assign remaining_o  = wb_more_q ? wb_left_q[DimW-1:0] : '0;

  // ---------------------------------------------------------------------------------------------
  // Group fetch and leading-non-zero detection (compute: non-zero activations below cols;
  // output: every activation below rows).
  // ---------------------------------------------------------------------------------------------
  logic                  streaming, to_output;
  logic [ActAddrW-1:0]   f_row_q;
  // Values left to fetch from f_base on (limit - f_base, <= 0 when none) and from the group
  // in flight's base: counted down, so the group's mask starts at flops.
  logic signed [DimW:0]  f_left_q, fd_left_q, f_left_next;
  logic [NumPe-1:0]      act_mask_q;  // PE k active: k < num_active, registered
  logic [DimW-1:0]       f_base_q, fd_base_q, g_base_q;
  logic [DimW-1:0]       fd_ptr_q, g_ptr_q;  // ptr_base + fd_base / g_base
  // The upper bits of g_base and g_ptr plus one: a column or pointer is base + LNZD index, and the
  // index arrives late, so only the low PeW bits are added after it (carry select).
  logic [DimW-PeW-1:0]   g_base_inc_q, g_ptr_inc_q;
  logic                  f_pending_q, g_valid_q;
  logic [NumPe-1:0]      g_mask_q, new_mask, mask_after, onehot;
  logic [NumPe*ActW-1:0] g_vals_q;
  logic                  lnzd_valid, lnzd_multi, sink_ready, fire, g_consumed, g_load, f_more;
  logic                  f_issue, f_early;
  logic [PeW-1:0]        lnzd_idx;
  logic [ActW-1:0]       lnzd_data;

  assign to_output   = state_q == eie_pkg::CcuOutput;
  assign streaming   = state_q == eie_pkg::CcuCompute || to_output;
  assign f_more      = f_left_q > 0;
  assign f_left_next = f_left_q - $signed((DimW+1)'(num_active_q));
  // Values a stream fetches: the next layer's columns, or the final layer's rows; past the first
  // group when Load fetched it. Only the switch (flops and the PEs' idle) selects between them.
  logic signed [DimW:0] f_start_left, f_first_left;
  assign f_start_left = $signed({1'b0, sw_output ? rows_q : nxt_cols});
  assign f_first_left = $signed({1'b0, nxt_cols}) - $signed((DimW+1)'(num_active_q));

  always_comb begin
    for (int unsigned k = 0; k < NumPe; k++) begin
      new_mask[k] = (fd_left_q > $signed((DimW+1)'(k))) && act_mask_q[k] &&
                    (to_output || src_data_i[k*ActW +: ActW] != '0);
    end
  end

  eie_lnzd #(.NumIn(NumPe), .Width(ActW)) u_lnzd (
    .valid_i(g_mask_q),
    .data_i (g_vals_q),
    .valid_o(lnzd_valid),
    .multi_o(lnzd_multi),
    .idx_o  (lnzd_idx),
    .data_o (lnzd_data)
  );

  always_comb begin
    onehot = '0;
    onehot[lnzd_idx] = 1'b1;
  end

  logic out_valid_q;
  assign sink_ready = to_output ? (!out_valid_q || out_ready_i) : bcast_ready_i;
  assign fire       = streaming && g_valid_q && lnzd_valid && sink_ready;
  assign mask_after = fire ? (g_mask_q & ~onehot) : g_mask_q;
  // The group empties when nothing is left in it, or its last non-zero goes now (the LNZD's
  // "two or more" output instead of a NOR over mask_after: off the path from the ready AND).
  assign g_consumed = g_valid_q && (!lnzd_valid || (fire && !lnzd_multi));
  assign g_load     = f_pending_q && (!g_valid_q || g_consumed);
  // A source row is read once the write-back has written it (row r is read in the sweep's cycle r
  // and written in the next, visible to reads after that), or in the cycle the write-back reads
  // it: the PEs then forward the value it writes (eie_pe_act_rw).
  logic src_written, f_want;
  assign src_written = !wb_busy || (ActAddrW+1)'(f_row_q) == wb_row_q ||
                       (ActAddrW+2)'(f_row_q) + 2 <= (ActAddrW+2)'(wb_row_q);
  assign f_want     = streaming && f_more && (!f_pending_q || g_load);  // a free fetch slot
  assign f_issue    = f_want && src_written;
  // The first layer's first group is read as the run's Load ends (its column count is in word 0,
  // read ahead; no write-back is pending), so it reaches the LNZD in the layer's first cycle.
  assign f_early    = state_q == eie_pkg::CcuLoad && pf_ready && nxt_cols != '0;
  assign src_re_o   = f_issue || f_early;
  assign src_addr_o = f_row_q;

  // base + idx for idx < 2^PeW: the low bits added, the upper ones selected by their carry.
  function automatic logic [DimW-1:0] add_index(logic [DimW-1:0] base,
                                                logic [DimW-PeW-1:0] base_hi_inc,
                                                logic [PeW-1:0] idx);
    logic [PeW:0] lo;
    lo = {1'b0, base[PeW-1:0]} + {1'b0, idx};
    add_index = {lo[PeW] ? base_hi_inc : base[DimW-1:PeW], lo[PeW-1:0]};
  endfunction

  logic [DimW-1:0] lnzd_col;
  assign lnzd_col     = add_index(g_base_q, g_base_inc_q, lnzd_idx);
  assign bcast_fire_o = fire && !to_output;

  logic            bcast_valid_q;
  logic [ActW-1:0] bcast_act_q;
  logic [DimW-1:0] bcast_col_q, bcast_ptr_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) bcast_valid_q <= 1'b0;
    else bcast_valid_q <= bcast_fire_o;
  end

  always_ff @(posedge clk_i) begin
    if (bcast_fire_o) begin
      bcast_act_q <= lnzd_data;
      bcast_col_q <= lnzd_col;
      bcast_ptr_q <= add_index(g_ptr_q, g_ptr_inc_q, lnzd_idx);
    end
  end

  assign bcast_valid_o = bcast_valid_q;
  assign bcast_act_o   = bcast_act_q;
  assign bcast_col_o   = bcast_col_q;
  assign bcast_ptr_o   = bcast_ptr_q;

  logic groups_done;
  assign groups_done = !f_more && !f_pending_q && (!g_valid_q || g_consumed) && !g_load;

  // ---------------------------------------------------------------------------------------------
  // Result stream register: valid never depends on ready; data holds until accepted.
  // ---------------------------------------------------------------------------------------------
  logic [DimW-1:0] out_index_q;
  logic [ActW-1:0] out_data_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) out_valid_q <= 1'b0;
    else if (fire && to_output) out_valid_q <= 1'b1;
    else if (out_ready_i) out_valid_q <= 1'b0;
  end

  always_ff @(posedge clk_i) begin
    if (fire && to_output) begin
      out_index_q <= lnzd_col;
      out_data_q  <= lnzd_data;
    end
  end

  assign out_valid_o = out_valid_q;
  assign out_index_o = out_index_q;
  assign out_data_o  = out_data_q;

  // ---------------------------------------------------------------------------------------------
  // Control FSM.
  // ---------------------------------------------------------------------------------------------
  logic ctrl_we;
  assign ctrl_we = host_we_i && host_target_i == eie_pkg::TgtCtrl;
  // A write of 1..MaxLayers to control register 0, decoded by eie_top's request register as the
  // request arrived, so the FSM's next state does not wait for 64-bit comparisons.
  assign start   = host_we_i && host_start_i;

  // Run-time configuration: out-of-range values select the full hardware.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      num_active_q <= DimW'(NumPe);
      fifo_limit_q <= FifoCntW'(FifoDepth);
      hold_limit_q <= HoldCntW'(HoldSlots);
    end else if (ctrl_we && host_addr_i == eie_pkg::CtrlActivePe) begin
      num_active_q <= (host_wdata_i == '0 || host_wdata_i > 64'(NumPe)) ? DimW'(NumPe)
                                                                         : DimW'(host_wdata_i);
    end else if (ctrl_we && host_addr_i == eie_pkg::CtrlFifoLimit) begin
      fifo_limit_q <= (host_wdata_i == '0 || host_wdata_i > 64'(FifoDepth))
                      ? FifoCntW'(FifoDepth) : FifoCntW'(host_wdata_i);
    end else if (ctrl_we && host_addr_i == eie_pkg::CtrlHoldLimit) begin
      hold_limit_q <= (host_wdata_i > 64'(HoldSlots)) ? HoldCntW'(HoldSlots)
                                                       : HoldCntW'(host_wdata_i);
    end
  end
  assign num_active_o = num_active_q;

  // Active PEs as a mask, a cycle after the count (a run starts a cycle or more after it changes).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      act_mask_q <= '1;
    end else begin
      for (int unsigned k = 0; k < NumPe; k++) act_mask_q[k] <= k < 32'(num_active_q);
    end
  end
  assign fifo_limit_o = fifo_limit_q;
  assign hold_limit_o = hold_limit_q;

  always_comb begin
    state_d = state_q;
    unique case (state_q)
      eie_pkg::CcuIdle:    if (start) state_d = eie_pkg::CcuLoad;
      eie_pkg::CcuLoad:    if (sw_compute) state_d = eie_pkg::CcuCompute;
      eie_pkg::CcuCompute: if (groups_done) state_d = eie_pkg::CcuDrain;
      eie_pkg::CcuDrain: begin
        if (sw_compute) state_d = eie_pkg::CcuCompute;
        else if (sw_output) state_d = eie_pkg::CcuOutput;
      end
      eie_pkg::CcuOutput:  if (groups_done && !out_valid_q && !fire) state_d = eie_pkg::CcuIdle;
      default:             state_d = eie_pkg::CcuIdle;
    endcase
  end

  // A layer ends when every PE is idle and the write-back before it is done (it always is by
  // then: the layer's group fetch waited for every row); the next starts in the same cycle.
  // Leaving a drained layer waits for the next descriptor read ahead, if there is a next layer.
  assign leave_layer = state_q == eie_pkg::CcuDrain && pes_idle_i && !wb_busy &&
                       (!more_layers || pf_ready);
  assign sw_compute  = (state_q == eie_pkg::CcuLoad && pf_ready) || (leave_layer && more_layers);
  assign sw_output   = leave_layer && !more_layers;

  logic [31:0] cycles_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= eie_pkg::CcuIdle;
      layer_q      <= '0;
      last_layer_q <= '0;
      pf_cnt_q     <= '0;
      src_sel_o    <= 1'b0;
      acc_sel_o    <= 1'b0;
      layer_start_o <= 1'b0;
      wb_row_q     <= '0;
      wb_left_q    <= '0;
      wb_more_q    <= 1'b0;
      wb_tail_q    <= 1'b0;
      f_row_q      <= '0;
      f_base_q     <= '0;
      fd_base_q    <= '0;
      f_left_q     <= '0;
      fd_left_q    <= '0;
      f_pending_q  <= 1'b0;
      g_valid_q    <= 1'b0;
      g_mask_q     <= '0;
      g_base_q     <= '0;
      cycles_q     <= '0;
      done_o       <= 1'b0;
    end else begin
      state_q <= state_d;
      done_o  <= state_q == eie_pkg::CcuOutput && state_d == eie_pkg::CcuIdle;
      if (state_q != eie_pkg::CcuIdle) cycles_q <= cycles_q + 1'b1;

      layer_start_o <= sw_compute;

      if (state_d != state_q) pf_cnt_q <= '0;  // the read-ahead restarts in Drain
      if (pf_active && !pf_ready) pf_cnt_q <= pf_cnt_q + 1'b1;

      if (state_q == eie_pkg::CcuIdle && start) begin
        layer_q      <= '0;
        last_layer_q <= LayerW'(host_wdata_i - 1'b1);
        src_sel_o    <= 1'b0;
        acc_sel_o    <= 1'b0;
        cycles_q     <= '0;
        pf_cnt_q     <= 2'd1;  // word 0 of the first descriptor is read now
        f_row_q      <= '0;    // Load's last cycle reads the first group (f_early)
      end

      if (leave_layer) begin
        src_sel_o <= !src_sel_o;  // this layer's destination is the next one's source
        acc_sel_o <= !acc_sel_o;  // the next layer accumulates in the other bank
        if (sw_compute) layer_q <= layer_q + 1'b1;
        wb_row_q  <= '0;
        wb_left_q <= $signed({1'b0, rows_q});
        wb_more_q <= rows_q != '0;
      end else if (wb_more_q) begin
        wb_row_q  <= wb_row_q + 1'b1;
        wb_left_q <= wb_left_next;
        wb_more_q <= wb_left_next > 0;
      end
      wb_tail_q <= wb_more_q;

      // A stream's last cycle (groups_done) needs no guard: nothing is fetched or loaded then, and
      // its group, if any, is consumed.
      if (streaming) begin
        if (f_issue) begin
          f_row_q   <= f_row_q + 1'b1;
          f_base_q  <= f_base_q + num_active_q;
          fd_base_q <= f_base_q;
          f_left_q  <= f_left_next;
          fd_left_q <= f_left_q;
        end
        f_pending_q <= f_issue || (f_pending_q && !g_load);
        if (g_load) begin
          g_valid_q <= 1'b1;
          g_mask_q  <= new_mask;
          g_base_q  <= fd_base_q;
        end else if (g_consumed) begin
          g_valid_q <= 1'b0;
        end else begin
          g_mask_q <= mask_after;
        end
      end
      // Entering a stream (a layer's compute, or the output) resets its counters, past the first
      // group when Load fetched it. The switch never depends on the LNZD, so neither do the
      // counters' next values.
      if (sw_compute || sw_output) begin
        f_row_q     <= ActAddrW'(f_early);
        f_base_q    <= f_early ? num_active_q : '0;
        fd_base_q   <= '0;
        f_left_q    <= f_early ? f_first_left : f_start_left;
        fd_left_q   <= f_start_left;
        f_pending_q <= f_early;
        g_valid_q   <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    // The pointer base arrives with the switch, so the first group's sum is the base itself.
    if (sw_compute) fd_ptr_q <= desc_rdata[eie_pkg::DescPtrBaseLsb +: DimW];
    else if (streaming && f_issue) fd_ptr_q <= ptr_base_q + f_base_q;
    if (g_load) begin
      g_vals_q     <= src_data_i;
      g_ptr_q      <= fd_ptr_q;
      g_base_inc_q <= fd_base_q[DimW-1:PeW] + 1'b1;
      g_ptr_inc_q  <= fd_ptr_q[DimW-1:PeW] + 1'b1;
    end
  end

  assign state_o   = state_q;
  assign layer_o   = layer_q;
  assign io_mode_o = state_q == eie_pkg::CcuIdle;
  assign count_o   = state_q == eie_pkg::CcuCompute || state_q == eie_pkg::CcuDrain;
  assign cycles_o  = cycles_q;

  // Host read-back of the layer table, codebooks and status (one cycle latency).
  logic [3:0]      rd_target_q;
  logic [DimW-1:0] rd_ctrl_addr_q;
  always_ff @(posedge clk_i) begin
    if (host_re_i) begin
      rd_target_q    <= host_target_i;
      rd_ctrl_addr_q <= host_addr_i;
      rd_cb_index_q  <= host_addr_i[CbIdxW-1:0];
    end
  end

  // Control register 0 reads the build: NumPe [15:0], FifoDepth [31:16], MaxLayers [47:32],
  // HoldSlots [63:48].
  logic [63:0] ctrl_rdata;
  always_comb begin
    unique case (rd_ctrl_addr_q)
      eie_pkg::CtrlRun:       ctrl_rdata = {16'(HoldSlots), 16'(MaxLayers), 16'(FifoDepth), 16'(NumPe)};
      eie_pkg::CtrlCycles:    ctrl_rdata = 64'(cycles_q);
      eie_pkg::CtrlActivePe:  ctrl_rdata = 64'(num_active_q);
      eie_pkg::CtrlFifoLimit: ctrl_rdata = 64'(fifo_limit_q);
      eie_pkg::CtrlHoldLimit: ctrl_rdata = 64'(hold_limit_q);
      default:                ctrl_rdata = '0;
    endcase
  end

  always_comb begin
    unique case (rd_target_q)
      eie_pkg::TgtLayer:    host_rdata_o = desc_rdata;
      eie_pkg::TgtCodebook: host_rdata_o = 64'(cb_rdata[rd_cb_index_q*ActW +: ActW]);
      eie_pkg::TgtCtrl:     host_rdata_o = ctrl_rdata;
      default:              host_rdata_o = '0;
    endcase
  end

  logic fetch_wait, fetch_fwd;  // monitors: the fetch waits for / meets the write-back
  assign fetch_wait = f_want && !src_written;
  assign fetch_fwd  = f_issue && wb_more_q && (ActAddrW+1)'(f_row_q) == wb_row_q;

`ifdef FORMAL
  // Properties for Yosys (`make formal`): the result stream (a valid/ready source) holds its
  // payload until it is accepted, and only active PEs' non-zero activations are broadcast, the
  // lowest-numbered first (the LNZD's own proof covers its order). Nothing is assumed of the
  // PEs or the memories; of the host, only that it sets the active PEs between runs
  // (docs/hardware.md, "Run-time configuration").
  logic f_past_valid_q;
  initial f_past_valid_q = 1'b0;  // the proof starts in reset (scripts/formal.py)
  always_ff @(posedge clk_i) begin
    f_past_valid_q <= 1'b1;
    if (f_past_valid_q && rst_ni && $past(rst_ni) && $past(out_valid_o && !out_ready_i)) begin
      assert (out_valid_o);
      assert (out_index_o == $past(out_index_o) && out_data_o == $past(out_data_o));
    end
  end
  always_comb begin
    if (ctrl_we && host_addr_i == eie_pkg::CtrlActivePe) begin
      assume (state_q == eie_pkg::CcuIdle && !start);
    end
    if (f_past_valid_q && rst_ni) begin
      // In a run the mask is the active count's, and a group holds active PEs only.
      if (state_q != eie_pkg::CcuIdle) begin
        for (int unsigned k = 0; k < NumPe; k++) assert (act_mask_q[k] == (k < 32'(num_active_q)));
      end
      if (state_q == eie_pkg::CcuIdle || state_q == eie_pkg::CcuLoad) assert (!g_valid_q);
      if (g_valid_q) assert ((g_mask_q & ~act_mask_q) == '0);
      // A layer's group holds non-zero values only (the result stream sends zeros too).
      if (g_valid_q && state_q == eie_pkg::CcuCompute) begin
        for (int unsigned k = 0; k < NumPe; k++) begin
          if (g_mask_q[k]) assert (g_vals_q[k*ActW +: ActW] != '0);
        end
      end
      if (fire) assert (32'(lnzd_idx) < 32'(num_active_q));
      if (bcast_fire_o) assert (lnzd_data != '0);
    end
  end
`endif

`ifdef EIE_BACKDOOR
  /* verilator coverage_off */
  // Activity counters of the simulation builds, as in eie_pe (not hardware).
  typedef enum int unsigned {
    CcuEvGroup,       // LNZD group loads (one source activation read in every PE)
    CcuEvBcast,       // broadcasts
    CcuEvOut,         // results streamed to the host
    CcuEvBcastStall,  // compute cycles a non-zero waits for every PE's ready
    CcuEvHost,        // host requests acting on the CCU
    CcuEvWbRow,       // write-back sweep cycles (one local row in every PE)
    CcuEvFetchWait,   // cycles the group fetch waits for the write-back to write its row
    CcuEvFetchFwd,    // group fetches of the row the write-back reads that cycle (PEs forward it)
    CcuEvState,       // CcuEvState + s: cycles in state s (ccu_state_e)
    CcuEvents = CcuEvState + 32'(eie_pkg::CcuOutput) + 1
  } ccu_event_e;
  // An enum cannot size an array in Verilator 5.006.
  localparam int unsigned NumCcuEvents = 32'(CcuEvents);
  logic [NumCcuEvents-1:0] ev;
  always_comb begin
    ev                  = '0;
    ev[CcuEvGroup]      = g_load;
    ev[CcuEvBcast]      = bcast_fire_o;
    ev[CcuEvOut]        = fire && to_output;
    ev[CcuEvBcastStall] = state_q == eie_pkg::CcuCompute && g_valid_q && lnzd_valid &&
                          !bcast_ready_i;
    ev[CcuEvHost]       = host_we_i || host_re_i;
    ev[CcuEvWbRow]      = wb_more_q;
    ev[CcuEvFetchWait]  = fetch_wait;
    ev[CcuEvFetchFwd]   = fetch_fwd;
    ev[32'(CcuEvState) + 32'(state_q)] = 1'b1;
  end

  eie_activity #(.NumEvents(NumCcuEvents)) u_activity (.clk_i, .event_i(ev));
  /* verilator coverage_on */
`endif

`ifndef SYNTHESIS
  // Functional coverage (Verilator --coverage builds; docs/verification.md).
  cov_broadcast_stall: cover property (@(posedge clk_i) disable iff (!rst_ni)
    state_q == eie_pkg::CcuCompute && g_valid_q && lnzd_valid && !bcast_ready_i);
  cov_zero_group_skipped: cover property (@(posedge clk_i) disable iff (!rst_ni)
    g_load && new_mask == '0 && !to_output);
  cov_output_backpressure: cover property (@(posedge clk_i) disable iff (!rst_ni)
    out_valid_q && !out_ready_i);
  cov_multi_layer_run: cover property (@(posedge clk_i) disable iff (!rst_ni)
    layer_start_o && layer_q != '0);
  cov_max_layers_run: cover property (@(posedge clk_i) disable iff (!rst_ni)
    layer_start_o && 32'(layer_q) == MaxLayers - 1);
  cov_fetch_waits_for_writeback: cover property (@(posedge clk_i) disable iff (!rst_ni)
    fetch_wait && layer_q != '0 && f_row_q != '0);
  cov_output_waits_for_writeback: cover property (@(posedge clk_i) disable iff (!rst_ni)
    fetch_wait && to_output);
  cov_fetch_meets_writeback: cover property (@(posedge clk_i) disable iff (!rst_ni)
    fetch_fwd && layer_q != '0);

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      a_fire_needs_ready: assert (!(bcast_fire_o && !bcast_ready_i))
        else $error("CCU: broadcast accepted that no PE or hold slot can take");
      if ($past(out_valid_q) && !$past(out_ready_i) && $past(rst_ni)) begin
        assert (out_valid_q && out_index_q == $past(out_index_q) && out_data_q == $past(out_data_q))
          else $error("CCU: result stream changed before it was accepted");
      end
      if (sw_compute) begin
        assert (nxt_w0_q[eie_pkg::DescRowsLsb +: DimW] != '0) else $error("CCU: layer %0d with zero rows", pf_layer);
      end
      assert (!(host_we_i && !io_mode_o)) else $error("CCU: host write while computing");
      assert (!(ctrl_we && host_addr_i == eie_pkg::CtrlRun && !start))
        else $error("CCU: start with %0d layers (1..%0d)", host_wdata_i, MaxLayers);
      a_start_decode: assert (start == (ctrl_we && host_addr_i == eie_pkg::CtrlRun && host_wdata_i != '0 &&
                                        host_wdata_i <= 64'(MaxLayers)))
        else $error("CCU: the early start decode disagrees with the request");
      // Local indices must fit the activation banks (the loader checks this too).
      if (layer_start_o) begin
        assert (64'(cols_q) <= 64'(num_active_q) * ActDepth &&
                64'(rows_q) <= 64'(num_active_q) * ActDepth)
          else $error("CCU: layer %0d (%0dx%0d) exceeds %0d activations per PE", layer_q, rows_q,
                      cols_q, ActDepth);
      end
    end
  end
`endif

endmodule
