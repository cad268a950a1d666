// Argument parsing of the `eie` commands: Boost.Program_options with --help, and the option
// readers only `eie` needs (training sizes, the k-means initialisation).
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "eie/error.h"
#include "eie/limits.h"

namespace eie::cli {

bool parse_args(const std::vector<std::string>& args, const std::string& usage,
                const po::options_description& options,
                const po::positional_options_description& positional, po::variables_map& vm) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: " << usage << "\n\n" << all << std::flush;
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + "\nusage: " + usage);
  }
  return true;
}

std::vector<int> training_sizes(const std::string& list) {
  std::vector<int> sizes;
  uint64_t weights = 0;
  for (unsigned s : parse_size_list(list, "--sizes")) {
    if (!sizes.empty()) weights += uint64_t{s} * static_cast<unsigned>(sizes.back());
    sizes.push_back(static_cast<int>(s));
  }
  if (sizes.size() < 2) throw UsageError("--sizes needs at least an input and an output width");
  if (weights > kMaxTrainWeights) {
    throw UsageError(fmt::format(
        "--sizes {}: {} weights; training holds at most {} (docs/reliability.md, \"Resource "
        "limits\")",
        list, weights, kMaxTrainWeights));
  }
  return sizes;
}

KmeansInit kmeans_init_option(const std::string& name) {
  try {
    return parse_kmeans_init(name);
  } catch (const eie::Error& e) {
    throw UsageError(std::string("--init: ") + e.what());
  }
}

}  // namespace eie::cli
