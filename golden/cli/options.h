// Command-line conventions shared by `eie` and `eie_sim` (docs/reliability.md): exit codes, the
// usage error, options read with their range checked and named in the message, output paths
// checked before any work, and the top-level handler that turns every exception into a message
// and an exit code, so that no tool aborts.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace eie::cli {

namespace po = boost::program_options;

// Exit codes: 0 success, 1 bad input or failed processing, 2 bad command line.
constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

// A command-line mistake (unknown option, value out of range, contradictory paths): exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Integer options are declared as po::value<int64_t>: parsed as unsigned, "-1" would wrap to
// 2^32 - 1 without a word. Reads option `name` (without dashes) and checks it lies in lo..hi.
int64_t int_option(const po::variables_map& vm, const std::string& name, int64_t lo, int64_t hi);
template <typename T>
T int_option_as(const po::variables_map& vm, const std::string& name, int64_t lo, int64_t hi) {
  return static_cast<T>(int_option(vm, name, lo, hi));
}
// Which ends of a real option's range it may take.
enum class Bounds {
  kClosed,     // [lo, hi]
  kUpperOpen,  // [lo, hi): a probability of 1 that would stall a run forever, say
  kLowerOpen,  // (lo, hi]: a temperature that divides
};
// A real option: finite and within lo..hi as `bounds` says.
double real_option(const po::variables_map& vm, const std::string& name, double lo, double hi,
                   Bounds bounds = Bounds::kClosed);

// "a,b,c" -> {"a", "b", "c"}; empty items are errors naming `what` (the option).
std::vector<std::string> split_list(const std::string& list, const std::string& what,
                                    char separator = ',');
std::vector<double> parse_number_list(const std::string& list, const std::string& what);
// Positive integers up to `max`.
std::vector<unsigned> parse_size_list(const std::string& list, const std::string& what,
                                      unsigned max = 1u << 24);

// A path given on the command line and the option that gave it ("--output", "MODEL").
// regular_only: an output that is written in place by another library (an FST trace), so it
// cannot be a stream, pipe or device.
struct PathArg {
  std::string option;
  std::string path;
  bool regular_only = false;
};
// Checks, before any work, that each output can be written where asked and destroys no input.
// Usage errors: an empty path, one stream given twice, two outputs naming one file (symlinks and
// other spellings included, new files too), an output that is the same file as an input (device
// and inode; allowed with force), a regular_only output that is not a regular file. eie::Error:
// an output that is a folder, or whose folder does not exist or is not writable. Outputs written
// through (streams, pipes, devices) are not compared with inputs. Outputs whose option is empty
// were not given and are skipped.
void check_outputs(const std::vector<PathArg>& outputs, const std::vector<PathArg>& inputs,
                   bool force);

// Where a command's report goes: stdout, or stderr when one of its outputs is standard output.
std::FILE* info_stream(const std::vector<std::string>& outputs);

// What the tool is doing, for the message of a failure that has no context of its own (out of
// memory): "reading the model", "simulating"...
void set_stage(const std::string& what);
// Runs body and maps what escapes it to a message on stderr and an exit code: UsageError 2
// ("<tool>: message", then `usage_hint` if any), eie::Error 1 ("<tool>: error: message"),
// std::bad_alloc and every other exception 1 (naming the stage).
int guarded_main(const std::string& tool, const std::function<int()>& body,
                 const std::string& usage_hint = "");

}  // namespace eie::cli
