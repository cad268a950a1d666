// One EIE processing element. PE k of N active PEs owns rows i with i mod N == k of every layer:
// sparse-matrix slice, pointers, biases, accumulators and source/destination activations.
//
// Compute pipeline (one entry per cycle, no bubble at word or column boundaries):
//   broadcast -> B: pointer read (even/odd banks give p_j and p_j+1 together); a column with
//                   no entries in this PE is dropped here and costs it nothing
//   -> FIFO of (a_j, start, end) -> E: entry address walk, sparse-matrix word read
//        -> R: entry select, local row = previous + 1 + z, codebook lookup
//        -> M: multiply, accumulator read
//        -> S: shift and round, saturating add (bypass on back-to-back rows), accumulator write
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
  localparam int unsigned ActAddrW  = (ActDepth > 1) ? $clog2(ActDepth) : 1,
  localparam int unsigned SpAddrW   = (SpmatDepth > 1) ? $clog2(SpmatDepth) : 1,
  localparam int unsigned BankAddrW = (PtrDepth > 3) ? $clog2(PtrDepth / 2) : 1,
  localparam int unsigned BiasAddrW = (BiasDepth > 1) ? $clog2(BiasDepth) : 1,
  localparam int unsigned FifoCntW  = $clog2(FifoDepth + 1)
) (
  input  wire logic                  clk_i,
  input  wire logic                  rst_ni,
  // A port rather than a parameter so every PE is the same module (one Verilator model).
  input  wire logic [DimW-1:0]       pe_idx_i,
  input  wire logic [DimW-1:0]       num_active_i,  // PEs in use at run time (1..NumPe)
  input  wire logic [FifoCntW-1:0]   fifo_limit_i,

  // Layer configuration, stable from CcuInit to the end of CcuWriteback.
  input  wire logic [DimW-1:0]       ptr_base_i,
  input  wire logic [BiasAddrW-1:0]  bias_base_i,
  input  wire logic                  has_bias_i,
  input  wire logic [3:0]            w_frac_i,
  input  wire logic                  relu_i,
  input  wire logic [16*ActW-1:0]    codebook_i,
  input  wire logic                  src_sel_i,    // activation bank read as the source

  // Bias initialisation and write-back sweep local row row_i while pe_idx < remaining_i.
  input  wire logic                  init_i,
  input  wire logic                  wb_i,
  input  wire logic [ActAddrW-1:0]   row_i,
  input  wire logic [DimW-1:0]       remaining_i,
  output      logic                  wb_valid_o,   // monitor hook: dst[row_i of last cycle]
  output      logic [ActW-1:0]       wb_data_o,

  // Source activation read for the LNZD (data one cycle later, held until the next read).
  input  wire logic                  src_re_i,
  input  wire logic [ActAddrW-1:0]   src_addr_i,
  output      logic [ActW-1:0]       src_data_o,

  // Broadcast of a non-zero activation and its column.
  input  wire logic                  bcast_valid_i,
  input  wire logic [ActW-1:0]       bcast_act_i,
  input  wire logic [DimW-1:0]       bcast_col_i,
  output      logic                  fifo_ready_o,
  output      logic                  idle_o,
  input  wire logic                  count_i,      // compute phase: update the counters

  // Host access (I/O mode only): this PE's memories and counters.
  input  wire logic                  host_we_i,
  input  wire logic                  host_re_i,
  input  wire logic [3:0]            host_target_i,
  input  wire logic [DimW-1:0]       host_addr_i,
  input  wire logic [63:0]           host_wdata_i,
  output      logic [63:0]           host_rdata_o,

  // Debug/monitor (waveforms, counters).
  output      logic [FifoCntW-1:0]   fifo_level_o,
  output      logic [5:0]            pipe_valid_o  // {B, E, R, M, S, FIFO non-empty}
);

  // ---------------------------------------------------------------------------------------------
  // Host decode
  // ---------------------------------------------------------------------------------------------
  logic host_spmat, host_ptr, host_bias, host_act, host_acc;
  assign host_spmat = host_target_i == eie_pkg::TgtSpmat;
  assign host_ptr   = host_target_i == eie_pkg::TgtPtr;
  assign host_bias  = host_target_i == eie_pkg::TgtBias;
  assign host_act   = host_target_i == eie_pkg::TgtAct;
  assign host_acc   = host_target_i == eie_pkg::TgtAcc;

  // ---------------------------------------------------------------------------------------------
  // B: pointer read at broadcast. Pointer index m = ptr_base + j; p_m and p_m+1 sit in different
  // banks: the even bank row (m + 1) / 2 and the odd bank row m / 2 hold them for either parity.
  // Reading them as the broadcast arrives lets a column with no entries in this PE be dropped
  // before the FIFO: it costs this PE no cycle (look-ahead in the pointers).
  // ---------------------------------------------------------------------------------------------
  logic            active, b_valid_q, b_odd_q, b_push;
  logic [ActW-1:0] b_act_q;
  logic [PtrW-1:0] ptr_even_rdata, ptr_odd_rdata, b_start, b_end;
  logic [DimW-1:0] p_index, p_index_inc;
  logic            bcast;

  // A PE beyond the run-time PE count owns no rows: it ignores broadcasts and never holds up the
  // broadcast or the drain, whatever its memories hold.
  assign active      = pe_idx_i < num_active_i;
  assign bcast       = bcast_valid_i && active;
  assign p_index     = ptr_base_i + bcast_col_i;
  assign p_index_inc = p_index + 1'b1;
  assign b_start     = b_odd_q ? ptr_odd_rdata : ptr_even_rdata;
  assign b_end       = b_odd_q ? ptr_even_rdata : ptr_odd_rdata;
  assign b_push      = b_valid_q && b_start != b_end;

  logic                 ptr_even_we, ptr_odd_we, ptr_re;
  logic [BankAddrW-1:0] ptr_even_raddr, ptr_odd_raddr, ptr_waddr;

  assign ptr_waddr      = BankAddrW'(host_addr_i >> 1);
  assign ptr_even_we    = host_we_i && host_ptr && !host_addr_i[0];
  assign ptr_odd_we     = host_we_i && host_ptr && host_addr_i[0];
  assign ptr_re         = bcast || (host_re_i && host_ptr);
  assign ptr_even_raddr = host_re_i ? ptr_waddr : BankAddrW'(p_index_inc >> 1);
  assign ptr_odd_raddr  = host_re_i ? ptr_waddr : BankAddrW'(p_index >> 1);

  eie_ram #(.Width(PtrW), .Depth(PtrDepth / 2)) u_ptr_even (
    .clk_i,
    .we_i   (ptr_even_we),
    .waddr_i(ptr_waddr),
    .wdata_i(host_wdata_i[PtrW-1:0]),
    .re_i   (ptr_re),
    .raddr_i(ptr_even_raddr),
    .rdata_o(ptr_even_rdata)
  );

  eie_ram #(.Width(PtrW), .Depth(PtrDepth / 2)) u_ptr_odd (
    .clk_i,
    .we_i   (ptr_odd_we),
    .waddr_i(ptr_waddr),
    .wdata_i(host_wdata_i[PtrW-1:0]),
    .re_i   (ptr_re),
    .raddr_i(ptr_odd_raddr),
    .rdata_o(ptr_odd_rdata)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) b_valid_q <= 1'b0;
    else b_valid_q <= bcast;
  end

  always_ff @(posedge clk_i) begin
    if (bcast) begin
      b_act_q <= bcast_act_i;
      b_odd_q <= p_index[0];
    end
  end

  // ---------------------------------------------------------------------------------------------
  // Activation FIFO of non-empty columns: (a_j, start, end). A broadcast accepted now leaves B
  // next cycle, so this PE is ready while the FIFO's level after this cycle's push (from B) and
  // pop (to E) is below the limit; that depends on B's pointers and E, not on the broadcast.
  // ---------------------------------------------------------------------------------------------
  logic            fifo_valid, fifo_pop, fifo_push_ready, e_free;
  logic [ActW-1:0] fifo_act;
  logic [PtrW-1:0] fifo_start, fifo_end;
  logic [FifoCntW:0] fifo_next;  // level after this cycle's push and pop

  assign fifo_next    = {1'b0, fifo_level_o} + (FifoCntW+1)'(b_push) - (FifoCntW+1)'(fifo_pop);
  assign fifo_ready_o = !active || fifo_next < {1'b0, fifo_limit_i};
  assign fifo_pop     = fifo_valid && e_free;

  eie_fifo #(.Width(ActW + 2 * PtrW), .Depth(FifoDepth)) u_fifo (
    .clk_i,
    .rst_ni,
    .limit_i     (fifo_limit_i),
    .push_valid_i(b_push),
    .push_ready_o(fifo_push_ready),
    .push_data_i ({b_act_q, b_start, b_end}),
    .pop_valid_o (fifo_valid),
    .pop_ready_i (fifo_pop),
    .pop_data_o  ({fifo_act, fifo_start, fifo_end}),
    .level_o     (fifo_level_o)
  );

  // ---------------------------------------------------------------------------------------------
  // E: walk the column's entry addresses, one per cycle; read the word holding each entry.
  // ---------------------------------------------------------------------------------------------
  logic            e_valid_q, e_first_q, e_last;
  logic [PtrW-1:0] e_addr_q, e_end_q;
  logic [ActW-1:0] e_act_q;

  assign e_last = e_valid_q && (e_addr_q + 1'b1 == e_end_q);
  assign e_free = !e_valid_q || e_last;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      e_valid_q <= 1'b0;
    end else begin
      e_valid_q <= (e_valid_q && !e_last) || fifo_pop;
    end
  end

  always_ff @(posedge clk_i) begin
    if (e_valid_q && !e_last) begin
      e_addr_q  <= e_addr_q + 1'b1;
      e_first_q <= 1'b0;
    end else if (fifo_pop) begin
      e_addr_q  <= fifo_start;
      e_end_q   <= fifo_end;
      e_act_q   <= fifo_act;
      e_first_q <= 1'b1;
    end
  end

  logic [63:0]        spmat_rdata;
  logic [SpAddrW-1:0] spmat_raddr;
  assign spmat_raddr = host_re_i ? SpAddrW'(host_addr_i) : SpAddrW'(e_addr_q >> 3);

  eie_ram #(.Width(64), .Depth(SpmatDepth)) u_spmat (
    .clk_i,
    .we_i   (host_we_i && host_spmat),
    .waddr_i(SpAddrW'(host_addr_i)),
    .wdata_i(host_wdata_i),
    .re_i   (e_valid_q || (host_re_i && host_spmat)),
    .raddr_i(spmat_raddr),
    .rdata_o(spmat_rdata)
  );

  // ---------------------------------------------------------------------------------------------
  // R: select the entry, advance the local row, look up the shared weight.
  // ---------------------------------------------------------------------------------------------
  localparam int unsigned RowW = ActAddrW + 5;  // room for row + 16 before the range check

  logic            r_valid_q, r_first_q, r_last_q;
  logic [2:0]      r_sel_q;
  logic [ActW-1:0] r_act_q;
  logic [7:0]      r_entry;
  logic [3:0]      r_v, r_z;
  logic [RowW-1:0] r_row, prev_row_q;
  logic [ActW-1:0] r_weight;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) r_valid_q <= 1'b0;
    else r_valid_q <= e_valid_q;
  end

  always_ff @(posedge clk_i) begin
    if (e_valid_q) begin
      r_sel_q   <= e_addr_q[2:0];
      r_first_q <= e_first_q;
      r_last_q  <= e_last;
      r_act_q   <= e_act_q;
    end
  end

  assign r_entry  = spmat_rdata[{r_sel_q, 3'b000} +: 8];
  assign r_v      = r_entry[3:0];
  assign r_z      = r_entry[7:4];
  assign r_row    = r_first_q ? RowW'(r_z) : prev_row_q + RowW'(r_z) + 1'b1;
  // Index 0 is exact zero by definition (docs/arithmetic.md), whatever codebook entry 0 holds.
  assign r_weight = (r_v == 4'd0) ? '0 : codebook_i[{r_v, 4'b0000} +: ActW];

  always_ff @(posedge clk_i) begin
    if (r_valid_q) prev_row_q <= r_row;
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
    else m_valid_q <= r_valid_q;
  end

  always_ff @(posedge clk_i) begin
    if (r_valid_q) begin
      m_act_q    <= r_act_q;
      m_weight_q <= r_weight;
      m_row_q    <= ActAddrW'(r_row);
    end
  end

  assign m_product = 32'($signed(m_act_q) * $signed(m_weight_q));

  // ---------------------------------------------------------------------------------------------
  // S: s = (p + 2^(w_frac-1)) >>> w_frac; acc = sat(acc + s). The row written last cycle is
  // forwarded because the memory read for this entry happened while that write was in flight.
  // ---------------------------------------------------------------------------------------------
  logic                       s_valid_q, byp_valid_q;
  logic signed [31:0]         s_product_q, s_scaled;
  logic [ActAddrW-1:0]        s_row_q, byp_row_q;
  logic signed [AccWidth-1:0] acc_rdata, s_old, s_new, byp_acc_q;
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
  logic signed [31:0] s_half;
  assign s_half   = $signed((32'd1 << w_frac_i) >> 1);  // 2^(w_frac-1), 0 when w_frac = 0
  assign s_scaled = (s_product_q + s_half) >>> w_frac_i;
  assign s_old    = (byp_valid_q && byp_row_q == s_row_q) ? byp_acc_q : acc_rdata;
  assign s_sum    = (AccWidth+1)'(s_old) + (AccWidth+1)'(s_scaled);

  localparam logic signed [AccWidth-1:0] AccMax = {1'b0, {(AccWidth-1){1'b1}}};
  localparam logic signed [AccWidth-1:0] AccMin = {1'b1, {(AccWidth-1){1'b0}}};

  always_comb begin
    if (s_sum[AccWidth] != s_sum[AccWidth-1]) s_new = s_sum[AccWidth] ? AccMin : AccMax;
    else s_new = s_sum[AccWidth-1:0];
  end

  // ---------------------------------------------------------------------------------------------
  // Accumulators: bias initialisation, compute updates, write-back reads, host reads.
  // ---------------------------------------------------------------------------------------------
  logic                init_q, wb_q, row_in_range;
  logic [ActAddrW-1:0] sweep_row_q;
  logic [31:0]         bias_rdata;
  logic [BiasAddrW-1:0] bias_raddr;
  assign bias_raddr = host_re_i ? BiasAddrW'(host_addr_i) : bias_base_i + BiasAddrW'(row_i);

  assign row_in_range = pe_idx_i < remaining_i && active;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      init_q <= 1'b0;
      wb_q   <= 1'b0;
    end else begin
      init_q <= init_i && row_in_range;
      wb_q   <= wb_i && row_in_range;
    end
  end

  always_ff @(posedge clk_i) begin
    if (init_i || wb_i) sweep_row_q <= row_i;
  end

  eie_ram #(.Width(32), .Depth(BiasDepth)) u_bias (
    .clk_i,
    .we_i   (host_we_i && host_bias),
    .waddr_i(BiasAddrW'(host_addr_i)),
    .wdata_i(host_wdata_i[31:0]),
    .re_i   (init_i || (host_re_i && host_bias)),
    .raddr_i(bias_raddr),
    .rdata_o(bias_rdata)
  );

  logic                acc_we, acc_re;
  logic [ActAddrW-1:0] acc_waddr, acc_raddr;
  logic [AccWidth-1:0] acc_wdata;

  always_comb begin
    acc_we    = 1'b0;
    acc_waddr = s_row_q;
    acc_wdata = s_new;
    if (s_valid_q) begin
      acc_we = 1'b1;
    end else if (init_q) begin
      acc_we    = 1'b1;
      acc_waddr = sweep_row_q;
      acc_wdata = has_bias_i ? AccWidth'($signed(bias_rdata)) : '0;
    end
  end

  assign acc_re    = m_valid_q || wb_i || (host_re_i && host_acc);
  assign acc_raddr = host_re_i ? ActAddrW'(host_addr_i) : (wb_i ? row_i : m_row_q);

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
  // Write-back: dst <- ReLU(saturate_int16(acc)); also the per-layer monitor stream.
  // ---------------------------------------------------------------------------------------------
  localparam logic signed [AccWidth-1:0] Act16Max = AccWidth'(32767);
  localparam logic signed [AccWidth-1:0] Act16Min = -AccWidth'(32768);

  logic [ActW-1:0] wb_sat;
  always_comb begin
    if (acc_rdata > Act16Max) wb_sat = 16'h7fff;
    else if (acc_rdata < Act16Min) wb_sat = 16'h8000;
    else wb_sat = acc_rdata[ActW-1:0];
    if (relu_i && wb_sat[ActW-1]) wb_sat = '0;
  end

  assign wb_valid_o = wb_q;
  assign wb_data_o  = wb_sat;

  // ---------------------------------------------------------------------------------------------
  // Activation banks: the source is read by the LNZD, the destination written by write-back.
  // ---------------------------------------------------------------------------------------------
  logic [2*ActW-1:0]   act_rdata;  // bank b at [b*ActW +: ActW]
  logic                host_bank;
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

  assign src_data_o = act_rdata[src_sel_i*ActW +: ActW];

  // ---------------------------------------------------------------------------------------------
  // Counters and host read-back.
  // ---------------------------------------------------------------------------------------------
  logic [31:0] busy_q, idle_q, full_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q <= '0;
      idle_q <= '0;
      full_q <= '0;
    end else if (host_we_i && host_target_i == eie_pkg::TgtStats) begin
      busy_q <= '0;  // any write to the counters clears them
      idle_q <= '0;
      full_q <= '0;
    end else if (count_i && active) begin
      if (e_valid_q) busy_q <= busy_q + 1'b1;
      else idle_q <= idle_q + 1'b1;
      if (!fifo_ready_o) full_q <= full_q + 1'b1;
    end
  end

  logic [3:0] rd_target_q;
  logic       rd_bank_q;  // pointer bank (address bit 0) or activation bank of the read
  always_ff @(posedge clk_i) begin
    if (host_re_i) begin
      rd_target_q <= host_target_i;
      rd_bank_q   <= host_act ? host_bank : host_addr_i[0];
    end
  end

  logic [31:0] stat_q;
  always_ff @(posedge clk_i) begin
    if (host_re_i) begin
      unique case (host_addr_i[1:0])
        eie_pkg::StatBusy:     stat_q <= busy_q;
        eie_pkg::StatIdle:     stat_q <= idle_q;
        eie_pkg::StatFifoFull: stat_q <= full_q;
        default:               stat_q <= '0;
      endcase
    end
  end

  logic [PtrW-1:0] ptr_rdata;
  assign ptr_rdata = rd_bank_q ? ptr_odd_rdata : ptr_even_rdata;

  always_comb begin
    unique case (rd_target_q)
      eie_pkg::TgtSpmat: host_rdata_o = spmat_rdata;
      eie_pkg::TgtPtr:   host_rdata_o = 64'(ptr_rdata);
      eie_pkg::TgtBias:  host_rdata_o = 64'($signed(bias_rdata));
      eie_pkg::TgtAct:   host_rdata_o = 64'($signed(act_rdata[rd_bank_q*ActW +: ActW]));
      eie_pkg::TgtAcc:   host_rdata_o = 64'(acc_rdata);
      eie_pkg::TgtStats: host_rdata_o = 64'(stat_q);
      default:           host_rdata_o = '0;
    endcase
  end

  assign idle_o = !active || (!b_valid_q && !fifo_valid && !e_valid_q && !r_valid_q &&
                              !m_valid_q && !s_valid_q);
  assign pipe_valid_o = {b_valid_q, e_valid_q, r_valid_q, m_valid_q, s_valid_q, fifo_valid};

`ifndef SYNTHESIS
  // The specification (and the golden model) accumulate in int32; a narrower accumulator would
  // wrap where the specification saturates.
  initial assert (AccWidth >= 32) else $fatal(1, "eie_pe: AccWidth %0d < 32", AccWidth);

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

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (r_valid_q) begin
        assert (r_v != 0 || r_z == 4'd15)
          else $error("PE %0d: padding entry with z = %0d (must be 15)", pe_idx_i, r_z);
        assert (r_v != 0 || !r_last_q)
          else $error("PE %0d: padding entry ends a column", pe_idx_i);
        assert (32'(r_row) < ActDepth)
          else $error("PE %0d: local row %0d outside %0d accumulators", pe_idx_i, r_row, ActDepth);
      end
      if (e_valid_q) begin
        assert ((32'(e_addr_q) >> 3) < SpmatDepth)
          else $error("PE %0d: entry address %0d beyond the sparse matrix", pe_idx_i, e_addr_q);
      end
      if (b_valid_q) begin
        assert (b_start <= b_end)
          else $error("PE %0d: pointers decrease (%0d > %0d)", pe_idx_i, b_start, b_end);
        assert (!b_push || fifo_push_ready)
          else $error("PE %0d: a non-empty column found the FIFO full", pe_idx_i);
      end
      if (bcast) begin
        assert (32'(p_index) + 1 < PtrDepth)
          else $error("PE %0d: pointer index %0d beyond %0d pointers", pe_idx_i, p_index, PtrDepth);
      end
      assert (!(bcast_valid_i && !fifo_ready_o))
        else $error("PE %0d: broadcast while not ready", pe_idx_i);
      if (init_i && row_in_range && has_bias_i) begin
        assert (32'(bias_base_i) + 32'(row_i) < BiasDepth)
          else $error("PE %0d: bias address %0d + %0d beyond %0d", pe_idx_i, bias_base_i, row_i,
                      BiasDepth);
      end
      if (host_we_i || host_re_i) begin
        assert (32'(host_addr_i) < host_limit &&
                !(host_target_i == eie_pkg::TgtAct && 32'(host_act_addr) >= ActDepth))
          else $error("PE %0d: host address %0d beyond target %0d", pe_idx_i, host_addr_i,
                      host_target_i);
      end
      assert (!(host_re_i && host_we_i)) else $error("PE %0d: host read and write at once", pe_idx_i);
    end
  end
`endif

endmodule
