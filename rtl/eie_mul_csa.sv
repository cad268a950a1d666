// First half of the PE's two-stage multiplier: a signed 16 x 16 product as two 32-bit rows
// (carry-save form) whose sum modulo 2^32 is a * b; the M2 stage adds them. Radix-4 Booth
// recoding of b gives 8 partial products and one row of their negation bits, which four levels
// of 3:2 carry-save adders reduce to two rows, so no carry propagates in this half
// (docs/hardware.md, "M: multiply"). Purely combinational.
`default_nettype none

module eie_mul_csa #(
  localparam int unsigned W = eie_pkg::ActWidth,  // operand width (16)
  localparam int unsigned P = 2 * W               // product width (32)
) (
  input  wire logic [W-1:0] a_i,      // signed
  input  wire logic [W-1:0] b_i,      // signed, Booth-recoded
  output      logic [P-1:0] sum_o,
  output      logic [P-1:0] carry_o
);

  localparam int unsigned Digits = W / 2;  // radix-4 digits of b
  localparam int unsigned Rows   = Digits + 1;

  // 3:2 compressor on whole rows: x + y + z == sum + carry (mod 2^P); {carry, sum}.
  function automatic logic [2*P-1:0] csa(input logic [P-1:0] x, input logic [P-1:0] y,
                                         input logic [P-1:0] z);
    csa = {((x & y) | (x & z) | (y & z)) << 1, x ^ y ^ z};
  endfunction

  logic [P-1:0] a_ext, rows [Rows];
  logic [W:0]   b_ext;  // b with b[-1] = 0 below it

  assign a_ext = P'($signed(a_i));
  assign b_ext = {b_i, 1'b0};

  // Digit d = -2 b[2j+1] + b[2j] + b[2j-1] in {-2..2}: row j = (d * a) << 2j, negated as
  // ~(|d| * a) with the +1 in the last row at bit 2j.
  logic [Digits-1:0] neg;
  for (genvar j = 0; j < Digits; j++) begin : g_digit
    logic one, two;
    logic [P-1:0] mag;
    assign neg[j] = b_ext[2*j+2];
    assign one    = b_ext[2*j+1] ^ b_ext[2*j];
    assign two    = (b_ext[2*j+2] & ~b_ext[2*j+1] & ~b_ext[2*j]) |
                    (~b_ext[2*j+2] & b_ext[2*j+1] & b_ext[2*j]);
    assign mag    = one ? a_ext : (two ? a_ext << 1 : '0);
    assign rows[j] = (mag ^ {P{neg[j]}}) << (2 * j);
  end

  always_comb begin
    rows[Digits] = '0;
    for (int unsigned j = 0; j < Digits; j++) rows[Digits][2*j] = neg[j];
  end

  // 9 rows -> 6 -> 4 -> 3 -> 2.
  logic [P-1:0] s1 [6], s2 [4], s3 [3];

  always_comb begin
    {s1[1], s1[0]} = csa(rows[0], rows[1], rows[2]);
    {s1[3], s1[2]} = csa(rows[3], rows[4], rows[5]);
    {s1[5], s1[4]} = csa(rows[6], rows[7], rows[8]);
    {s2[1], s2[0]} = csa(s1[0], s1[1], s1[2]);
    {s2[3], s2[2]} = csa(s1[3], s1[4], s1[5]);
    {s3[1], s3[0]} = csa(s2[0], s2[1], s2[2]);
    s3[2] = s2[3];
    {carry_o, sum_o} = csa(s3[0], s3[1], s3[2]);
  end

`ifndef SYNTHESIS
  initial begin
    assert (W % 2 == 0 && Rows == 9) else $fatal(1, "eie_mul_csa: the tree is written for 16 bits");
  end
`endif

endmodule
