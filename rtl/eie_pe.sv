// One EIE processing element. PE k of N active PEs owns rows i with i mod N == k of every layer:
// sparse-matrix slice, pointers, biases, accumulators and source/destination activations.
//
// Compute pipeline (one entry per cycle, no bubble at word or column boundaries), one unit per
// block of the EIE paper's Fig. 4 and Table II:
//   broadcast -> eie_pe_ptr_read (B): pointer read; a column with no entries here is dropped
//   -> eie_fifo: activation queue of (a_j, start, end)
//   -> eie_pe_spmat_read (E, R): entry address walk, sparse-matrix word read, entry select
//   -> eie_pe_arith (R, M1, M2, S1, S2): row accumulation, codebook lookup, two-stage multiply,
//      round, saturating add
//   -> eie_pe_act_rw: accumulators, biases, activation banks, the previous layer's write-back
// This module wires them, holds the performance counters and answers host reads.
`default_nettype none

module eie_pe #(
  parameter int unsigned FifoDepth  = 8,
  parameter int unsigned SpmatDepth = 1024,  // 64-bit words
  parameter int unsigned PtrDepth   = 1024,  // pointers, both banks together
  parameter int unsigned ActDepth   = 64,    // activations per bank, and accumulators
  parameter int unsigned BiasDepth  = 256,
  parameter int unsigned AccWidth   = 32,
  localparam int unsigned ActW      = eie_pkg::ActWidth,
  localparam int unsigned DimW      = eie_pkg::DimWidth,
  localparam int unsigned PtrW      = eie_pkg::PtrWidth,
  localparam int unsigned ActAddrW  = eie_pkg::clog2_min1(ActDepth),
  localparam int unsigned SpAddrW   = eie_pkg::clog2_min1(SpmatDepth),
  localparam int unsigned BiasAddrW = eie_pkg::clog2_min1(BiasDepth),
  localparam int unsigned PtrAddrW  = eie_pkg::clog2_min1(PtrDepth),
  // Host address bits any target of a PE decodes (activations: bank bit above the row).
  localparam int unsigned HostAddrM = (SpAddrW > PtrAddrW) ? SpAddrW : PtrAddrW,
  localparam int unsigned HostAddrA = (ActAddrW + 1 > BiasAddrW) ? ActAddrW + 1 : BiasAddrW,
  localparam int unsigned HostAddrW = (HostAddrM > HostAddrA) ? HostAddrM : HostAddrA,
  localparam int unsigned FifoCntW  = $clog2(FifoDepth + 1),                     // limit
  localparam int unsigned LevelW    = $clog2(FifoDepth + eie_pkg::FifoSkid + 1)  // level
) (
  input  wire logic                  clk_i,
  input  wire logic                  rst_ni,
  // A port rather than a parameter so every PE is the same module (one Verilator model).
  input  wire logic [DimW-1:0]       pe_idx_i,
  input  wire logic [DimW-1:0]       num_active_i,  // PEs in use at run time (1..NumPe)
  input  wire logic [FifoCntW-1:0]   fifo_limit_i,

  // Compute layer's configuration, stable while it computes and drains; layer_start_i: its first
  // cycle, when no row of accumulator bank acc_sel_i is touched yet.
  input  wire logic [BiasAddrW-1:0]  bias_base_i,
  input  wire logic                  has_bias_i,
  input  wire logic [3:0]            w_frac_i,
  input  wire logic [eie_pkg::CodebookSize*ActW-1:0]    codebook_i,
  input  wire logic                  src_sel_i,    // activation bank read as the source
  input  wire logic                  acc_sel_i,    // accumulator bank of the compute layer
  input  wire logic                  layer_start_i,

  // Write-back of the layer before: local row row_i while pe_idx < remaining_i, with that
  // layer's biases and ReLU.
  input  wire logic [BiasAddrW-1:0]  wb_bias_base_i,
  input  wire logic                  wb_has_bias_i,
  input  wire logic                  wb_relu_i,
  input  wire logic                  wb_i,
  input  wire logic [ActAddrW-1:0]   row_i,
  input  wire logic [DimW-1:0]       remaining_i,
  output      logic                  wb_valid_o,   // monitor hook: dst[row_i of last cycle]
  output      logic [ActW-1:0]       wb_data_o,

  // Source activation read for the LNZD (data one cycle later, held until the next read).
  input  wire logic                  src_re_i,
  input  wire logic [ActAddrW-1:0]   src_addr_i,
  output      logic [ActW-1:0]       src_data_o,

  // Broadcast of a non-zero activation (the CCU's broadcast register) and its column's pointer
  // index; bcast_fire_i: the CCU accepts a broadcast this cycle (it reaches bcast_valid_i next).
  input  wire logic                  bcast_fire_i,
  input  wire logic                  bcast_valid_i,
  input  wire logic [ActW-1:0]       bcast_act_i,
  input  wire logic [DimW-1:0]       bcast_ptr_i,
  output      logic                  fifo_ready_o, // registered
  output      logic                  idle_o,       // nothing but S2 in flight
  input  wire logic                  count_i,      // compute phase: update the counters

  // Host access (I/O mode only): this PE's memories and counters; acts a cycle later, from the
  // PE's own request register.
  input  wire logic                  host_we_i,
  input  wire logic                  host_re_i,
  input  wire logic [3:0]            host_target_i,
  input  wire logic [DimW-1:0]       host_addr_i,
  input  wire logic [63:0]           host_wdata_i,
  output      logic [63:0]           host_rdata_o,  // two cycles after host_re_i

  // Debug/monitor (waveforms, counters).
  output      logic [LevelW-1:0]     fifo_level_o,
  output      logic [eie_pkg::PipeStages-1:0] pipe_valid_o  // eie_pkg::Pipe* bits
);

  // ---------------------------------------------------------------------------------------------
  // Host request register. eie_top's request register reaches every PE through this one, so that
  // a flop in each PE, not one flop at the top, drives the PE's memory ports and decoders: a
  // registered fan-out tree (docs/timing.md). Requests act here one cycle after eie_top's
  // register, in the order they came.
  // ---------------------------------------------------------------------------------------------
  logic                 host_we_q, host_re_q;
  logic [3:0]           host_target_q;
  logic [HostAddrW-1:0] host_addr_q;
  logic [DimW-1:0]      host_addr;
  logic [63:0]          host_wdata_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      host_we_q <= 1'b0;
      host_re_q <= 1'b0;
    end else begin
      host_we_q <= host_we_i;
      host_re_q <= host_re_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (host_we_i || host_re_i) begin
      host_target_q <= host_target_i;
      host_addr_q <= HostAddrW'(host_addr_i);
    end
    if (host_we_i) host_wdata_q <= host_wdata_i;
  end
  assign host_addr = DimW'(host_addr_q);

  // The request's target decoded once, here: each unit gets the write and read strobes of its
  // own memories, and none of them compares target codes.
  logic [15:0] host_tgt;  // one-hot
  logic        host_spmat_we, host_spmat_re, host_ptr_we, host_ptr_re, host_bias_we, host_bias_re;
  logic        host_act_we, host_act_re, host_acc_re, host_stats_we;
  always_comb begin
    host_tgt                = '0;
    host_tgt[host_target_q] = 1'b1;
  end
  assign host_spmat_we = host_we_q && host_tgt[eie_pkg::TgtSpmat];
  assign host_spmat_re = host_re_q && host_tgt[eie_pkg::TgtSpmat];
  assign host_ptr_we   = host_we_q && host_tgt[eie_pkg::TgtPtr];
  assign host_ptr_re   = host_re_q && host_tgt[eie_pkg::TgtPtr];
  assign host_bias_we  = host_we_q && host_tgt[eie_pkg::TgtBias];
  assign host_bias_re  = host_re_q && host_tgt[eie_pkg::TgtBias];
  assign host_act_we   = host_we_q && host_tgt[eie_pkg::TgtAct];
  assign host_act_re   = host_re_q && host_tgt[eie_pkg::TgtAct];
  assign host_acc_re   = host_re_q && host_tgt[eie_pkg::TgtAcc];
  assign host_stats_we = host_we_q && host_tgt[eie_pkg::TgtStats];

  logic active, active_q, bcast;
  // A PE beyond the run-time PE count owns no rows: it ignores broadcasts and never holds up the
  // broadcast or the drain, whatever its memories hold. Registered (the count changes only in I/O
  // mode, a cycle or more before a run starts), so that it leaves the per-cycle paths.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) active_q <= 1'b1;  // the count resets to NumPe
    else active_q <= pe_idx_i < num_active_i;
  end
  assign active = active_q;
  assign bcast  = bcast_valid_i && active;

  // ---------------------------------------------------------------------------------------------
  // Pointer read (B stage).
  // ---------------------------------------------------------------------------------------------
  logic            b_valid, b_push;
  logic [ActW-1:0] b_act;
  logic [PtrW-1:0] b_start, b_end, host_ptr_rdata;

  eie_pe_ptr_read #(.PtrDepth(PtrDepth)) u_ptr_read (
    .clk_i,
    .rst_ni,
    .bcast_valid_i(bcast),
    .bcast_act_i,
    .bcast_ptr_i,
    .b_valid_o    (b_valid),
    .b_push_o     (b_push),
    .b_act_o      (b_act),
    .b_start_o    (b_start),
    .b_end_o      (b_end),
    .host_we_i    (host_ptr_we),
    .host_re_i    (host_ptr_re),
    .host_addr_i  (host_addr),
    .host_wdata_i (host_wdata_q[PtrW-1:0]),
    .host_rdata_o (host_ptr_rdata)
  );

  // ---------------------------------------------------------------------------------------------
  // Activation queue of non-empty columns, and the PE's ready, registered so that the CCU's AND of
  // every PE's ready starts at flops. A broadcast the CCU accepts in cycle t reaches the broadcast
  // register at t+1 and B at t+2, where it is pushed; so ready at t promises room at t+2 for it
  // and for the two broadcasts before it that may still be on their way:
  //   ready(t) = level(t) + B valid(t) + broadcast register valid(t) - pop(t) < limit,
  // computed this cycle (t-1). Only B valid(t) is a bound: the column now in the broadcast
  // register counts as a push, since whether it holds entries here comes from the pointer RAM
  // next cycle. The late terms (this cycle's push from the pointer RAM, the CCU's accept behind
  // the all-PE AND, E's next state) only select among comparisons made from the early ones.
  // ---------------------------------------------------------------------------------------------
  logic              fifo_valid, fifo_pop, fifo_push_ready, col_ready, col_ready_next;
  logic [ActW-1:0]   fifo_act;
  logic [PtrW-1:0]   fifo_start, fifo_end;
  logic [LevelW:0]   level_lo;    // level next cycle without this cycle's push
  logic              pop_next;    // E pops the queue next cycle
  logic [LevelW+1:0] credit_early;  // level_lo + the broadcast register (B next cycle)
  logic [LevelW-1:0] fifo_room;     // storage the broadcast may fill: limit + skid
  logic [7:0]        ready_if;         // ready_d for each {b_push, bcast_fire_i, pop_next}
  logic              ready_d, ready_q;

  assign fifo_pop     = fifo_valid && col_ready;
  assign fifo_room    = LevelW'(fifo_limit_i) + LevelW'(eie_pkg::FifoSkid);
  assign level_lo     = {1'b0, fifo_level_o} - (LevelW+1)'(fifo_pop);
  assign pop_next     = (level_lo != '0 || b_push) && col_ready_next;
  assign credit_early = (LevelW+2)'(level_lo) + (LevelW+2)'(bcast);
  always_comb begin
    for (int unsigned i = 0; i < 8; i++) begin
      ready_if[i] = credit_early + (LevelW+2)'(i >> 2) + (LevelW+2)'((i >> 1) & 1) <
                    (LevelW+2)'(fifo_room) + (LevelW+2)'(i & 1);
    end
  end
  assign ready_d = ready_if[{b_push, bcast_fire_i, pop_next}];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) ready_q <= 1'b0;
    else ready_q <= ready_d;
  end

  // An inactive PE never holds up the broadcast.
  assign fifo_ready_o = ready_q || !active;

  eie_fifo #(.Width(ActW + 2 * PtrW), .Depth(FifoDepth + eie_pkg::FifoSkid)) u_fifo (
    .clk_i,
    .rst_ni,
    .limit_i     (fifo_room),
    .store_i     (b_valid),
    .push_valid_i(b_push),
    .push_ready_o(fifo_push_ready),
    .push_data_i ({b_act, b_start, b_end}),
    .pop_valid_o (fifo_valid),
    .pop_ready_i (fifo_pop),
    .pop_data_o  ({fifo_act, fifo_start, fifo_end}),
    .level_o     (fifo_level_o)
  );

  // ---------------------------------------------------------------------------------------------
  // Sparse-matrix read (E, R).
  // ---------------------------------------------------------------------------------------------
  logic            e_valid, entry_valid, entry_first, entry_last, entry_skip;
  logic [7:0]      entry;
  logic [ActW-1:0] entry_act;
  logic [63:0]     host_spmat_rdata;

  eie_pe_spmat_read #(.SpmatDepth(SpmatDepth)) u_spmat_read (
    .clk_i,
    .rst_ni,
    .col_valid_i  (fifo_valid),
    .col_ready_o  (col_ready),
    .col_ready_next_o(col_ready_next),
    .col_act_i    (fifo_act),
    .col_start_i  (fifo_start),
    .col_end_i    (fifo_end),
    .e_valid_o    (e_valid),
    .entry_valid_o(entry_valid),
    .entry_o      (entry),
    .entry_first_o(entry_first),
    .entry_last_o (entry_last),
    .entry_skip_o (entry_skip),
    .entry_act_o  (entry_act),
    .host_we_i    (host_spmat_we),
    .host_re_i    (host_spmat_re),
    .host_addr_i  (host_addr[SpAddrW-1:0]),
    .host_wdata_i (host_wdata_q),
    .host_rdata_o (host_spmat_rdata)
  );

  // ---------------------------------------------------------------------------------------------
  // Arithmetic unit (R, M, S).
  // ---------------------------------------------------------------------------------------------
  logic [3:0]          arith_valid;  // {M1, M2, S1, S2}
  logic                acc_re, acc_init_re, acc_we, acc_touched;
  logic [ActAddrW-1:0] acc_raddr, acc_waddr, acc_touched_raddr;
  logic [AccWidth-1:0] acc_rdata, acc_init, acc_wdata, host_acc_rdata;

  eie_pe_arith #(.ActDepth(ActDepth), .AccWidth(AccWidth)) u_arith (
    .clk_i,
    .rst_ni,
    .codebook_i,
    .w_frac_i,
    .entry_valid_i(entry_valid),
    .entry_i      (entry),
    .entry_first_i(entry_first),
    .entry_last_i (entry_last),
    .entry_skip_i (entry_skip),
    .entry_act_i  (entry_act),
    .acc_touched_raddr_o(acc_touched_raddr),
    .acc_touched_i(acc_touched),
    .acc_re_o     (acc_re),
    .acc_init_re_o(acc_init_re),
    .acc_raddr_o  (acc_raddr),
    .acc_rdata_i  (acc_rdata),
    .acc_init_i   (acc_init),
    .acc_we_o     (acc_we),
    .acc_waddr_o  (acc_waddr),
    .acc_wdata_o  (acc_wdata),
    .valid_o      (arith_valid)
  );

  // ---------------------------------------------------------------------------------------------
  // Activation read/write: accumulators, biases, activation banks, write-back.
  // ---------------------------------------------------------------------------------------------
  logic [31:0]     host_bias_rdata;
  logic [ActW-1:0] host_act_rdata;

  eie_pe_act_rw #(
    .ActDepth (ActDepth),
    .BiasDepth(BiasDepth),
    .AccWidth (AccWidth)
  ) u_act_rw (
    .clk_i,
    .rst_ni,
    .acc_sel_i,
    .layer_start_i,
    .bias_base_i,
    .has_bias_i,
    .src_sel_i,
    .wb_bias_base_i,
    .wb_has_bias_i,
    .wb_relu_i,
    .wb_i,
    .row_i,
    .sweep_en_i       (pe_idx_i < remaining_i && active),
    .wb_valid_o,
    .wb_data_o,
    .src_re_i,
    .src_addr_i,
    .src_data_o,
    .acc_touched_raddr_i(acc_touched_raddr),
    .acc_touched_o    (acc_touched),
    .acc_re_i         (acc_re),
    .acc_init_re_i    (acc_init_re),
    .acc_raddr_i      (acc_raddr),
    .acc_rdata_o      (acc_rdata),
    .acc_init_o       (acc_init),
    .acc_we_i         (acc_we),
    .acc_waddr_i      (acc_waddr),
    .acc_wdata_i      (acc_wdata),
    .host_bias_we_i   (host_bias_we),
    .host_bias_re_i   (host_bias_re),
    .host_act_we_i    (host_act_we),
    .host_act_re_i    (host_act_re),
    .host_acc_re_i    (host_acc_re),
    .host_addr_i      (host_addr),
    .host_wdata_i     (host_wdata_q[31:0]),
    .host_bias_rdata_o(host_bias_rdata),
    .host_act_rdata_o (host_act_rdata),
    .host_acc_rdata_o (host_acc_rdata)
  );

  // ---------------------------------------------------------------------------------------------
  // Counters and host read-back.
  // ---------------------------------------------------------------------------------------------
  // The counters' increments are registered (a cycle late; the host reads them after the run),
  // so the 32-bit adders start at flops.
  logic [31:0] busy_q, idle_q, full_q;
  logic        inc_busy_q, inc_idle_q, inc_full_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      inc_busy_q <= 1'b0;
      inc_idle_q <= 1'b0;
      inc_full_q <= 1'b0;
    end else begin
      inc_busy_q <= count_i && active && e_valid;
      inc_idle_q <= count_i && active && !e_valid;
      inc_full_q <= count_i && active && !ready_q;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q <= '0;
      idle_q <= '0;
      full_q <= '0;
    end else if (host_stats_we) begin
      busy_q <= '0;  // any write to the counters clears them
      idle_q <= '0;
      full_q <= '0;
    end else begin
      if (inc_busy_q) busy_q <= busy_q + 1'b1;
      if (inc_idle_q) idle_q <= idle_q + 1'b1;
      if (inc_full_q) full_q <= full_q + 1'b1;
    end
  end

  logic [3:0]  rd_target_q;
  logic [31:0] stat_q;
  always_ff @(posedge clk_i) begin
    if (host_re_q) begin
      rd_target_q <= host_target_q;
      unique case (host_addr[1:0])
        eie_pkg::StatBusy:     stat_q <= busy_q;
        eie_pkg::StatIdle:     stat_q <= idle_q;
        eie_pkg::StatFifoFull: stat_q <= full_q;
        default:               stat_q <= '0;
      endcase
    end
  end

  always_comb begin
    unique case (rd_target_q)
      eie_pkg::TgtSpmat: host_rdata_o = host_spmat_rdata;
      eie_pkg::TgtPtr:   host_rdata_o = 64'(host_ptr_rdata);
      eie_pkg::TgtBias:  host_rdata_o = 64'($signed(host_bias_rdata));
      eie_pkg::TgtAct:   host_rdata_o = 64'($signed(host_act_rdata));
      eie_pkg::TgtAcc:   host_rdata_o = 64'($signed(host_acc_rdata));
      eie_pkg::TgtStats: host_rdata_o = 64'(stat_q);
      default:           host_rdata_o = '0;
    endcase
  end

  // Idle with at most S2's write left: it lands at the end of this cycle, before the next layer's
  // write-back reads the row (eie_pe_act_rw) and with the configuration it started with.
  assign idle_o = !active || (!bcast_valid_i && !b_valid && !fifo_valid && !e_valid &&
                              !entry_valid && arith_valid[3:1] == '0);
  always_comb begin
    pipe_valid_o                    = '0;
    pipe_valid_o[eie_pkg::PipeB]    = b_valid;
    pipe_valid_o[eie_pkg::PipeE]    = e_valid;
    pipe_valid_o[eie_pkg::PipeR]    = entry_valid;
    pipe_valid_o[eie_pkg::PipeM1]   = arith_valid[3];
    pipe_valid_o[eie_pkg::PipeM2]   = arith_valid[2];
    pipe_valid_o[eie_pkg::PipeS1]   = arith_valid[1];
    pipe_valid_o[eie_pkg::PipeS2]   = arith_valid[0];
    pipe_valid_o[eie_pkg::PipeFifo] = fifo_valid;
  end

`ifdef EIE_BACKDOOR
  /* verilator coverage_off */
  // Activity counters of the simulation builds: tb/checks/activity.cpp reads them, in this order,
  // for the energy model and checks them against the golden model. Not hardware: synthesis never
  // sees them, and the host's counters above are the PE's only real ones.
  typedef enum int unsigned {
    PeEvActive,     // cycles the PE is in use (clocked and active)
    PeEvBcast,      // broadcasts taken: a pointer read in each bank
    PeEvPush,       // activation queue pushes (non-empty columns)
    PeEvPop,        // activation queue pops
    PeEvEntry,      // entries at R: codebook lookups
    PeEvZeroEntry,  // ...of them with weight index 0 (padding)
    PeEvMult,       // products (M1)
    PeEvAdd,        // accumulations (S2)
    PeEvFwdS1,      // S1 took the sum of the entry two ahead (bypass)
    PeEvFwdS2,      // S2 took the sum of the entry just ahead (bypass)
    PeEvBusy,       // compute cycles E issued an entry
    PeEvIdle,       // compute cycles E had nothing to issue
    PeEvStall,      // compute cycles not ready (holds up the broadcast)
    PeEvHost,       // host requests acting on the PE
    PeEvents
  } pe_event_e;
  // An enum cannot size an array in Verilator 5.006.
  localparam int unsigned NumPeEvents = 32'(PeEvents);
  logic [NumPeEvents-1:0] ev;
  always_comb begin
    ev                 = '0;
    ev[PeEvActive]     = active;
    ev[PeEvBcast]      = bcast;
    ev[PeEvPush]       = b_push;
    ev[PeEvPop]        = fifo_pop;
    ev[PeEvEntry]      = entry_valid;
    ev[PeEvZeroEntry]  = entry_valid && entry[3:0] == 4'd0;
    ev[PeEvMult]       = arith_valid[3];
    ev[PeEvAdd]        = arith_valid[0];
    ev[PeEvFwdS1]      = u_arith.s1_valid_q && u_arith.byp_valid_q &&
                         u_arith.byp_row_q == u_arith.s1_row_q;
    ev[PeEvFwdS2]      = u_arith.s2_valid_q && u_arith.s2_hit_q;
    ev[PeEvBusy]       = count_i && active && e_valid;
    ev[PeEvIdle]       = count_i && active && !e_valid;
    ev[PeEvStall]      = count_i && active && !ready_q;
    ev[PeEvHost]       = host_we_q || host_re_q;
  end

  eie_activity #(.NumEvents(NumPeEvents)) u_activity (.clk_i, .event_i(ev));
  /* verilator coverage_on */
