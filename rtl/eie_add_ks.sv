// Adder with carry in as a Kogge-Stone parallel prefix: log2(Width) levels of generate/propagate
// merging, so its delay grows with the log of the width. Written out because synthesis makes `+`
// a Brent-Kung prefix, about 2 log2(Width) levels (synth/eie_timing.abc): the PE's two
// carry-propagate adds (M2, S2) are on its longest paths (docs/timing.md). Purely combinational.
`default_nettype none

module eie_add_ks #(
  parameter int unsigned Width = 32,
  localparam int unsigned Levels = eie_pkg::clog2_min1(Width)
) (
  input  wire logic [Width-1:0] a_i,
  input  wire logic [Width-1:0] b_i,
  input  wire logic             ci_i,
  output      logic [Width-1:0] sum_o  // a + b + ci, modulo 2^Width
);

  // Level l: (g, p) of the span of 2^l bits ending at each position, the carry in folded into
  // bit 0's generate; g[Levels][i] is then the carry out of bit i.
  logic [Width-1:0] g [Levels+1];
  logic [Width-1:0] p [Levels+1];

  // Whole-word steps (the same gates as bit by bit): a bit merges with the one 2^l below it, and
  // the 2^l lowest bits, which have none, keep their (g, p).
  logic c0;  // the carry in's share of bit 0's generate
  assign c0 = (a_i[0] ^ b_i[0]) & ci_i;

  always_comb begin
    g[0] = (a_i & b_i) | Width'(c0);
    p[0] = a_i ^ b_i;
    for (int unsigned l = 0; l < Levels; l++) begin
      g[l+1] = g[l] | (p[l] & (g[l] << (1 << l)));
      p[l+1] = p[l] & ((p[l] << (1 << l)) | ~({Width{1'b1}} << (1 << l)));
    end
  end

  if (Width > 1) begin : g_wide
    assign sum_o = (a_i ^ b_i) ^ {g[Levels][Width-2:0], ci_i};
  end else begin : g_one
    assign sum_o = a_i ^ b_i ^ ci_i;
  end

endmodule
