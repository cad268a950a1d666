// eie pack: how a model lays out over N PEs: entries, padding, memory words and pointers per
// layer (a convolution's kernel matrix), the static load balance of the interleaved rows, and
// the on-chip memory the model takes.
#include <fmt/format.h>

#include <algorithm>

#include "cli.h"
#include "eie/error.h"
#include "eie/limits.h"
#include "eie/memory_image.h"
#include "eie/model_file.h"
#include "eie/sparse_format.h"

namespace eie::cli {

int run_pack(const std::vector<std::string>& args) {
  po::options_description opts("options");
  opts.add_options()("model", po::value<std::string>()->required(), "model file")(
      "pe,n", po::value<int64_t>()->default_value(64), "number of PEs")(
      "spmat-depth", po::value<int64_t>(),
      "check the model fits hardware with this many 64-bit sparse-matrix words per PE")(
      "ptr-depth", po::value<int64_t>(), "... pointers per PE (both banks)")(
      "act-depth", po::value<int64_t>(), "... activations per bank per PE")(
      "bias-depth", po::value<int64_t>(), "... biases per PE")("max-layers", po::value<int64_t>(),
                                                               "... layers in the layer table");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_args(args, "eie pack MODEL.eie [--pe N] [--spmat-depth N --ptr-depth N ...]", opts,
                  pos, vm)) {
    return kExitOk;
  }
  const auto num_pe = int_option_as<uint32_t>(vm, "pe", 1, kMaxPe);
  const ModelFile model = read_model(vm["model"].as<std::string>());
  check_shape_budget(model.net, num_pe, vm["model"].as<std::string>());

  // Against a configured build (the eie_top parameters): a model that does not fit fails here
  // with the memory, what it needs and what the build has. Memories not given are unbounded.
  HwConfig hw;
  hw.num_pe = num_pe;
  hw.spmat_depth = hw.ptr_depth = hw.act_depth = hw.bias_depth = 1u << 24;
  hw.max_layers = kMaxLayers;
  bool check_fit = false;
  for (const auto& [name, field] :
       {std::pair{"spmat-depth", &hw.spmat_depth}, std::pair{"ptr-depth", &hw.ptr_depth},
        std::pair{"act-depth", &hw.act_depth}, std::pair{"bias-depth", &hw.bias_depth},
        std::pair{"max-layers", &hw.max_layers}}) {
    if (!vm.count(name)) continue;
    *field = int_option_as<uint32_t>(vm, name, 1, kMaxDimension);
    check_fit = true;
  }
  if (check_fit) {
    try {
      hw.validate();
    } catch (const Error& e) {
      throw UsageError(e.what());
    }
    // Each segment on its own (eie_sim loads a convolutional network's segments one per model
    // instance); a fully connected network is one segment.
    for (const ArraySegment& segment : array_segments(model.net)) {
      try {
        build_memory_image(segment.net, hw);
      } catch (const Error& e) {
        fail("{}: {}", layer_label(model.net, segment.first), e.what());
      }
    }
    fmt::print(
        "{}: fits {} PEs with {} sparse-matrix words, {} pointers, {} activations, {} "
        "biases per PE and {} layers\n",
        vm["model"].as<std::string>(), num_pe, hw.spmat_depth, hw.ptr_depth, hw.act_depth,
        hw.bias_depth, hw.max_layers);
  }

  fmt::print("{} PEs; entries are 8 bits (v = [3:0], z = [7:4]), 8 per 64-bit word\n", num_pe);
  fmt::print("{:<12} {:>11} {:>10} {:>9} {:>11} {:>10} {:>11} {:>11} {:>8}\n", "layer", "shape",
             "non-zeros", "padding", "entries", "max/PE", "words/PE", "local rows", "balance");
  for (size_t l = 0; l < model.net.layers.size(); ++l) {
    if (!model.net.layers[l].has_weights()) continue;
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
  fmt::print("balance = mean entries per PE / busiest PE's entries (1.000 = perfect)\n\n");

  // On-chip memory the model occupies: the memory image with every memory as deep as needed, of
  // each part the array runs (a convolutional network's segments, all resident at once).
  HwConfig c;
  c.num_pe = num_pe;
  c.spmat_depth = c.ptr_depth = c.act_depth = c.bias_depth = 1u << 24;
  c.max_layers = kMaxLayers;
  std::vector<size_t> pe_words(num_pe, 0);
  size_t max_acts = 0, biases = 0, ptrs = 0, table_layers = 0;
  for (const ArraySegment& segment : array_segments(model.net)) {
    const MemoryImage img = build_memory_image(segment.net, c);
    for (uint32_t k = 0; k < num_pe; ++k) pe_words[k] += img.pe[k].spmat.size();
    for (const Layer& l : segment.net.layers) {
      max_acts =
          std::max<size_t>(max_acts, (std::max(l.inputs(), l.outputs()) + num_pe - 1) / num_pe);
    }
    // Biases: the entries that hold one (each layer's local rows), not the image's address
    // range, which starts the second bank half-way up this configuration's 2^24 entries.
    for (const LayerDescriptor& d : img.layers) {
      if (d.has_bias) biases += (d.rows + num_pe - 1) / num_pe;
    }
    ptrs += img.pe[0].pointers.size();
    table_layers += img.layers.size();
  }
  size_t words = 0, max_words = 0;
  for (size_t w : pe_words) {
    words += w;
    max_words = std::max(max_words, w);
  }
  const uint64_t pe_bits = uint64_t{64} * max_words + uint64_t{kPointerBits} * ptrs +
                           32 * uint64_t{biases} + (2 * 16 + 32) * uint64_t{max_acts};
  const uint64_t ccu_bits = (16 * 16 + 128) * uint64_t{table_layers};
  fmt::print("on-chip memory at {} PEs (each PE sized for the busiest):\n", num_pe);
  fmt::print("  sparse matrix   {:>8} words of 64 bits in the busiest PE ({} in all PEs)\n",
             max_words, words);
  fmt::print("  pointers        {:>8} x {} bits per PE (even + odd banks)\n", ptrs, kPointerBits);
  fmt::print("  biases          {:>8} x 32 bits per PE\n", biases);
  fmt::print("  activations     {:>8} x (2 x 16 + 32 accumulator) bits per PE\n", max_acts);
  const uint64_t total = pe_bits / 8 * num_pe + ccu_bits / 8;
  fmt::print(
      "  per PE          {:>8} bytes; x {} PEs = {} bytes; + {} bytes of codebooks and "
      "layer table = {} bytes ({:.1f} KiB)\n",
      pe_bits / 8, num_pe, pe_bits / 8 * num_pe, ccu_bits / 8, total,
      static_cast<double>(total) / 1024.0);
  return kExitOk;
}

}  // namespace eie::cli
