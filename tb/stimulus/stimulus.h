// The network and the input vectors of a simulation run: a model file (with MNIST test digits,
// an .npy batch, or random inputs to fill the run) or a generated scenario
// (tb/stimulus/scenarios.h). The request is checked against the build before anything large is read
// or drawn: a scenario's shapes against its memories, every stored input vector against a 256 MiB
// stimulus budget. Problems with the options are cli::UsageError, with the files eie::Error.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "eie/memory_image.h"
#include "stimulus/scenarios.h"

namespace eie::tb {

struct StimulusRequest {
  std::string scenario;         // --scenario, when there is no --model
  std::vector<uint32_t> sizes;  // --sizes: layer widths, input first
  double weight_density = 0;    // --weight-density of a generated scenario
  double act_density = 0;       // --act-density of generated inputs
  uint32_t inferences = 1;      // input vectors to run
  uint32_t limit_digits = 1;    // --limit: MNIST test digits
  uint32_t first_digit = 0;     // --first: the first of them
};

struct Stimulus {
  Scenario scenario;
  std::vector<uint8_t> labels;  // with --mnist: the class of each input
};

// Reads --model with --mnist, --input or random inputs, or generates the scenario; the options it
// reads besides the request: model, mnist, input, layer, wide, relu-last, skewed.
Stimulus load_stimulus(const boost::program_options::variables_map& vm,
                       const StimulusRequest& request, const HwConfig& config,
                       std::mt19937_64& rng);

}  // namespace eie::tb
