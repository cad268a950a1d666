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
    case LayerKind::kLstm:
      return "LSTM";
  }
  return "unknown";
}

TensorShape Layer::input_shape() const {
  switch (kind) {
    case LayerKind::kFullyConnected:
      return {weights.cols, 1, 1};
    case LayerKind::kLstm:
      return {1, sequence.steps, sequence.input};
    default:
      return in_shape;
  }
}

TensorShape Layer::output_shape() const {
  switch (kind) {
    case LayerKind::kConv2d:
      return window_output(in_shape, window, weights.rows);
    case LayerKind::kMaxPool2d:
      return window_output(in_shape, window, in_shape.channels);
    case LayerKind::kLstm:
      return {sequence.hidden, 1, 1};
    default:
      return {weights.rows, 1, 1};
  }
}

uint64_t Layer::positions() const {
  if (kind == LayerKind::kLstm) return sequence.steps;
  const TensorShape out = output_shape();
  return uint64_t{out.height} * out.width;
}

uint64_t Layer::patch_size() const {
  switch (kind) {
    case LayerKind::kFullyConnected:
      return inputs();
    case LayerKind::kLstm:
      return uint64_t{sequence.input} + sequence.hidden;
    default:
      return eie::patch_size(in_shape, window);
  }
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

void check_sequence(const Layer& layer, const std::string& label) {
  const Sequence& s = layer.sequence;
  require(s.steps >= 1 && s.input >= 1 && s.hidden >= 1,
          "{}: an LSTM needs at least one step, input and hidden unit (has {}, {}, {})", label,
          s.steps, s.input, s.hidden);
  require(uint64_t{s.steps} * s.input <= kMaxDimension,
          "{}: {} steps of {} inputs are more than {} elements", label, s.steps, s.input,
          kMaxDimension);
  require(uint64_t{s.hidden} * 4 <= kMaxDimension && uint64_t{s.input} + s.hidden <= kMaxDimension,
          "{}: {} hidden units and {} inputs make a gate matrix larger than {} x {}", label,
          s.hidden, s.input, kMaxDimension, kMaxDimension);
  require(uint64_t{layer.weights.rows} == uint64_t{s.hidden} * 4 &&
              uint64_t{layer.weights.cols} == uint64_t{s.input} + s.hidden,
          "{}: the gate matrix is {}x{} but {} hidden units and {} inputs need {}x{}", label,
          layer.weights.rows, layer.weights.cols, s.hidden, s.input, uint64_t{s.hidden} * 4,
          uint64_t{s.input} + s.hidden);
}

void Layer::validate() const {
  const std::string label = name.empty() ? std::string("layer") : "layer '" + name + "'";
  require(name.size() <= kMaxNameLength, "{}: name longer than {} bytes", label, kMaxNameLength);
  for (char c : name) {
    require(c >= 0x20 && c < 0x7f, "{}: name may hold printable ASCII only", label);
  }
  require(static_cast<uint8_t>(kind) < kLayerKinds, "{}: layer type {} is unknown", label,
          static_cast<unsigned>(kind));
  const bool windowed = kind == LayerKind::kConv2d || kind == LayerKind::kMaxPool2d;
  require(windowed || (in_shape == TensorShape{} && window == Window{}),
          "{}: a {} layer has no input tensor shape or window", label, kind_name(kind));
  require(kind == LayerKind::kLstm || sequence == Sequence{}, "{}: a {} layer has no sequence",
          label, kind_name(kind));
  if (windowed) check_window(*this, label);
  if (!has_weights()) {
    require(weights == CodeMatrix{} && codebook == decltype(codebook){} && w_frac == 0 &&
                bias.empty() && !relu,
            "{}: a {} layer has no weights, codebook, bias or ReLU", label, kind_name(kind));
    return;
  }
  weights.validate(label.c_str());
  if (kind == LayerKind::kConv2d) check_kernel_columns(weights.cols, in_shape, window, label);
  if (kind == LayerKind::kLstm) {
    check_sequence(*this, label);
    require(!relu, "{}: an LSTM's gate matrix has no ReLU", label);
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
         window == o.window && sequence == o.sequence;
}

namespace {

// An order (output_order, input_order): empty, or a permutation of 0 .. size - 1.
void check_order(const std::vector<uint32_t>& order, uint32_t size, const char* what) {
  if (order.empty()) return;
  require(order.size() == size, "network: {} order has {} entries for {} {}s", what, order.size(),
          size, what);
  std::vector<uint8_t> seen(size, 0);
  for (uint32_t p : order) {
    require(p < size && !seen[p], "network: {} order is not a permutation (at {})", what, p);
    seen[p] = 1;
  }
}

}  // namespace

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
  check_order(output_order, outputs(), "output");
  if (!input_order.empty()) {
    require(layers.front().kind == LayerKind::kFullyConnected,
            "network: an input order needs a fully connected first layer; {} is a {} layer",
            layer_label(*this, 0), kind_name(layers.front().kind));
  }
  check_order(input_order, inputs(), "input");
}

void Network::require_fully_connected(const std::string& what) const {
  for (size_t l = 0; l < layers.size(); ++l) {
    require(layers[l].kind == LayerKind::kFullyConnected,
            "{}: {} is a {} layer; this runs fully connected layers only (a convolution runs on "
            "the array one output position at a time, an LSTM one step at a time: "
            "docs/arithmetic.md)",
            what, layer_label(*this, l), kind_name(layers[l].kind));
  }
}

bool Network::operator==(const Network& o) const {
  return act_frac == o.act_frac && layers == o.layers && output_order == o.output_order &&
         input_order == o.input_order;
}

std::vector<int16_t> original_order(const Network& net, const std::vector<int16_t>& y) {
  if (net.output_order.empty()) return y;
  std::vector<int16_t> out(net.output_order.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = y.at(net.output_order[i]);
  return out;
}

std::vector<int16_t> network_order(const Network& net, const std::vector<int16_t>& x) {
  if (net.input_order.empty()) return x;
  require(x.size() == net.input_order.size(), "an input of {} values for a network of {} inputs",
          x.size(), net.input_order.size());
  std::vector<int16_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[net.input_order[i]] = x[i];
  return out;
}

std::vector<ArraySegment> array_segments(const Network& net) {
  std::vector<ArraySegment> out;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    if (layer.kind == LayerKind::kMaxPool2d) continue;
    if (layer.kind == LayerKind::kFullyConnected && !out.empty() &&
        out.back().kind == LayerKind::kFullyConnected && out.back().last + 1 == l) {
      out.back().last = l;  // the chain goes on
      out.back().net.layers.push_back(layer);
      continue;
    }
    ArraySegment s;
    s.first = s.last = l;
    s.kind = layer.kind;
    s.net.act_frac = net.act_frac;
    // What the array sees: a fully connected layer, the kernel or gate matrix.
    Layer product = layer;
    product.kind = LayerKind::kFullyConnected;
    product.in_shape = {};
    product.window = {};
    product.sequence = {};
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
    add_window_words(total, layer.window_words(), what);
  }
}

}  // namespace eie
