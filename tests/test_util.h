// Shared helpers for the golden-model tests: temporary folders and seeded random data.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <utility>
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

// Runs the `eie` command line with `args` (a shell fragment) and returns its exit code and its
// stdout and stderr together; with memory_kb > 0 under `ulimit -v memory_kb`, so that a
// regression to gigabytes fails instead of swapping.
struct CliResult {
  int exit_code;
  std::string output;
};
CliResult run_cli(const std::string& args, long memory_kb = 0);

// Feeds `head`, then zeros forever when `endless` (like /dev/zero), into a new FIFO at `path`
// until its reader goes away. The open does not block: if the reader never comes the feeder
// gives up after 10 s instead of hanging the test. Ignores SIGPIPE (the feeder sees EPIPE).
class FifoFeeder {
 public:
  FifoFeeder(const std::string& path, std::vector<uint8_t> head, bool endless);
  ~FifoFeeder();
  FifoFeeder(const FifoFeeder&) = delete;
  FifoFeeder& operator=(const FifoFeeder&) = delete;

 private:
  std::thread thread_;
};

// Runs f, requires it to throw eie::Error, and returns the message.
template <typename F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw an exception that is not eie::Error: " << e.what();
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

// Runs f and expects an eie::Error whose message contains `fragment`.
template <typename F>
void expect_error(F&& f, const std::string& fragment) {
  const std::string message = error_message(std::forward<F>(f));
  EXPECT_NE(message.find(fragment), std::string::npos) << message;
}

// A random rows x cols index matrix: each position non-zero with probability density, indices
// uniform in 1..15.
CodeMatrix random_code_matrix(uint32_t rows, uint32_t cols, double density, std::mt19937_64& rng);

}  // namespace eie::test
