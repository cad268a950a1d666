// Dense-Sparse-Dense training [DSD]: train dense; prune each layer to a sparsity and retrain under
// the mask; drop the mask (pruned weights restart at zero) and retrain the whole network at a
// tenth of the learning rate; optionally iterate. Compared against a dense baseline trained with
// the same epochs and the same learning-rate schedule, over several seeds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eie/deep_compression.h"
#include "eie/mlp.h"

namespace eie {

struct DsdOptions {
  std::vector<int> sizes{784, 300, 100, 10};
  TrainOptions train{};  // lr and the rest for the dense and sparse phases
  int dense_epochs = 10;
  int sparse_epochs = 4;
  int redense_epochs = 4;  // at train.lr / 10
  double sparsity = 0.3;   // fraction of each layer's weights pruned in the sparse phase
  int iterations = 1;      // sparse + re-dense rounds
  std::vector<uint64_t> seeds{1, 2, 3};
};

struct DsdSeedResult {
  uint64_t seed = 0;
  double dense = 0;     // after the first dense phase
  double sparse = 0;    // after the last sparse phase
  double dsd = 0;       // after the last re-dense phase
  double baseline = 0;  // dense training for the same epochs and schedule
};

struct DsdResult {
  std::vector<DsdSeedResult> seeds;
  double seconds = 0;
};

DsdResult run_dsd(const Mnist& data, const DsdOptions& options, const Logger& log = {});
std::string describe_dsd(const DsdResult& result, const DsdOptions& options);
std::string dsd_json(const DsdResult& result, const DsdOptions& options);

}  // namespace eie
