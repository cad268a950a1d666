// eie infer: bit-exact fixed-point inference of a model file on .npy inputs.
#include <fmt/format.h>

#include "cli.h"
#include "eie/error.h"
#include "eie/inference.h"
#include "eie/limits.h"
#include "eie/model_file.h"
#include "eie/npy.h"

namespace eie::cli {

int run_infer(const std::vector<std::string>& args) {
  po::options_description opts("options");
  opts.add_options()("model", po::value<std::string>()->required(), "model file")(
      "input,i", po::value<std::string>()->required(),
      "input .npy: (inputs,) or (batch, inputs), or for a convolutional model or an LSTM "
      "(batch, C, H, W) or (batch, H, W); float32/float64 values are converted to "
      "fixed point, int16 values are taken as fixed point already")(
      "output,o", po::value<std::string>()->required(), "output .npy, same batch layout")(
      "raw", "write int16 fixed-point outputs instead of float32")(
      "pe", po::value<int64_t>()->default_value(64), "PEs the work statistics are counted for")(
      "stats", "print per-layer work: non-zero inputs, entries, the busiest PE, balance")(
      "force", "write the output even where it is an input file");
  po::positional_options_description pos;
  pos.add("model", 1);
  po::variables_map vm;
  if (!parse_args(args, "eie infer MODEL.eie -i X.npy -o Y.npy [--raw] [--stats]", opts, pos, vm)) {
    return kExitOk;
  }
  const auto num_pe = int_option_as<uint32_t>(vm, "pe", 1, kMaxPe);
  const std::string model_path = vm["model"].as<std::string>();
  const std::string input_path = vm["input"].as<std::string>();
  const std::string out = vm["output"].as<std::string>();
  check_outputs({{"--output", out}}, {{"MODEL", model_path}, {"--input", input_path}},
                vm.count("force") > 0);
  std::FILE* info = info_stream({out});
  set_stage("reading the model");
  const ModelFile model = read_model(model_path);
  check_shape_budget(model.net, num_pe, model_path);
  set_stage("preparing the golden model");
  const GoldenModel golden(model.net, num_pe);
  const NpyArray x = read_npy(input_path, NpyKind::kFloatOrInt16);
  // A convolutional model's input may come as PyTorch holds it, (batch, C, H, W), and a
  // one-channel model's or an LSTM's as (batch, H, W) or (batch, steps, input): the values are
  // in the flat order the model reads (docs/format.md, section 3).
  const TensorShape in_shape = model.net.layers.front().input_shape();
  const bool shaped = in_shape.height * in_shape.width > 1 &&
                      (x.shape.size() == 4 || (x.shape.size() == 3 && in_shape.channels == 1));
  require(x.shape.size() == 1 || x.shape.size() == 2 || shaped,
          "{}: expected shape (inputs,), (batch, inputs){}, got {} dimensions", input_path,
          in_shape.height * in_shape.width > 1
              ? fmt::format(
                    " or (batch, {}, {}, {}){}", in_shape.channels, in_shape.height, in_shape.width,
                    in_shape.channels == 1
                        ? fmt::format(" or (batch, {}, {})", in_shape.height, in_shape.width)
                        : "")
              : "",
          x.shape.size());
  size_t width = x.shape.back();
  if (shaped) {
    const size_t c = x.shape.size() == 4 ? x.shape[1] : 1;
    const size_t h = x.shape[x.shape.size() - 2], w = x.shape.back();
    require(c == in_shape.channels && h == in_shape.height && w == in_shape.width,
            "{}: samples of {}x{}x{} but the model takes {}x{}x{}", input_path, c, h, w,
            in_shape.channels, in_shape.height, in_shape.width);
    width = c * h * w;
  }
  const size_t batch = x.shape.size() >= 2 ? x.shape[0] : 1;
  require(width == model.net.inputs(), "{}: {} values per input but the model takes {}", input_path,
          width, model.net.inputs());
  require(batch > 0, "{}: the input batch is empty", input_path);
  // The outputs are held, then written as one .npy file the readers must take back.
  const uint64_t out_bytes = uint64_t{batch} * model.net.outputs() * (vm.count("raw") ? 2 : 4);
  require(out_bytes + 128 <= kMaxNpyFileBytes,
          "{}: {} inputs x {} outputs make a {} MiB output; a .npy file may hold at most {} MiB",
          input_path, batch, model.net.outputs(), out_bytes >> 20, kMaxNpyFileBytes >> 20);
  set_stage("running inference");

  const uint32_t outputs = model.net.outputs();
  std::vector<int16_t> y_raw;
  std::vector<std::vector<LayerWork>> work(batch);
  for (size_t b = 0; b < batch; ++b) {
    const std::vector<double> row(x.values.begin() + static_cast<long>(b * width),
                                  x.values.begin() + static_cast<long>((b + 1) * width));
    std::vector<int16_t> in;
    if (x.dtype == "<i2") {
      for (double v : row) in.push_back(static_cast<int16_t>(v));
    } else {
      try {
        in = quantize_activations(row, model.net.act_frac);
      } catch (const Error& e) {
        fail("{}: input {} of the batch: {}", input_path, b, e.what());
      }
    }
    const auto outs = golden.run(network_order(model.net, in), &work[b]);   // the host's order
    const std::vector<int16_t> y = original_order(model.net, outs.back());  // undo row balancing
    y_raw.insert(y_raw.end(), y.begin(), y.end());
  }
  std::vector<size_t> shape =
      x.shape.size() >= 2 ? std::vector<size_t>{batch, outputs} : std::vector<size_t>{outputs};
  if (vm.count("raw")) {
    write_npy_i16(out, shape, y_raw);
  } else {
    std::vector<float> y;
    for (double v : dequantize_activations(y_raw, model.net.act_frac)) {
      y.push_back(static_cast<float>(v));
    }
    write_npy_f32(out, shape, y);
  }
  if (vm.count("stats")) {
    fmt::print(info, "{:<12} {:>10} {:>12} {:>12} {:>10} {:>8}\n", "layer", "nz inputs", "entries",
               "busiest PE", "ideal", "balance");
    for (size_t l = 0; l < model.net.layers.size(); ++l) {
      if (!model.net.layers[l].has_weights()) continue;  // pooling runs on the host
      uint64_t nz = 0, total = 0, busiest = 0;
      for (const auto& w : work) {
        nz += w[l].nonzero_inputs;
        total += w[l].total_entries();
        busiest += w[l].max_entries();
      }
      const double ideal = static_cast<double>(total) / num_pe;
      fmt::print(info, "{:<12} {:>10} {:>12} {:>12} {:>10.1f} {:>8.3f}\n",
                 layer_label(model.net, l), nz, total, busiest, ideal,
                 busiest ? ideal / static_cast<double>(busiest) : 1.0);
    }
    fmt::print(info, "(summed over {} input(s) at {} PEs; balance = ideal / busiest PE)\n", batch,
               num_pe);
  }
  fmt::print(info, "wrote {} ({} output(s) of {} values)\n", out, batch, outputs);
  return kExitOk;
}

}  // namespace eie::cli
