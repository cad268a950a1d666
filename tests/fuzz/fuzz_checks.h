// Properties the fuzz targets check on arbitrary bytes: each reader either returns a value that
// satisfies its invariants or throws eie::Error; any other exception, a crash, a hang, a leak or a
// sanitizer report is a failure. Shared by the libFuzzer targets (tests/fuzz/fuzz_*.cpp) and the
// corpus replay in the unit tests, so every kept input stays a regression test.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eie::fuzz {

// Model file: parse; a parsed model re-serialises to bytes that parse to the same bytes again, and
// small ones run through the golden model and the memory-image builder.
void check_model_file(const uint8_t* data, size_t size);
// .npy: parse (floats and int16); the values match the shape.
void check_npy(const uint8_t* data, size_t size);
// IDX: parse as images and as labels; the sizes match the header.
void check_idx(const uint8_t* data, size_t size);

}  // namespace eie::fuzz
