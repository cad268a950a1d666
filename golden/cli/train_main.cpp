// eie-train: the commands of eie that need libtorch (deep-compress, dsd, and compress of a
// TorchScript model), the only binary that links it. eie runs it for them; it can also be run
// directly, with the same options and messages.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "cli.h"
#include "eie/torchscript.h"

namespace eie::cli {
namespace {

constexpr Command kTrainCommands[] = {
    {"compress", "prune, quantize and Huffman-code a TorchScript model (or .npy layers)",
     [](const std::vector<std::string>& args) {
       return run_compress(args,
                           [](const std::string& path, const std::optional<TensorShape>& input) {
                             return read_torchscript(path, input);
                           });
     }},
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
