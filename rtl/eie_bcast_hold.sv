// Broadcast hold slots: a small ring, shared by every PE, that keeps a broadcast for the PEs that
// cannot take it when it goes out (their FIFO is full, or older held broadcasts still wait for
// them), so one PE that falls behind stalls the LNZD only once every slot is in use. Each PE still
// receives its columns in broadcast order, which the saturating accumulation needs
// (docs/arithmetic.md); the others go on. A slot is an activation, a pointer index and a bit per
// PE; with each PE's selection of its oldest slot, four slots at 64 PEs take about the area of
// one more FIFO entry in every PE and gain more than four would (docs/hardware.md section 5,
// docs/benchmarks.md "Broadcast hold slots").
//
// Timing: every PE's ready and every slot's state are flops. A broadcast the CCU accepts in cycle
// t goes, a cycle later, into the ready PEs' pointer stage with the broadcast register, and for
// the others into slot `tail`, whose data comes from the broadcast register at t+1. A PE with a
// held broadcast takes its oldest one when ready, a cycle ahead of its pointer stage like an
// accept; it then takes nothing live, so the two never meet in its pointer stage.
`default_nettype none

module eie_bcast_hold #(
  parameter int unsigned NumPe     = 64,
  parameter int unsigned HoldSlots = 4,
  localparam int unsigned ActW   = eie_pkg::ActWidth,
  localparam int unsigned DimW   = eie_pkg::DimWidth,
  localparam int unsigned SlotW  = eie_pkg::clog2_min1(HoldSlots),
  localparam int unsigned CountW = eie_pkg::clog2_min1(HoldSlots + 1)
) (
  input  wire logic                  clk_i,
  input  wire logic                  rst_ni,
  input  wire logic [CountW-1:0]     limit_i,         // slots in use (control register 4)

  // The CCU's broadcast: accepted in a cycle (fire), in the broadcast register the next.
  input  wire logic                  bcast_fire_i,
  input  wire logic                  bcast_valid_i,
  input  wire logic [ActW-1:0]       bcast_act_i,
  input  wire logic [DimW-1:0]       bcast_ptr_i,
  output      logic                  bcast_ready_o,   // every PE takes it now, or a slot is free
  output      logic                  busy_o,          // a slot holds a broadcast for some PE

  // Each PE's column: pe_ready_i (registered) promises room for one accepted now; pe_fire_o
  // accepts one for PE k (live or held); it arrives a cycle later on pe_valid_o and the data.
  input  wire logic [NumPe-1:0]      pe_ready_i,
  output      logic [NumPe-1:0]      pe_fire_o,
  output      logic [NumPe-1:0]      pe_valid_o,
  output      logic [NumPe*ActW-1:0] pe_act_o,
  output      logic [NumPe*DimW-1:0] pe_ptr_o
);

  // The ring: slots head .. head + used - 1, oldest first. A slot frees once no PE waits for it,
  // which happens in order (a_older_waits_within_younger). Flat buses, not arrays: every slot is
  // read by every PE (Yosys 0.23 would map an unpacked array with 64 read ports to flops anyway).
  logic [HoldSlots*NumPe-1:0] wait_q, wait_d;  // per slot: the PEs it still holds a broadcast for
  logic [HoldSlots*ActW-1:0]  act_q;
  logic [HoldSlots*DimW-1:0]  ptr_q;
  logic [SlotW-1:0]           head_q, tail_q, alloc_slot_q;
  logic [CountW-1:0]          used_q, used_d;
  logic                       free_q, alloc, alloc_q, retire, all_accept;
  logic [NumPe-1:0]           pending_q, pending_d;  // PE k has a held broadcast
  logic [NumPe-1:0]           accept, take, take_q, live_q;
  logic [NumPe*SlotW-1:0]     sel, sel_q;            // per PE: its oldest held broadcast

  function automatic logic [SlotW-1:0] slot_after(logic [SlotW-1:0] s, int unsigned i);
    slot_after = SlotW'((32'(s) + i) % HoldSlots);
  endfunction

  // A PE takes the live broadcast when ready with nothing held; else it is held for it.
  assign accept        = pe_ready_i & ~pending_q;
  assign all_accept    = &accept;
  assign bcast_ready_o = all_accept || free_q;
  assign alloc         = bcast_fire_i && !all_accept;
  assign take          = pe_ready_i & pending_q;
  assign pe_fire_o     = take | ({NumPe{bcast_fire_i}} & accept);
  assign busy_o        = used_q != '0;
  assign retire        = used_q != '0 && wait_q[head_q*NumPe +: NumPe] == '0;

  always_comb begin
    sel = '0;
    for (int unsigned k = 0; k < NumPe; k++) begin
      sel[k*SlotW +: SlotW] = head_q;
      for (int unsigned i = HoldSlots; i > 0; i--) begin  // the oldest wins: scan youngest first
        if (wait_q[slot_after(head_q, i - 1)*NumPe + k]) begin
          sel[k*SlotW +: SlotW] = slot_after(head_q, i - 1);
        end
      end
    end
  end

  always_comb begin
    wait_d    = wait_q;
    pending_d = '0;
    for (int unsigned s = 0; s < HoldSlots; s++) begin
      for (int unsigned k = 0; k < NumPe; k++) begin
        if (take[k] && 32'(sel[k*SlotW +: SlotW]) == s) wait_d[s*NumPe + k] = 1'b0;
      end
      if (alloc && 32'(tail_q) == s) wait_d[s*NumPe +: NumPe] = ~accept;
      pending_d = pending_d | wait_d[s*NumPe +: NumPe];
    end
    used_d = used_q + CountW'(alloc) - CountW'(retire);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wait_q    <= '0;
      pending_q <= '0;
      head_q    <= '0;
      tail_q    <= '0;
      used_q    <= '0;
      free_q    <= 1'b0;
      alloc_q   <= 1'b0;
      take_q    <= '0;
      live_q    <= '0;
    end else begin
      wait_q    <= wait_d;
      pending_q <= pending_d;
      if (retire) head_q <= slot_after(head_q, 1);
      if (alloc) tail_q <= slot_after(tail_q, 1);
      used_q  <= used_d;
      free_q  <= used_d < limit_i;
      alloc_q <= alloc;
      take_q  <= take;
      live_q  <= {NumPe{bcast_fire_i}} & accept;
    end
  end

  // Data: a held broadcast's, from the broadcast register a cycle after its accept.
  always_ff @(posedge clk_i) begin
    if (alloc) alloc_slot_q <= tail_q;
    if (alloc_q) begin
      act_q[alloc_slot_q*ActW +: ActW] <= bcast_act_i;
      ptr_q[alloc_slot_q*DimW +: DimW] <= bcast_ptr_i;
    end
    for (int unsigned k = 0; k < NumPe; k++) begin
      if (take[k]) sel_q[k*SlotW +: SlotW] <= sel[k*SlotW +: SlotW];
    end
  end

  for (genvar k = 0; k < NumPe; k++) begin : g_pe
    logic [SlotW-1:0] s;
    assign s                        = sel_q[k*SlotW +: SlotW];
    assign pe_valid_o[k]            = live_q[k] || take_q[k];
    assign pe_act_o[k*ActW +: ActW] = take_q[k] ? act_q[s*ActW +: ActW] : bcast_act_i;
    assign pe_ptr_o[k*DimW +: DimW] = take_q[k] ? ptr_q[s*DimW +: DimW] : bcast_ptr_i;
  end

`ifdef EIE_BACKDOOR
  /* verilator coverage_off */
  // Activity counters of the simulation builds, as in eie_pe (not hardware).
  typedef enum int unsigned {
    HoldEvHold,  // broadcasts held in a slot for some PE
    HoldEvTake,  // cycles some PE takes a held broadcast
    HoldEvBusy,  // cycles some slot is in use
    HoldEvents
  } hold_event_e;
  localparam int unsigned NumHoldEvents = 32'(HoldEvents);
  logic [NumHoldEvents-1:0] ev;
  always_comb begin
    ev             = '0;
    ev[HoldEvHold] = alloc;
    ev[HoldEvTake] = |take;
    ev[HoldEvBusy] = busy_o;
  end

  eie_activity #(.NumEvents(NumHoldEvents)) u_activity (.clk_i, .event_i(ev));
  /* verilator coverage_on */
