// eie: the command-line front end of the golden model (git-style subcommands). The training
// commands run in eie-train, beside this binary: only it links libtorch, whose start-up (about
// 0.4 s of its static initialisation) the other commands do not pay.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "eie/error.h"

namespace eie::cli {

namespace {

constexpr Command kCommands[] = {
    {"compress", "prune, quantize and Huffman-code .npy layers or a TorchScript model",
     [](const std::vector<std::string>& args) { return run_compress(args); }},
    {"deep-compress", "train, prune, share, fine-tune and Huffman-code a network on MNIST data",
     nullptr},
    {"dsd", "Dense-Sparse-Dense training vs a dense baseline over several seeds", nullptr},
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

// Replaces this process with eie-train (the binary beside this one) running the command; returns
// only when that fails.
int run_in_trainer(const std::string& name, const std::vector<std::string>& args) {
  std::error_code ec;
  std::filesystem::path path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) path = "eie";
  const std::string trainer = path.replace_filename("eie-train").string();
  std::vector<std::string> words = {trainer, name};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(words.size() + 1);
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  execv(trainer.c_str(), argv.data());
  fmt::print(stderr, "eie {}: cannot run {} ({}); the training commands live there\n", name,
             trainer, std::strerror(errno));
  return kExitError;
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
  // A TorchScript model needs libtorch: that compress runs in eie-train too.
  const bool torchscript =
      name == "compress" && std::any_of(args.begin(), args.end(), [](const std::string& a) {
        return a == "-t" || a.rfind("--torchscript", 0) == 0;
      });
  if (command->run == nullptr || torchscript) return run_in_trainer(name, args);
  return guarded_main("eie " + name, [&] { return command->run(args); });
}
