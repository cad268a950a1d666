// A convolutional or recurrent network on the array (docs/arithmetic.md, "Convolution", "LSTM";
// docs/verification.md, "Convolutional and recurrent networks"). The network splits into
// segments the array runs: a convolution's kernel matrix, once per output position on the patch
// the host extracts (im2col); an LSTM's gate matrix, once per step on [x_t; h_t-1], the host
// applying the element-wise update (lstm_step) and feeding h_t back; and a run of fully connected
// layers, chained on chip as ever. Max pooling runs on the host between them.
// Each segment has its own Bench (a model instance holding its memory image from the start, as
// one chip holding every segment's weights would), and each of its runs is an inference with every
// check of run_inference: each output on its cycle, activity, PE counters.
#pragma once

#include <cstdio>
#include <random>

#include "sim_options.h"
#include "stimulus/stimulus.h"

namespace eie::tb {

// Whether the network needs this path: it has a layer other than fully connected.
bool needs_segments(const Network& net);

// Runs every input of the stimulus through the segments, then prints the per-segment cycles and
// the verdict (and writes the JSON report). Throws SimError on a failed check.
void run_segmented(const SimOptions& opt, const Stimulus& stimulus, std::FILE* info,
                   std::mt19937_64& rng);

}  // namespace eie::tb
