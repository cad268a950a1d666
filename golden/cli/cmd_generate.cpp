// eie generate: a seeded random fully connected network and input batch as .npy files, the
// hand-over format of PyTorch users, for demos and tests of the compress -> infer flow.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cmath>
#include <random>

#include "cli.h"
#include "eie/error.h"
#include "eie/limits.h"
#include "eie/npy.h"

namespace eie::cli {

int run_generate(const std::vector<std::string>& args) {
  po::options_description opts("options");
  opts.add_options()("sizes,s", po::value<std::string>()->default_value("784,300,100,10"),
                     "layer widths, input first (784,300,100,10 is LeNet-300-100)")(
      "out-dir,o", po::value<std::string>()->required(), "existing folder for the .npy files")(
      "batch,b", po::value<int64_t>()->default_value(4), "input vectors in x.npy")(
      "seed", po::value<int64_t>()->default_value(1), "random seed");
  po::variables_map vm;
  if (!parse_args(args, "eie generate -o DIR [--sizes 784,300,100,10] [--batch N] [--seed S]", opts,
                  {}, vm)) {
    return kExitOk;
  }
  const std::vector<unsigned> sizes = parse_size_list(vm["sizes"].as<std::string>(), "--sizes");
  if (sizes.size() < 2) throw UsageError("--sizes needs at least an input and an output width");
  const auto batch = int_option_as<size_t>(vm, "batch", 1, INT32_MAX);
  // Every file written must be one the readers take back (limits.h): checked before any is.
  const auto check_fits = [](const std::string& name, uint64_t values, const std::string& why) {
    if (values * 4 + 128 > kMaxNpyFileBytes) {
      throw UsageError(
          fmt::format("{}: {} float32 values ({} MiB); a .npy file may hold at most {} MiB ({})",
                      name, values, values * 4 >> 20, kMaxNpyFileBytes >> 20, why));
    }
  };
  check_fits("x.npy", uint64_t{batch} * sizes[0], "lower --batch or the input width");
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    check_fits(fmt::format("w{}.npy", l + 1), uint64_t{sizes[l]} * sizes[l + 1], "lower --sizes");
  }
  const std::string dir = vm["out-dir"].as<std::string>();
  if (dir.empty()) throw UsageError("--out-dir: the path is empty");
  struct stat st {};
  require(::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode), "--out-dir {}: not a folder", dir);
  std::mt19937_64 rng(int_option_as<uint64_t>(vm, "seed", 0, INT64_MAX));

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
