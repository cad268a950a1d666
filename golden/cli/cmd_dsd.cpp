// eie dsd: Dense-Sparse-Dense training against a dense baseline over several seeds.
#include <fmt/format.h>

#include "cli.h"
#include "eie/dsd.h"
#include "eie/file_io.h"

namespace eie::cli {

int run_dsd(const std::vector<std::string>& args) {
  DsdOptions d;
  po::options_description opts("options");
  opts.add_options()("data-dir", po::value<std::string>()->default_value("data/mnist"),
                     "MNIST IDX folder")(
      "sizes", po::value<std::string>()->default_value("784,300,100,10"), "layer widths")(
      "seeds", po::value<std::string>()->default_value("1,2,3"), "seeds, comma separated")(
      "dense-epochs", po::value<int>()->default_value(d.dense_epochs), "first dense phase")(
      "sparse-epochs", po::value<int>()->default_value(d.sparse_epochs), "masked phase")(
      "redense-epochs", po::value<int>()->default_value(d.redense_epochs),
      "re-dense phase (at lr / 10)")("sparsity", po::value<double>()->default_value(d.sparsity),
                                     "pruned fraction per layer")(
      "iterations", po::value<int>()->default_value(d.iterations), "sparse + re-dense rounds")(
      "lr", po::value<float>()->default_value(d.train.lr), "learning rate")(
      "json", po::value<std::string>(), "write the results as JSON");
  po::variables_map vm;
  if (!parse_args(args, "eie dsd [--data-dir DIR] [--seeds 1,2,3] [options]", opts, {}, vm)) {
    return kExitOk;
  }
  DsdOptions o;
  o.sizes.clear();
  for (unsigned s : parse_size_list(vm["sizes"].as<std::string>(), "--sizes")) {
    o.sizes.push_back(static_cast<int>(s));
  }
  o.seeds.clear();
  for (unsigned s : parse_size_list(vm["seeds"].as<std::string>(), "--seeds")) o.seeds.push_back(s);
  o.dense_epochs = vm["dense-epochs"].as<int>();
  o.sparse_epochs = vm["sparse-epochs"].as<int>();
  o.redense_epochs = vm["redense-epochs"].as<int>();
  o.sparsity = vm["sparsity"].as<double>();
  o.iterations = vm["iterations"].as<int>();
  o.train.lr = vm["lr"].as<float>();
  if (o.dense_epochs < 0 || o.sparse_epochs < 0 || o.redense_epochs < 0) {
    throw UsageError("epoch counts must be >= 0");
  }
  const Mnist data = load_mnist(vm["data-dir"].as<std::string>());
  const DsdResult r = run_dsd(data, o, [](const std::string& s) {
    fmt::print("{}\n", s);
    std::fflush(stdout);
  });
  fmt::print("{}", describe_dsd(r, o));
  if (vm.count("json")) {
    const std::string text = dsd_json(r, o);
    write_file_atomic(vm["json"].as<std::string>(), std::vector<uint8_t>(text.begin(), text.end()));
  }
  return kExitOk;
}

}  // namespace eie::cli
