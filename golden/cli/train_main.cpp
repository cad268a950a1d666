// eie-train: the training commands of eie (deep-compress, dsd), the only binary that links
// libtorch. `eie deep-compress ...` runs it; it can also be run directly, with the same options
// and messages.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "cli.h"

namespace eie::cli {
namespace {

constexpr Command kTrainCommands[] = {
    {"deep-compress", "train, prune, share, fine-tune and Huffman-code a network on MNIST data",
     run_deep_compress},
    {"dsd", "Dense-Sparse-Dense training vs a dense baseline over several seeds", run_dsd},
};

}  // namespace
}  // namespace eie::cli

int main(int argc, char** argv) {
  using namespace eie::cli;
  const std::string name = argc >= 2 ? argv[1] : "";
  for (const Command& c : kTrainCommands) {
    if (name == c.name) {
      const std::vector<std::string> args(argv + 2, argv + argc);
      return guarded_main("eie " + name, [&] { return c.run(args); });
    }
  }
  fmt::print(stderr, "usage: eie-train <command> [options] (eie runs it for these commands):\n");
  for (const Command& c : kTrainCommands) fmt::print(stderr, "  {:<14} {}\n", c.name, c.summary);
  return kExitUsage;
}