`endif

`ifndef SYNTHESIS
  // A PE a slot waits for is held for every younger broadcast too, and takes the older first:
  // an older slot's PEs are among the next one's, so slots free in broadcast order.
  logic [HoldSlots-1:0] older_within_younger;
  always_comb begin
    older_within_younger = '1;
    for (int unsigned i = 0; i + 1 < HoldSlots; i++) begin
      older_within_younger[i] = i + 1 >= 32'(used_q) ||
          (wait_q[slot_after(head_q, i)*NumPe +: NumPe] &
           ~wait_q[slot_after(head_q, i + 1)*NumPe +: NumPe]) == '0;
    end
  end

  // Functional coverage (Verilator --coverage builds; docs/verification.md).
  cov_hold_broadcast: cover property (@(posedge clk_i) disable iff (!rst_ni) alloc);
  cov_hold_slots_full: cover property (@(posedge clk_i) disable iff (!rst_ni)
    used_q == limit_i && limit_i != '0 && !all_accept);
  cov_hold_take_beside_live: cover property (@(posedge clk_i) disable iff (!rst_ni)
    |take && bcast_fire_i && |accept);

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      a_used_in_range: assert (32'(used_q) <= HoldSlots)
        else $error("hold: %0d slots in use of %0d", used_q, HoldSlots);
      a_alloc_free: assert (!alloc || free_q)
        else $error("hold: a broadcast held with every slot in use");
      a_live_is_registered: assert (!(|live_q) || bcast_valid_i)
        else $error("hold: a PE takes a live broadcast the broadcast register does not hold");
      a_one_source: assert ((live_q & take_q) == '0)
        else $error("hold: a PE takes a live and a held broadcast at once");
      a_held_pending: assert ((take & ({NumPe{bcast_fire_i}} & accept)) == '0)
        else $error("hold: a PE accepts a live broadcast while one is held for it");
      a_older_waits_within_younger: assert (&older_within_younger)
        else $error("hold: a slot waits for a PE that the slot after it does not");
    end
  end
`endif

endmodule
