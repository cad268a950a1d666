// eie generate: a seeded random fully connected network and input batch as .npy files, the
// hand-over format of PyTorch users, for demos and tests of the compress -> infer flow.
#include <fmt/format.h>

#include <cmath>
#include <random>

#include "cli.h"
#include "eie/npy.h"

namespace eie::cli {

int run_generate(const std::vector<std::string>& args) {
  po::options_description opts("options");
  opts.add_options()("sizes,s", po::value<std::string>()->default_value("784,300,100,10"),
                     "layer widths, input first (784,300,100,10 is LeNet-300-100)")(
      "out-dir,o", po::value<std::string>()->required(), "existing folder for the .npy files")(
      "batch,b", po::value<unsigned>()->default_value(4), "input vectors in x.npy")(
      "seed", po::value<uint64_t>()->default_value(1), "random seed");
  po::variables_map vm;
  if (!parse_args(args, "eie generate -o DIR [--sizes 784,300,100,10] [--batch N] [--seed S]", opts,
                  {}, vm)) {
    return kExitOk;
  }
  const std::vector<unsigned> sizes = parse_size_list(vm["sizes"].as<std::string>(), "--sizes");
  if (sizes.size() < 2) throw UsageError("--sizes needs at least an input and an output width");
  const unsigned batch = vm["batch"].as<unsigned>();
  if (batch == 0) throw UsageError("--batch must be at least 1");
  const std::string dir = vm["out-dir"].as<std::string>();
  std::mt19937_64 rng(vm["seed"].as<uint64_t>());

  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    const size_t in = sizes[l], out = sizes[l + 1];
    // He initialisation keeps activations in range through ReLU layers.
    std::normal_distribution<float> weight(0.0f, std::sqrt(2.0f / static_cast<float>(in)));
    std::normal_distribution<float> bias(0.0f, 0.05f);
    std::vector<float> w(out * in), b(out);
    for (float& v : w) v = weight(rng);
    for (float& v : b) v = bias(rng);
    write_npy_f32(fmt::format("{}/w{}.npy", dir, l + 1), {out, in}, w);
    write_npy_f32(fmt::format("{}/b{}.npy", dir, l + 1), {out}, b);
  }
  // Inputs like ReLU outputs or pixels: about half zero, the rest uniform in [0, 1).
  std::uniform_real_distribution<float> value(0.0f, 1.0f);
  std::bernoulli_distribution nonzero(0.5);
  std::vector<float> x(size_t{batch} * sizes[0]);
  for (float& v : x) v = nonzero(rng) ? value(rng) : 0.0f;
  write_npy_f32(dir + "/x.npy", {batch, sizes[0]}, x);
  fmt::print("wrote {} layers (w1.npy, b1.npy, ...) and x.npy ({} x {}) to {}\n", sizes.size() - 1,
             batch, sizes[0], dir);
  return kExitOk;
}

}  // namespace eie::cli
