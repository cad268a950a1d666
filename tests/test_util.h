// Shared helpers for the golden-model tests: temporary folders and seeded random data.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "eie/error.h"
#include "eie/sparse_format.h"

namespace eie::test {

// A fresh folder under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::vector<uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes);
bool file_exists(const std::string& path);
// Names of the entries of a folder (no "." or "..").
std::vector<std::string> list_dir(const std::string& path);

// A random rows x cols index matrix: each position non-zero with probability density, indices
// uniform in 1..15.
// Runs f and expects an eie::Error whose message contains `fragment`.
template <typename F>
void expect_error(F&& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "expected eie::Error mentioning '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

CodeMatrix random_code_matrix(uint32_t rows, uint32_t cols, double density, std::mt19937_64& rng);

}  // namespace eie::test
