// libFuzzer target: the model file reader (see fuzz_checks.h for what is checked).
#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  eie::fuzz::check_model_file(data, size);
  return 0;
}
