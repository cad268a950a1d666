// Constants shared by the EIE RTL, the testbench, the golden model and docs/hardware.md: the one
// source of the hardware interface. Always referenced as eie_pkg::Name (Yosys 0.23 cannot read
// `import eie_pkg::*`). The build generates the C++ header eie/eie_pkg.h from this file
// (cmake/gen_eie_pkg.cmake), so every parameter here is a decimal or sized literal, and every
// enum a plain list of names.
`default_nettype none

package eie_pkg;

  // Number formats (docs/arithmetic.md). Entries are 8 bits {z[3:0], v[3:0]}, eight to a 64-bit
  // sparse-matrix word; codebooks have 16 entries.
  // Activations and codebook entries: a constant of the formats, not a knob. The RTL derives every
  // activation width and saturation bound from it, but docs/arithmetic.md, the golden model and
  // the model file define 16-bit values.
  parameter int unsigned ActWidth     = 16;
  parameter int unsigned CodebookSize = 16;  // entries a layer's codebook holds (4-bit indices)

  // Storage format (docs/format.md).
  parameter int unsigned PtrWidth = 20;  // pointer = entry address in the PE's sparse matrix
  parameter int unsigned DimWidth = 24;  // rows, cols, activation indices

  // Layer descriptor (TgtLayer, two 64-bit words a layer; docs/hardware.md "Layer table"): the
  // least significant bit of each field. Word 0: rows, cols (DimWidth bits each), w_frac (4 bits),
  // relu, has_bias; word 1: pointer base, bias base (DimWidth bits each).
  parameter int unsigned DescRowsLsb     = 0;
  parameter int unsigned DescColsLsb     = 24;
  parameter int unsigned DescWFracLsb    = 48;
  parameter int unsigned DescWFracWidth  = 4;
  parameter int unsigned DescReluBit     = 52;
  parameter int unsigned DescHasBiasBit  = 53;
  parameter int unsigned DescWord0Bits   = 54;  // word 0's used bits
  parameter int unsigned DescPtrBaseLsb  = 0;
  parameter int unsigned DescBiasBaseLsb = 24;

  // Host request targets (docs/hardware.md, "Host port").
  parameter logic [3:0] TgtSpmat    = 4'd0;  // per PE: sparse-matrix word
  parameter logic [3:0] TgtPtr      = 4'd1;  // per PE: pointer index m (bank m % 2, row m / 2)
  parameter logic [3:0] TgtBias     = 4'd2;  // per PE: int32 bias (upper half: odd layers)
  parameter logic [3:0] TgtAct      = 4'd3;  // per PE: {bank, local index} activation
  parameter logic [3:0] TgtAcc      = 4'd4;  // per PE: last layer's row value (read only)
  parameter logic [3:0] TgtStats    = 4'd5;  // per PE: counters (read only)
  parameter logic [3:0] TgtCodebook = 4'd6;  // layer * 16 + index
  parameter logic [3:0] TgtLayer    = 4'd7;  // layer * 2 + word: layer descriptor
  parameter logic [3:0] TgtCtrl     = 4'd8;  // control registers (CtrlRun ..)

  // Control registers (TgtCtrl addresses).
  parameter logic [23:0] CtrlRun       = 24'd0;  // write: start L layers; read: the build
  parameter logic [23:0] CtrlCycles    = 24'd1;  // read: the last run's cycles
  parameter logic [23:0] CtrlActivePe  = 24'd2;  // PEs in use (0 or > NumPe: all)
  parameter logic [23:0] CtrlFifoLimit = 24'd3;  // FIFO entries in use (0 or > FifoDepth: all)
  parameter logic [23:0] CtrlHoldLimit = 24'd4;  // broadcast hold slots in use (> HoldSlots: all)

  // Per-PE counters (TgtStats addresses).
  parameter logic [1:0] StatBusy     = 2'd0;  // cycles an entry was issued
  parameter logic [1:0] StatIdle     = 2'd1;  // compute cycles with no entry to issue
  parameter logic [1:0] StatFifoFull = 2'd2;  // compute cycles this PE's FIFO was full

  // Activation FIFO slots beyond the run-time limit: the registered ready (eie_pe) is decided a
  // cycle before the CCU accepts, and the broadcast register adds a cycle before the push, so one
  // more broadcast is in flight than a combinational ready would see; a slot of skid covers it.
  parameter int unsigned FifoSkid = 1;

  // Per-PE pipeline valid bits (eie_top pipe_valid_o, PipeStages per PE; docs/hardware.md).
  parameter int unsigned PipeStages = 8;
  parameter int unsigned PipeFifo = 0;  // FIFO non-empty
  parameter int unsigned PipeS2   = 1;
  parameter int unsigned PipeS1   = 2;
  parameter int unsigned PipeM2   = 3;
  parameter int unsigned PipeM1   = 4;
  parameter int unsigned PipeR    = 5;
  parameter int unsigned PipeE    = 6;
  parameter int unsigned PipeB    = 7;

  // $clog2 of at least 1: the index width of a memory or vector of n entries, so that a one-entry
  // memory still has an address port. RTL only (the C++ view skips functions).
  function automatic int unsigned clog2_min1(input int unsigned n);
    clog2_min1 = (n > 1) ? $clog2(n) : 1;
  endfunction

  // Central control unit states. A layer's write-back runs beside the next layer's compute (or
  // the result stream), and the next descriptor loads during the drain, so no state sweeps rows.
  typedef enum logic [2:0] {
    CcuIdle,     // I/O mode: the host owns every memory
    CcuLoad,     // read the first layer's descriptor
    CcuCompute,  // LNZD broadcast of non-zero source activations
    CcuDrain,    // wait for every PE to finish its queue; load the next descriptor
    CcuOutput    // stream the final vector to the host
  } ccu_state_e;

endpackage
