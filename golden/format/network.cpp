#include "eie/network.h"

#include "eie/error.h"
#include "eie/limits.h"

namespace eie {

namespace {
constexpr size_t kMaxNameLength = 255;
}

const char* kind_name(LayerKind kind) {
  switch (kind) {
    case LayerKind::kFullyConnected:
      return "fully connected";
    case LayerKind::kConv2d:
      return "convolution";
    case LayerKind::kMaxPool2d:
      return "max pooling";
  }
  return "unknown";
}

TensorShape Layer::input_shape() const {
  return kind == LayerKind::kFullyConnected ? TensorShape{weights.cols, 1, 1} : in_shape;
}

TensorShape Layer::output_shape() const {
  switch (kind) {
    case LayerKind::kConv2d:
      return window_output(in_shape, window, weights.rows);
    case LayerKind::kMaxPool2d:
      return window_output(in_shape, window, in_shape.channels);
    default:
      return {weights.rows, 1, 1};
  }
}

uint64_t Layer::positions() const {
  const TensorShape out = output_shape();
  return uint64_t{out.height} * out.width;
}

void check_window(const Layer& layer, const std::string& label) {
  const TensorShape& in = layer.in_shape;
  const Window& w = layer.window;
  require(in.channels >= 1 && in.height >= 1 && in.width >= 1 && in.size() <= kMaxDimension,
          "{}: input {}x{}x{} must have 1..{} elements", label, in.channels, in.height, in.width,
          kMaxDimension);
  require(
      w.kernel_h >= 1 && w.kernel_w >= 1 && w.kernel_h <= kMaxWindow && w.kernel_w <= kMaxWindow,
      "{}: kernel {}x{} outside 1..{}", label, w.kernel_h, w.kernel_w, kMaxWindow);
  require(
      w.stride_h >= 1 && w.stride_w >= 1 && w.stride_h <= kMaxWindow && w.stride_w <= kMaxWindow,
      "{}: stride {}x{} outside 1..{}", label, w.stride_h, w.stride_w, kMaxWindow);
  require(w.pad_h <= kMaxWindow && w.pad_w <= kMaxWindow, "{}: padding {}x{} outside 0..{}", label,
          w.pad_h, w.pad_w, kMaxWindow);
  const TensorShape out = layer.output_shape();
  require(out.height >= 1 && out.width >= 1,
          "{}: a {}x{} kernel with padding {}x{} does not fit the {}x{} input", label, w.kernel_h,
          w.kernel_w, w.pad_h, w.pad_w, in.height, in.width);
  require(out.size() <= kMaxDimension, "{}: output {}x{}x{} has more than {} elements", label,
          out.channels, out.height, out.width, kMaxDimension);
  require(layer.kind != LayerKind::kMaxPool2d || (w.pad_h == 0 && w.pad_w == 0),
          "{}: max pooling takes no padding", label);
}

void Layer::validate() const {
  const std::string label = name.empty() ? std::string("layer") : "layer '" + name + "'";
  require(name.size() <= kMaxNameLength, "{}: name longer than {} bytes", label, kMaxNameLength);
  for (char c : name) {
    require(c >= 0x20 && c < 0x7f, "{}: name may hold printable ASCII only", label);
  }
  require(static_cast<uint8_t>(kind) < kLayerKinds, "{}: layer type {} is unknown", label,
          static_cast<unsigned>(kind));
  if (kind == LayerKind::kFullyConnected) {
    require(in_shape == TensorShape{} && window == Window{},
            "{}: a fully connected layer has no input tensor shape or window", label);
  } else {
    check_window(*this, label);
  }
  if (!has_weights()) {
    require(weights == CodeMatrix{} && codebook == decltype(codebook){} && w_frac == 0 &&
                bias.empty() && !relu,
            "{}: a {} layer has no weights, codebook, bias or ReLU", label, kind_name(kind));
    return;
  }
  weights.validate(label.c_str());
  if (kind == LayerKind::kConv2d) {
    const uint64_t patch = uint64_t{in_shape.channels} * window.kernel_h * window.kernel_w;
    require(weights.cols == patch,
            "{}: the kernel matrix has {} columns but a {}x{}x{} patch has {} values", label,
            weights.cols, in_shape.channels, window.kernel_h, window.kernel_w, patch);
  }
  require(codebook[0] == 0, "{}: codebook entry 0 is {} but is reserved for exact zero", label,
          codebook[0]);
  require(w_frac >= 0 && w_frac <= kMaxFrac, "{}: w_frac {} outside [0, 15]", label, w_frac);
  require(bias.empty() || bias.size() == weights.rows, "{}: {} bias values for {} rows", label,
          bias.size(), weights.rows);
}

bool Layer::operator==(const Layer& o) const {
  return kind == o.kind && name == o.name && weights == o.weights && codebook == o.codebook &&
         w_frac == o.w_frac && bias == o.bias && relu == o.relu && in_shape == o.in_shape &&
         window == o.window;
}

void Network::validate() const {
  require(act_frac >= 0 && act_frac <= kMaxFrac, "network: act_frac {} outside [0, 15]", act_frac);
  require(!layers.empty(), "network has no layers");
  for (size_t l = 0; l < layers.size(); ++l) {
    layers[l].validate();
    if (l > 0) {
      require(layers[l].inputs() == layers[l - 1].outputs(),
              "{} takes {} inputs but {} produces {} outputs", layer_label(*this, l),
              layers[l].inputs(), layer_label(*this, l - 1), layers[l - 1].outputs());
    }
  }
  if (!output_order.empty()) {
    require(output_order.size() == outputs(), "network: output order has {} entries for {} outputs",
            output_order.size(), outputs());
    std::vector<uint8_t> seen(outputs(), 0);
    for (uint32_t p : output_order) {
      require(p < outputs() && !seen[p], "network: output order is not a permutation (at {})", p);
      seen[p] = 1;
    }
  }
}

void Network::require_fully_connected(const std::string& what) const {
  for (size_t l = 0; l < layers.size(); ++l) {
    require(layers[l].kind == LayerKind::kFullyConnected,
            "{}: {} is a {} layer; this runs fully connected layers only (a convolution runs on "
            "the array one output position at a time: docs/arithmetic.md, \"Convolution\")",
            what, layer_label(*this, l), kind_name(layers[l].kind));
  }
}

bool Network::operator==(const Network& o) const {
  return act_frac == o.act_frac && layers == o.layers && output_order == o.output_order;
}

std::vector<int16_t> original_order(const Network& net, const std::vector<int16_t>& y) {
  if (net.output_order.empty()) return y;
  std::vector<int16_t> out(net.output_order.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = y.at(net.output_order[i]);
  return out;
}

std::vector<ArraySegment> array_segments(const Network& net) {
  std::vector<ArraySegment> out;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    if (layer.kind == LayerKind::kMaxPool2d) continue;
    if (layer.kind == LayerKind::kFullyConnected && !out.empty() && !out.back().convolution &&
        out.back().last + 1 == l) {
      out.back().last = l;  // the chain goes on
      out.back().net.layers.push_back(layer);
      continue;
    }
    ArraySegment s;
    s.first = s.last = l;
    s.convolution = layer.kind == LayerKind::kConv2d;
    s.net.act_frac = net.act_frac;
    Layer product = layer;  // what the array sees: a fully connected layer, the kernel matrix
    product.kind = LayerKind::kFullyConnected;
    product.in_shape = {};
    product.window = {};
    s.net.layers.push_back(std::move(product));
    out.push_back(std::move(s));
  }
  if (!out.empty() && out.back().last + 1 == net.layers.size()) {
    out.back().net.output_order = net.output_order;
  }
  return out;
}

std::string layer_label(const Network& net, size_t l) {
  return net.layers[l].name.empty() ? fmt::format("layer{}", l + 1) : net.layers[l].name;
}

void check_shape_budget(const Network& net, uint32_t num_pe, const std::string& source) {
  uint64_t total = 0;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    std::string what = source;
    if (!what.empty()) what += ": ";
    what += layer_label(net, l);
    const Layer& layer = net.layers[l];
    if (layer.kind == LayerKind::kFullyConnected) {
      add_shape_words(total, layer.outputs(), layer.inputs(), num_pe, what);
      continue;
    }
    // A window layer: its input and output tensors, its matrix (convolution) and the patches it
    // reads, one per output position (each a word, as a bound on the work of one inference).
    if (layer.has_weights())
      add_shape_words(total, layer.weights.rows, layer.weights.cols, num_pe, what);
    const uint64_t patch =
        uint64_t{layer.in_shape.channels} * layer.window.kernel_h * layer.window.kernel_w;
    add_window_words(total, layer.inputs() + uint64_t{layer.outputs()} + layer.positions() * patch,
                     what);
  }
}

}  // namespace eie
