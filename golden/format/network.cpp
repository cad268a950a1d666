#include "eie/network.h"

#include "eie/error.h"
#include "eie/limits.h"

namespace eie {

namespace {
constexpr size_t kMaxNameLength = 255;
}

void Layer::validate() const {
  const std::string label = name.empty() ? std::string("layer") : "layer '" + name + "'";
  require(name.size() <= kMaxNameLength, "{}: name longer than {} bytes", label, kMaxNameLength);
  for (char c : name) {
    require(c >= 0x20 && c < 0x7f, "{}: name may hold printable ASCII only", label);
  }
  weights.validate(label.c_str());
  require(codebook[0] == 0, "{}: codebook entry 0 is {} but is reserved for exact zero", label,
          codebook[0]);
  require(w_frac >= 0 && w_frac <= kMaxFrac, "{}: w_frac {} outside [0, 15]", label, w_frac);
  require(bias.empty() || bias.size() == weights.rows, "{}: {} bias values for {} rows", label,
          bias.size(), weights.rows);
}

bool Layer::operator==(const Layer& o) const {
  return name == o.name && weights == o.weights && codebook == o.codebook && w_frac == o.w_frac &&
         bias == o.bias && relu == o.relu;
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

bool Network::operator==(const Network& o) const {
  return act_frac == o.act_frac && layers == o.layers && output_order == o.output_order;
}

std::vector<int16_t> original_order(const Network& net, const std::vector<int16_t>& y) {
  if (net.output_order.empty()) return y;
  std::vector<int16_t> out(net.output_order.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = y.at(net.output_order[i]);
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
    add_shape_words(total, net.layers[l].outputs(), net.layers[l].inputs(), num_pe, what);
  }
}

}  // namespace eie
