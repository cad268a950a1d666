// The testbench's failure: a check that found the RTL wrong, a timeout, an RTL assertion. Its own
// header, without the Verilated model, so that the checking units (scoreboard, activity) need not
// include the model to report one.
#pragma once

#include <stdexcept>

namespace eie::tb {

// A failed check: the message names cycle and what went wrong.
struct SimError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace eie::tb
