// eie dsd: Dense-Sparse-Dense training against a dense baseline over several seeds.
#include <fmt/format.h>

#include "cli.h"
#include "eie/dsd.h"
#include "eie/file_io.h"
#include "eie/idx.h"

namespace eie::cli {

int run_dsd(const std::vector<std::string>& args) {
  DsdOptions d;
  po::options_description opts("options");
  opts.add_options()("data-dir", po::value<std::string>()->default_value("data/mnist"),
                     "MNIST IDX folder")(
      "sizes", po::value<std::string>()->default_value("784,300,100,10"), "layer widths")(
      "seeds", po::value<std::string>()->default_value("1,2,3"), "seeds, comma separated")(
      "dense-epochs", po::value<int64_t>()->default_value(d.dense_epochs), "first dense phase")(
      "sparse-epochs", po::value<int64_t>()->default_value(d.sparse_epochs), "masked phase")(
      "redense-epochs", po::value<int64_t>()->default_value(d.redense_epochs),
      "re-dense phase (at lr / 10)")("sparsity", po::value<double>()->default_value(d.sparsity),
                                     "pruned fraction per layer")(
      "iterations", po::value<int64_t>()->default_value(d.iterations), "sparse + re-dense rounds")(
      "lr", po::value<double>()->default_value(d.train.lr, fmt::format("{}", d.train.lr)),
      "learning rate")("json", po::value<std::string>(), "write the results as JSON")(
      "force", "write --json even where it is an input file");
  po::variables_map vm;
  if (!parse_args(args, "eie dsd [--data-dir DIR] [--seeds 1,2,3] [options]", opts, {}, vm)) {
    return kExitOk;
  }
  DsdOptions o;
  o.sizes = training_sizes(vm["sizes"].as<std::string>());
  o.seeds.clear();
  for (unsigned s : parse_size_list(vm["seeds"].as<std::string>(), "--seeds", INT32_MAX)) {
    o.seeds.push_back(s);
  }
  o.dense_epochs = int_option_as<int>(vm, "dense-epochs", 0, kMaxEpochs);
  o.sparse_epochs = int_option_as<int>(vm, "sparse-epochs", 0, kMaxEpochs);
  o.redense_epochs = int_option_as<int>(vm, "redense-epochs", 0, kMaxEpochs);
  o.sparsity = real_option(vm, "sparsity", 0, 1, Bounds::kUpperOpen);
  o.iterations = int_option_as<int>(vm, "iterations", 1, kMaxEpochs);
  o.train.lr = static_cast<float>(real_option(vm, "lr", 0, kMaxLearningRate));
  const std::string dir = vm["data-dir"].as<std::string>();
  const std::string json = vm.count("json") ? vm["json"].as<std::string>() : "";
  std::vector<PathArg> inputs;
  for (const std::string& f : mnist_files(dir)) inputs.push_back({"--data-dir", f});
  check_outputs({{vm.count("json") ? "--json" : "", json}}, inputs, vm.count("force") > 0);
  std::FILE* info = info_stream({json});

  const Mnist data = load_mnist(dir);
  const DsdResult r = run_dsd(data, o, [info](const std::string& s) {
    fmt::print(info, "{}\n", s);
    std::fflush(info);
  });
  fmt::print(info, "{}", describe_dsd(r, o));
  if (vm.count("json")) {
    const std::string text = dsd_json(r, o);
    write_output(json, std::vector<uint8_t>(text.begin(), text.end()));
  }
  return kExitOk;
}

}  // namespace eie::cli
