#include "eie/network.h"

#include "eie/error.h"

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
}

bool Network::operator==(const Network& o) const {
  return act_frac == o.act_frac && layers == o.layers;
}

std::string layer_label(const Network& net, size_t l) {
  return net.layers[l].name.empty() ? fmt::format("layer{}", l + 1) : net.layers[l].name;
}

}  // namespace eie
