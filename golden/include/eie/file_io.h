// Whole-file reads and atomic writes (temporary file in the same folder, then rename), so a
// failed run never leaves a half-written output behind.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eie {

// Throws eie::Error naming the path when it cannot be opened or read.
std::vector<uint8_t> read_file(const std::string& path);
// Writes to "<path>.tmp.<pid>" then renames over path; removes the temporary on failure.
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace eie
