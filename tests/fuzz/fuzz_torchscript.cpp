// libFuzzer target: the TorchScript reader (eie/torchscript.h), libtorch's archive and pickle
// reading included. Refusing an input is eie::Error; anything else escaping, a crash, a hang or
// a sanitizer report in this project's code is a finding. Seeds: tests/fuzz/corpus/torchscript
// (written by tests/torchscript/make_fixtures.py).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eie/error.h"
#include "eie/torchscript.h"

namespace {

// The layers' own consistency: what the reader promises of anything it accepts.
void check(const std::vector<eie::FloatLayer>& layers) {
  for (const eie::FloatLayer& l : layers) {
    if (l.weights.size() != size_t{l.rows} * l.cols) __builtin_trap();
    if (!l.bias.empty() && l.bias.size() != l.rows) __builtin_trap();
    try {
      l.validate();
    } catch (const eie::Error&) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  try {
    check(eie::parse_torchscript(bytes, "fuzz input"));
  } catch (const eie::Error& e) {
    // A convolutional model needs its input's shape: read it again with the seeds' 1 x 12 x 12.
    if (std::string(e.what()).find("needs the input's shape") == std::string::npos) return 0;
    try {
      check(eie::parse_torchscript(bytes, "fuzz input", eie::TensorShape{1, 12, 12}));
    } catch (const eie::Error&) {
    }
  }
  return 0;
}
