// Argument parsing of the `eie` commands: Boost.Program_options with --help, and the option
// readers only `eie` needs (training sizes, the k-means initialisation).
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "eie/error.h"
#include "eie/limits.h"

namespace eie::cli {

void add_balance_options(po::options_description& options) {
  options.add_options()("balance-pe", po::value<int64_t>()->default_value(0),
                        "permute each layer's rows (an LSTM's hidden units) to even out the work "
                        "of this many PEs (0: off)")(
      "order-inputs",
      "with --balance-pe, also order the first layer's inputs so that each PE's work spreads "
      "evenly along the broadcasts (a fully connected first layer; the host sends its inputs in "
      "that order, docs/benchmarks.md)");
}

BalanceChoice balance_choice(const po::variables_map& vm) {
  BalanceChoice c;
  c.num_pe = int_option_as<unsigned>(vm, "balance-pe", 0, kMaxPe);
  c.options.order_inputs = vm.count("order-inputs") > 0;
  if (c.options.order_inputs && c.num_pe == 0) {
    throw UsageError("--order-inputs needs --balance-pe");
  }
  return c;
}

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
