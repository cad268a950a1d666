// eie: the command-line front end of the golden model (git-style subcommands).
#include <fmt/format.h>

#include <cstring>
#include <iostream>

#include "cli.h"
#include "eie/error.h"

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

std::vector<std::string> split_list(const std::string& list, const std::string& what) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t comma = list.find(',', start);
    std::string item = list.substr(start, comma == std::string::npos ? comma : comma - start);
    if (item.empty()) throw UsageError(fmt::format("{}: empty item in list '{}'", what, list));
    items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::vector<double> parse_number_list(const std::string& list, const std::string& what) {
  std::vector<double> out;
  for (const std::string& item : split_list(list, what)) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size()) throw UsageError(fmt::format("{}: '{}' is not a number", what, item));
    out.push_back(v);
  }
  return out;
}

std::vector<unsigned> parse_size_list(const std::string& list, const std::string& what) {
  std::vector<unsigned> out;
  for (const std::string& item : split_list(list, what)) {
    size_t used = 0;
    unsigned long v = 0;
    try {
      v = item[0] == '-' ? 0 : std::stoul(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || v == 0 || v > (1u << 24)) {
      throw UsageError(fmt::format("{}: '{}' is not a size in 1..{}", what, item, 1u << 24));
    }
    out.push_back(static_cast<unsigned>(v));
  }
  return out;
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
  try {
    return command->run(args);
  } catch (const UsageError& e) {
    fmt::print(stderr, "eie {}: {}\n", name, e.what());
    return kExitUsage;
  } catch (const eie::Error& e) {
    fmt::print(stderr, "eie {}: error: {}\n", name, e.what());
    return kExitError;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "eie {}: error: out of memory\n", name);
    return kExitError;
  }
}
