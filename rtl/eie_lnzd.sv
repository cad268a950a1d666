// Leading-non-zero detection: finds the lowest-numbered valid input and forwards its index and
// data, as a tree of 4-input nodes like EIE's LNZD units (64 inputs: 16 + 4 + 1 = 21 nodes).
// Inputs are padded to a power of four with invalid leaves. Purely combinational.
`default_nettype none

module eie_lnzd #(
  parameter int unsigned NumIn = 64,
  parameter int unsigned Width = 16,
  localparam int unsigned IdxW = eie_pkg::clog2_min1(NumIn)
) (
  input  wire logic [NumIn-1:0]       valid_i,
  input  wire logic [NumIn*Width-1:0] data_i,
  output      logic                   valid_o,
  output      logic                   multi_o,  // two or more inputs valid
  output      logic [IdxW-1:0]        idx_o,
  output      logic [Width-1:0]       data_o
);

  // Leaves: the smallest power of four >= NumIn. Heap layout: node n has children 4n+1 .. 4n+4;
  // nodes 0 .. Internal-1 are internal, the leaves follow.
  localparam int unsigned Levels   = (NumIn <= 1) ? 1 : ($clog2(NumIn) + 1) / 2;
  localparam int unsigned Leaves   = 1 << (2 * Levels);
  localparam int unsigned Internal = (Leaves - 1) / 3;
  localparam int unsigned Nodes    = Internal + Leaves;
  localparam int unsigned TreeIdxW = 2 * Levels;

  logic [Nodes-1:0]          node_valid, node_multi;
  logic [Nodes*TreeIdxW-1:0] node_idx;
  logic [Nodes*Width-1:0]    node_data;

  // One process, leaves first and then the internal nodes bottom-up (children have higher heap
  // numbers than their parent), so every node reads values already computed above it.
  always_comb begin
    node_valid = '0;
    node_multi = '0;
    node_idx   = '0;
    node_data  = '0;
    for (int unsigned l = 0; l < Leaves; l++) begin
      node_idx[(Internal+l)*TreeIdxW +: TreeIdxW] = TreeIdxW'(l);
      if (l < NumIn) begin
        node_valid[Internal+l] = valid_i[l];
        node_data[(Internal+l)*Width +: Width] = data_i[l*Width +: Width];
      end
    end
    for (int n = Internal - 1; n >= 0; n--) begin
      // The first valid child wins: lower indices come first.
      for (int c = 3; c >= 0; c--) begin
        if (node_valid[4*n+1+c]) begin
          // A second valid child, or one child with two below it, makes two.
          node_multi[n] = node_multi[n] || node_valid[n] || node_multi[4*n+1+c];
          node_valid[n] = 1'b1;
          node_idx[n*TreeIdxW +: TreeIdxW] = node_idx[(4*n+1+c)*TreeIdxW +: TreeIdxW];
          node_data[n*Width +: Width] = node_data[(4*n+1+c)*Width +: Width];
        end
      end
    end
  end

  assign valid_o = node_valid[0];
  assign multi_o = node_multi[0];
  assign idx_o   = IdxW'(node_idx[TreeIdxW-1:0]);
  assign data_o  = node_data[Width-1:0];

`ifdef FORMAL
  // Properties for Yosys (`make formal`, scripts/formal.py): for every input, the lowest-numbered
  // valid input wins, with its data, and "two or more" is exact.
  logic [NumIn-1:0] f_below;  // the inputs below the winner
  assign f_below = (NumIn'(1) << idx_o) - NumIn'(1);
  always_comb begin
    assert (valid_o == (valid_i != '0));
    assert (multi_o == ((valid_i & (valid_i - NumIn'(1))) != '0));
    if (valid_o) begin
      assert (32'(idx_o) < NumIn);
      assert (valid_i[idx_o]);
      assert ((valid_i & f_below) == '0);
      assert (data_o == data_i[idx_o*Width +: Width]);
    end
  end
`endif

endmodule
