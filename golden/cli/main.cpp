// eie: the command-line front end of the golden model (git-style subcommands).
#include <fmt/format.h>

#include <cstring>
#include <iostream>

#include "cli.h"
#include "eie/error.h"
#include "eie/limits.h"

namespace eie::cli {

namespace {

constexpr Command kCommands[] = {
    {"compress", "prune, quantize and Huffman-code .npy layers into a model file", run_compress},
    {"deep-compress", "train, prune, share, fine-tune and Huffman-code a network on MNIST data",
     run_deep_compress},
    {"dsd", "Dense-Sparse-Dense training vs a dense baseline over several seeds", run_dsd},
    {"report", "print a model file's compression report (text or JSON)", run_report},
    {"infer", "run bit-exact fixed-point inference of a model on .npy inputs", run_infer},
    {"pack", "show a model's per-PE packing and load balance for N PEs", run_pack},
    {"generate", "write a seeded random network and input as .npy files", run_generate},
};

void print_usage(std::FILE* out) {
  fmt::print(out,
             "usage: eie <command> [options]\n"
             "       eie help <command>   (or eie <command> --help)\n\n"
             "EIE golden model and Deep Compression tools.\n\ncommands:\n");
  for (const Command& c : kCommands) fmt::print(out, "  {:<14} {}\n", c.name, c.summary);
}

const Command* find_command(const std::string& name) {
  for (const Command& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

}  // namespace

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

int main(int argc, char** argv) {
  using namespace eie::cli;
  if (argc < 2) {
    print_usage(stderr);
    return kExitUsage;
  }
  std::string name = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (name == "--help" || name == "-h") {
    print_usage(stdout);
    return kExitOk;
  }
  if (name == "--version") {
    fmt::print("eie {}\n", EIE_VERSION);
    return kExitOk;
  }
  if (name == "help") {
    if (args.empty()) {
      print_usage(stdout);
      return kExitOk;
    }
    name = args[0];
    args = {"--help"};
  }
  const Command* command = find_command(name);
  if (command == nullptr) {
    fmt::print(stderr, "eie: '{}' is not a command. See 'eie --help'.\n", name);
    return kExitUsage;
  }
  return guarded_main("eie " + name, [&] { return command->run(args); });
}
