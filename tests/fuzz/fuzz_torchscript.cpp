// libFuzzer target: the TorchScript reader (eie/torchscript.h), libtorch's archive and pickle
// reading included. Refusing an input is eie::Error; anything else escaping, a crash, a hang or
// a sanitizer report in this project's code is a finding. Seeds: tests/fuzz/corpus/torchscript
// (written by tests/torchscript/make_fixtures.py).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "eie/error.h"
#include "eie/torchscript.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const std::vector<eie::FloatLayer> layers =
        eie::parse_torchscript(std::vector<uint8_t>(data, data + size), "fuzz input");
    for (const eie::FloatLayer& l : layers) {
      if (l.weights.size() != size_t{l.rows} * l.cols) __builtin_trap();
      if (!l.bias.empty() && l.bias.size() != l.rows) __builtin_trap();
    }
  } catch (const eie::Error&) {
  }
  return 0;
}
