// Shared pieces of the `eie` command-line tool: the command table and option parsing helpers.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

namespace eie::cli {

namespace po = boost::program_options;

// Exit codes: 0 success, 1 bad input or failed processing, 2 bad command line.
constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

// Thrown for command-line mistakes (unknown option, missing argument): exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

int run_compress(const std::vector<std::string>& args);
int run_deep_compress(const std::vector<std::string>& args);
int run_dsd(const std::vector<std::string>& args);
int run_generate(const std::vector<std::string>& args);
int run_infer(const std::vector<std::string>& args);
int run_pack(const std::vector<std::string>& args);
int run_report(const std::vector<std::string>& args);

// Parses args against `options` (plus --help) with the given positional names. Returns false
// when --help was given (after printing `usage` and the options).
bool parse_args(const std::vector<std::string>& args, const std::string& usage,
                const po::options_description& options,
                const po::positional_options_description& positional, po::variables_map& vm);

// "a,b,c" -> {"a", "b", "c"}; empty items are errors.
std::vector<std::string> split_list(const std::string& list, const std::string& what);
std::vector<double> parse_number_list(const std::string& list, const std::string& what);
std::vector<unsigned> parse_size_list(const std::string& list, const std::string& what);

}  // namespace eie::cli
