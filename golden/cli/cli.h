// The `eie` command-line tool: its command table and argument parsing (options.h has what it
// shares with eie_sim).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eie/balance.h"
#include "eie/compress.h"
#include "eie/kmeans.h"
#include "options.h"

namespace eie::cli {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);  // none in eie: the command runs in eie-train
};

// A reader of TorchScript files' layers (eie/torchscript.h): eie-train passes it; eie runs
// `compress --torchscript` in eie-train, so its compress has none.
using TorchScriptReader = std::vector<FloatLayer> (*)(const std::string& path,
                                                      const std::optional<TensorShape>& input);
int run_compress(const std::vector<std::string>& args, TorchScriptReader torchscript = nullptr);
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

// --balance-pe N and --order-inputs, which compress and deep-compress share.
void add_balance_options(po::options_description& options);
struct BalanceChoice {
  unsigned num_pe = 0;  // 0: no row balancing
  NetworkBalance options;
};
// Their values; --order-inputs without --balance-pe is a usage error.
BalanceChoice balance_choice(const po::variables_map& vm);

// Bounds of the training options (anything beyond is a typo, not an experiment).
constexpr int64_t kMaxEpochs = 10000;
constexpr double kMaxLearningRate = 100.0;

// --sizes of a network to train: widths, input first, at least two, whose dense weights fit
// kMaxTrainWeights (limits.h).
std::vector<int> training_sizes(const std::string& list);

// --init: a k-means initialisation name (a usage error otherwise).
KmeansInit kmeans_init_option(const std::string& name);

}  // namespace eie::cli
