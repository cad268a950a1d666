// eie pack: how a model lays out over N PEs: entries, padding, memory words and pointers per
// layer, and the static load balance of the interleaved rows.
#include <fmt/format.h>

#include <algorithm>

#include "cli.h"
#include "eie/model_file.h"
#include "eie/sparse_format.h"

namespace eie::cli {

int run_pack(const std::vector<std::string>& args) {
  po::options_description opts("options");
  opts.add_options()("model", po::value<std::string>()->required(), "model file")(
      "pe,n", po::value<unsigned>()->default_value(64), "number of PEs");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_args(args, "eie pack MODEL.eie [--pe N]", opts, pos, vm)) return kExitOk;
  const unsigned num_pe = vm["pe"].as<unsigned>();
  if (num_pe == 0) throw UsageError("--pe must be at least 1");
  const ModelFile model = read_model(vm["model"].as<std::string>());

  fmt::print("{} PEs; entries are 8 bits (v = [3:0], z = [7:4]), 8 per 64-bit word\n", num_pe);
  fmt::print("{:<12} {:>11} {:>10} {:>9} {:>11} {:>10} {:>11} {:>11} {:>8}\n", "layer", "shape",
             "non-zeros", "padding", "entries", "max/PE", "words/PE", "local rows", "balance");
  for (size_t l = 0; l < model.net.layers.size(); ++l) {
    const PackedLayer p = pack(model.net.layers[l].weights, num_pe);
    size_t padding = 0, max_words = 0;
    for (const PeSlice& s : p.pe) {
      padding += s.padding();
      max_words = std::max(max_words, (s.entries.size() + kEntriesPerWord - 1) / kEntriesPerWord);
    }
    const double ideal = static_cast<double>(p.total_entries()) / num_pe;
    const double balance = p.max_entries() ? ideal / static_cast<double>(p.max_entries()) : 1.0;
    fmt::print("{:<12} {:>11} {:>10} {:>9} {:>11} {:>10} {:>11} {:>11} {:>8.3f}\n",
               layer_label(model.net, l), fmt::format("{}x{}", p.rows, p.cols),
               model.net.layers[l].weights.nnz(), padding, p.total_entries(), p.max_entries(),
               max_words, p.local_rows(0), balance);
  }
  fmt::print("balance = mean entries per PE / busiest PE's entries (1.000 = perfect)\n");
  return kExitOk;
}

}  // namespace eie::cli