`endif

`ifndef SYNTHESIS
  // Functional coverage (Verilator --coverage builds; docs/verification.md).
  cov_fifo_full: cover property (@(posedge clk_i) disable iff (!rst_ni)
    count_i && active && fifo_level_o >= LevelW'(fifo_limit_i));
  cov_fifo_full_below_depth: cover property (@(posedge clk_i) disable iff (!rst_ni)
    count_i && active && fifo_level_o >= LevelW'(fifo_limit_i) && 32'(fifo_limit_i) < FifoDepth);
  cov_push_and_pop: cover property (@(posedge clk_i) disable iff (!rst_ni)
    b_push && fifo_pop);

  logic signed [AccWidth-1:0] acc_mem_s2;  // the compute bank's accumulator of S2's row
  logic                       touched_s2;  // ...and whether the layer touched it
  assign acc_mem_s2 = acc_sel_i ? u_act_rw.g_acc_bank[1].u_acc.mem_q[u_arith.s2_row_q]
                                : u_act_rw.g_acc_bank[0].u_acc.mem_q[u_arith.s2_row_q];
  assign touched_s2 = acc_sel_i ? u_act_rw.touched1_q[u_arith.s2_row_q]
                                : u_act_rw.touched0_q[u_arith.s2_row_q];

  // Host addresses beyond a memory would alias onto it: they are checked here, untruncated.
  int unsigned host_limit;
  always_comb begin
    unique case (host_target_i)
      eie_pkg::TgtSpmat: host_limit = SpmatDepth;
      eie_pkg::TgtPtr:   host_limit = PtrDepth;
      eie_pkg::TgtBias:  host_limit = BiasDepth;
      eie_pkg::TgtAct:   host_limit = (1 << ActAddrW) + ActDepth;  // bank 1 at 2^ActAddrW
      eie_pkg::TgtAcc:   host_limit = ActDepth;
      default:           host_limit = 4;                          // counters
    endcase
  end

  // The columns a PE receives in a layer (live or from a hold slot) come in broadcast order,
  // which the saturating accumulation needs: their pointer indices ptr_base + col increase.
  logic            seen_col_q;
  logic [DimW-1:0] last_ptr_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) seen_col_q <= 1'b0;
    else if (layer_start_i) seen_col_q <= 1'b0;
    else if (bcast) seen_col_q <= 1'b1;
  end
  always_ff @(posedge clk_i) begin
    if (bcast) last_ptr_q <= bcast_ptr_i;
  end

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (bcast && !layer_start_i) begin
        a_cols_in_order: assert (!seen_col_q || bcast_ptr_i > last_ptr_q)
          else $error("PE %0d: column with pointer index %0d after %0d: out of broadcast order",
                      pe_idx_i, bcast_ptr_i, last_ptr_q);
      end
      assert (!b_push || fifo_push_ready)
        else $error("PE %0d: a non-empty column found the FIFO full", pe_idx_i);
      a_fire_when_ready: assert (!(bcast_fire_i && !fifo_ready_o))
        else $error("PE %0d: broadcast accepted while not ready", pe_idx_i);
      if (host_we_i || host_re_i) begin
        assert (32'(host_addr_i) < host_limit &&
                !(host_target_i == eie_pkg::TgtAct &&
                  32'(host_addr_i[ActAddrW-1:0]) >= ActDepth))
          else $error("PE %0d: host address %0d beyond target %0d", pe_idx_i, host_addr_i,
                      host_target_i);
      end
      assert (!(host_re_i && host_we_i)) else $error("PE %0d: host read and write at once", pe_idx_i);
      if (count_i) begin
        a_active_settled: assert (active_q == (pe_idx_i < num_active_i))
          else $error("PE %0d: a run started before the active PE count settled", pe_idx_i);
      end
      // The accumulator bypasses: what S2 adds to is the row's value after every earlier entry,
      // which by now is in the RAM (the entry just ahead wrote it last cycle).
      // An entry is its row's first when no entry of the layer wrote the row before it.
      if (u_arith.s2_valid_q) begin
        a_first_touch: assert (u_arith.s2_first_q == !touched_s2)
          else $error("PE %0d: row %0d: the entry's first-of-the-layer flag is %0d, the row's touched bit %0d",
                      pe_idx_i, u_arith.s2_row_q, u_arith.s2_first_q, touched_s2);
      end
      if (u_arith.s2_valid_q && !u_arith.s2_first_q) begin
        a_acc_bypass: assert (u_arith.s2_old == acc_mem_s2)
          else $error("PE %0d: row %0d accumulates onto %0d, the accumulator holds %0d", pe_idx_i,
                      u_arith.s2_row_q, u_arith.s2_old, acc_mem_s2);
      end
    end
  end
`endif

endmodule
