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
