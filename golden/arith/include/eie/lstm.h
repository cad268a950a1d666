// The fixed-point LSTM step of docs/arithmetic.md ("LSTM"): sigmoid and tanh from one
// interpolated table, and the cell and hidden update that follows the gate matrix's product.
// The array computes the gate pre-activations; this element-wise part runs on the host, and the
// golden model and the testbench both call it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace eie {

// S[n] = floor(32768 / (1 + exp(-n / 8)) + 1/2), n = 0..64: the sigmoid at every eighth on [0, 8]
// in Q15. Checked against the formula by LstmArithmetic.TableMatchesItsFormula.
constexpr int kSigmoidSteps = 64;  // table intervals; 8 per unit of the argument
constexpr int kSigmoidStepsPerUnit = 8;
extern const std::array<int32_t, kSigmoidSteps + 1> kSigmoidTable;

// The interpolated sigmoid of a / 2^frac in Q15, for any int32 `a` with |a| <= 2^24.
int32_t sigmoid_q15(int32_t a, int frac);
// sigm and tanh of an activation z (frac fractional bits), as activations.
int16_t sigmoid_act(int16_t z, int frac);
int16_t tanh_act(int16_t z, int frac);

// The state an LSTM layer carries from one step to the next: cell c and hidden h, H values each.
struct LstmState {
  std::vector<int16_t> c, h;
  explicit LstmState(size_t hidden = 0) : c(hidden, 0), h(hidden, 0) {}
};

// One step's element-wise update: `gates` are the 4H pre-activations z (gate order i, f, g, o),
// `state` the previous step's c and h, updated in place. Throws eie::Error when the sizes do not
// match.
void lstm_step(const std::vector<int16_t>& gates, LstmState& state, int frac);

}  // namespace eie
