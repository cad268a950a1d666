#include "eie/torchscript.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <torch/script.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/limits.h"

namespace eie {
namespace {

// The class of a module: "Linear" for torch.nn.modules.linear.Linear (also when TorchScript names
// it ...linear.___torch_mangle_1.Linear), the user's class name for their own modules.
std::string class_name(const torch::jit::Module& m) {
  const auto& name = m.type()->name();
  if (!name) return "?";
  const std::string q = name->qualifiedName();
  return q.substr(q.rfind('.') + 1);
}

bool is_torch_nn(const torch::jit::Module& m) {
  const auto& name = m.type()->name();
  return name && name->qualifiedName().find("torch.nn.modules.") != std::string::npos;
}

std::string display(const std::string& path) {
  return path.empty() ? "the top module" : "'" + path + "'";
}

// A container's forward must be a chain of its children's forwards, in registration order.
void check_chain(const torch::jit::Module& m, const std::string& path, const std::string& file) {
  const auto graph = m.get_method("forward").graph();
  std::vector<std::string> called;
  const torch::jit::Value* flow = graph->inputs().size() >= 2 ? graph->inputs()[1] : nullptr;
  for (const torch::jit::Node* node : graph->nodes()) {
    const std::string kind = node->kind().toQualString();
    if (kind == "prim::Constant" || kind == "prim::GetAttr") continue;
    require(kind == "prim::CallMethod" && node->s(torch::jit::attr::name) == "forward",
            "{}: the forward of {} computes {} itself: the reader follows only modules "
            "(nn.Linear, nn.ReLU, ...) called one after another",
            file, display(path), kind);
    const torch::jit::Node* owner = node->inputs()[0]->node();
    require(owner->kind().toQualString() == std::string("prim::GetAttr") &&
                node->inputs().size() == 2 && node->inputs()[1] == flow,
            "{}: the forward of {} does not call its children one after another, each on the "
            "previous one's output",
            file, display(path));
    called.push_back(owner->s(torch::jit::attr::name));
    flow = node->outputs()[0];
  }
  require(graph->outputs().size() == 1 && graph->outputs()[0] == flow,
          "{}: the forward of {} does not return its last child's output", file, display(path));
  std::vector<std::string> children;
  for (const auto& c : m.named_children()) children.push_back(c.name);
  require(called == children, "{}: the forward of {} calls [{}], not its children in order [{}]",
          file, display(path), fmt::join(called, ", "), fmt::join(children, ", "));
}

// The shape flowing through the module: unknown until the input's shape is given or a Linear
// fixes it, then each layer's output.
struct Walk {
  std::string file;
  std::optional<TensorShape> shape;
  std::vector<FloatLayer> out;
};

// A 2-D setting of a scripted Conv2d or MaxPool2d (kernel_size, stride, ...): an int, or a pair.
std::array<int64_t, 2> pair_setting(const torch::jit::Module& m, const std::string& setting,
                                    const std::string& kind, const std::string& path,
                                    const std::string& file) {
  require(m.hasattr(setting),
          "{}: {} '{}' has no attribute '{}': save the model with torch.jit.script (a traced "
          "{} keeps its settings only in its graph)",
          file, kind, path, setting, kind);
  const c10::IValue v = m.attr(setting);
  if (v.isInt()) return {v.toInt(), v.toInt()};
  if (v.isTuple() || v.isIntList()) {
    const std::vector<c10::IValue> e =
        v.isTuple() ? v.toTupleRef().elements().vec()
                    : std::vector<c10::IValue>(v.toIntList().begin(), v.toIntList().end());
    if (e.size() == 2 && e[0].isInt() && e[1].isInt()) return {e[0].toInt(), e[1].toInt()};
  }
  fail("{}: {} '{}' {} is {}, not an int or a pair of ints", file, kind, path, setting,
       v.tagKind());
}

// The window of a Conv2d or MaxPool2d, each value checked against the model file's bytes.
Window window_of(const std::array<int64_t, 2>& kernel, const std::array<int64_t, 2>& stride,
                 const std::array<int64_t, 2>& pad, const std::string& what,
                 const std::string& file) {
  for (const auto& [name, v, lo] :
       {std::tuple{"kernel_size", kernel, 1}, std::tuple{"stride", stride, 1},
        std::tuple{"padding", pad, 0}}) {
    for (int64_t x : v) {
      require(x >= lo && x <= kMaxWindow, "{}: {} {} {} outside {}..{}", file, what, name, x, lo,
              kMaxWindow);
    }
  }
  return {static_cast<uint32_t>(kernel[0]), static_cast<uint32_t>(kernel[1]),
          static_cast<uint32_t>(stride[0]), static_cast<uint32_t>(stride[1]),
          static_cast<uint32_t>(pad[0]),    static_cast<uint32_t>(pad[1])};
}

// Reads weight and bias as a FloatLayer's rows x cols matrix: `w` has rows = w.size(0) and its
// other dimensions flattened (a Conv2d's (out, in, kh, kw) as PyTorch's view(out, -1)).
void read_parameters(const torch::jit::Module& m, const torch::Tensor& w, const std::string& kind,
                     const std::string& path, const std::string& file, FloatLayer& layer) {
  require(w.size(0) > 0 && w.numel() > 0 && w.size(0) <= (1 << 24) &&
              w.numel() / w.size(0) <= (1 << 24),
          "{}: {} '{}' weight shape {} must be non-empty and at most 16777216 per matrix "
          "dimension",
          file, kind, path, fmt::join(w.sizes(), "x"));
  // A saved tensor can be a view far larger than its storage in the file (an expanded one):
  // bound what it would cost here as the .npy reader bounds its files (float32 weights).
  require(static_cast<uint64_t>(w.numel()) <= kMaxNpyFileBytes / sizeof(float),
          "{}: {} '{}' has {} weights, over the limit of {} (docs/reliability.md)", file, kind,
          path, w.numel(), kMaxNpyFileBytes / sizeof(float));
  layer.name = path;
  layer.rows = static_cast<uint32_t>(w.size(0));
  layer.cols = static_cast<uint32_t>(w.numel() / w.size(0));
  layer.relu = false;
  const torch::Tensor wf = w.detach().to(torch::kFloat32).contiguous();
  layer.weights.assign(wf.data_ptr<float>(), wf.data_ptr<float>() + wf.numel());
  const c10::IValue bias = m.attr("bias");
  if (!bias.isNone()) {
    const torch::Tensor b = bias.toTensor().detach().to(torch::kFloat32).contiguous();
    require(b.dim() == 1 && b.size(0) == w.size(0), "{}: {} '{}' bias has {} values for {} outputs",
            file, kind, path, b.numel(), w.size(0));
    layer.bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
  }
  for (size_t i = 0; i < layer.weights.size(); ++i) {
    require(std::isfinite(layer.weights[i]), "{}: {} '{}' weight ({}, {}) is {}", file, kind, path,
            i / layer.cols, i % layer.cols, layer.weights[i]);
  }
  for (size_t i = 0; i < layer.bias.size(); ++i) {
    require(std::isfinite(layer.bias[i]), "{}: {} '{}' bias [{}] is {}", file, kind, path, i,
            layer.bias[i]);
  }
}

FloatLayer linear_layer(const torch::jit::Module& m, const std::string& path,
                        const std::string& file) {
  const torch::Tensor w = m.attr("weight").toTensor();
  require(w.dim() == 2 && w.is_floating_point(), "{}: Linear '{}' weight is not a 2-D float tensor",
          file, path);
  FloatLayer layer;
  read_parameters(m, w, "Linear", path, file, layer);
  return layer;
}

FloatLayer conv_layer(const torch::jit::Module& m, const std::string& path, const std::string& file,
                      const TensorShape& in) {
  const torch::Tensor w = m.attr("weight").toTensor();
  require(w.dim() == 4 && w.is_floating_point(), "{}: Conv2d '{}' weight is not a 4-D float tensor",
          file, path);
  const auto kernel = pair_setting(m, "kernel_size", "Conv2d", path, file);
  const auto stride = pair_setting(m, "stride", "Conv2d", path, file);
  require(pair_setting(m, "dilation", "Conv2d", path, file) == std::array<int64_t, 2>{1, 1},
          "{}: Conv2d '{}' has dilation other than 1, which the reader does not take", file, path);
  require(m.hasattr("groups") && m.attr("groups").isInt() && m.attr("groups").toInt() == 1,
          "{}: Conv2d '{}' has groups other than 1, which the reader does not take", file, path);
  require(m.hasattr("padding_mode") && m.attr("padding_mode").isString() &&
              m.attr("padding_mode").toStringRef() == "zeros",
          "{}: Conv2d '{}' pads other than with zeros", file, path);
  std::array<int64_t, 2> pad{};
  const c10::IValue padding = m.hasattr("padding") ? m.attr("padding") : c10::IValue();
  if (padding.isString() && padding.toStringRef() == "valid") {
    pad = {0, 0};
  } else if (padding.isString() && padding.toStringRef() == "same") {
    require(kernel[0] % 2 == 1 && kernel[1] % 2 == 1,
            "{}: Conv2d '{}' pads 'same' with an even kernel, which pads unevenly", file, path);
    pad = {kernel[0] / 2, kernel[1] / 2};
  } else {
    pad = pair_setting(m, "padding", "Conv2d", path, file);
  }
  FloatLayer layer;
  read_parameters(m, w, "Conv2d", path, file, layer);
  require(w.size(1) == in.channels,
          "{}: Conv2d '{}' takes {} input channels but its input is {}x{}x{}", file, path,
          w.size(1), in.channels, in.height, in.width);
  require(w.size(2) == kernel[0] && w.size(3) == kernel[1],
          "{}: Conv2d '{}' weight is {} for a {}x{} kernel", file, path, fmt::join(w.sizes(), "x"),
          kernel[0], kernel[1]);
  layer.kind = LayerKind::kConv2d;
  layer.in_shape = in;
  layer.window = window_of(kernel, stride, pad, fmt::format("Conv2d '{}'", path), file);
  try {
    layer.validate();
  } catch (const Error& e) {
    fail("{}: Conv2d '{}': {}", file, path, e.what());
  }
  return layer;
}

FloatLayer pool_layer(const torch::jit::Module& m, const std::string& path, const std::string& file,
                      const TensorShape& in) {
  const auto kernel = pair_setting(m, "kernel_size", "MaxPool2d", path, file);
  // stride None (the default) means the kernel size.
  const auto stride = m.hasattr("stride") && m.attr("stride").isNone()
                          ? kernel
                          : pair_setting(m, "stride", "MaxPool2d", path, file);
  require(pair_setting(m, "padding", "MaxPool2d", path, file) == std::array<int64_t, 2>{0, 0},
          "{}: MaxPool2d '{}' pads its input, which the reader does not take", file, path);
  require(pair_setting(m, "dilation", "MaxPool2d", path, file) == std::array<int64_t, 2>{1, 1},
          "{}: MaxPool2d '{}' has dilation other than 1, which the reader does not take", file,
          path);
  for (const char* flag : {"ceil_mode", "return_indices"}) {
    require(m.hasattr(flag) && m.attr(flag).isBool() && !m.attr(flag).toBool(),
            "{}: MaxPool2d '{}' sets {}, which the reader does not take", file, path, flag);
  }
  FloatLayer layer;
  layer.kind = LayerKind::kMaxPool2d;
  layer.name = path;
  layer.relu = false;
  layer.in_shape = in;
  layer.window = window_of(kernel, stride, {0, 0}, fmt::format("MaxPool2d '{}'", path), file);
  try {
    layer.validate();
  } catch (const Error& e) {
    fail("{}: MaxPool2d '{}': {}", file, path, e.what());
  }
  return layer;
}

// The tensor a window layer reads: the shape so far, which must be known and not flattened
// beyond what a reshape gives back (a Linear's output is C x 1 x 1).
TensorShape window_input(const Walk& w, const std::string& kind, const std::string& path) {
  require(w.shape.has_value(),
          "{}: {} '{}' comes first, so the reader needs the input's shape: give it as "
          "channels, height, width (eie compress --input-shape C,H,W)",
          w.file, kind, path);
  return *w.shape;
}

// ReLU after a layer, or after the pooling that follows one: max pooling and ReLU commute, so
// it goes to the weighted layer before.
void add_relu(Walk& w, const std::string& path) {
  for (auto it = w.out.rbegin(); it != w.out.rend(); ++it) {
    if (it->has_weights()) {
      it->relu = true;
      return;
    }
  }
  fail("{}: ReLU '{}' comes before any Linear or Conv2d layer", w.file, path);
}

void walk(const torch::jit::Module& m, const std::string& path, Walk& w) {
  check_chain(m, path, w.file);
  for (const auto& child : m.named_children()) {
    const std::string at = path.empty() ? child.name : path + "." + child.name;
    const std::string kind = class_name(child.value);
    const bool nn = is_torch_nn(child.value);
    if (nn && kind == "Linear") {
      FloatLayer layer = linear_layer(child.value, at, w.file);
      if (w.shape) {
        const std::string before = w.out.empty() ? "the input" : "'" + w.out.back().name + "'";
        require(layer.cols == w.shape->size(),
                "{}: Linear '{}' takes {} inputs but {} before it gives {} ({}x{}x{})", w.file, at,
                layer.cols, before, w.shape->size(), w.shape->channels, w.shape->height,
                w.shape->width);
      }
      w.shape = TensorShape{layer.rows, 1, 1};
      w.out.push_back(std::move(layer));
    } else if (nn && kind == "Conv2d") {
      w.out.push_back(conv_layer(child.value, at, w.file, window_input(w, kind, at)));
      w.shape = w.out.back().shape().output_shape();
    } else if (nn && kind == "MaxPool2d") {
      w.out.push_back(pool_layer(child.value, at, w.file, window_input(w, kind, at)));
      w.shape = w.out.back().shape().output_shape();
    } else if (nn && kind == "Flatten") {
      require(child.value.hasattr("start_dim") && child.value.attr("start_dim").toInt() == 1 &&
                  child.value.attr("end_dim").toInt() == -1,
              "{}: Flatten '{}' must flatten dimensions 1 to -1 (every dimension of one sample)",
              w.file, at);
      if (w.shape) w.shape = TensorShape{static_cast<uint32_t>(w.shape->size()), 1, 1};
    } else if (nn && kind == "ReLU") {
      add_relu(w, at);
    } else if (nn && (kind == "Dropout" || kind == "Dropout2d" || kind == "Identity")) {
      continue;  // nothing at inference
    } else if (child.value.named_children().size() > 0) {
      walk(child.value, at, w);
    } else {
      fail(
          "{}: module '{}' is a {}: the reader takes nn.Linear, nn.Conv2d, nn.MaxPool2d, "
          "nn.Flatten, nn.ReLU, nn.Dropout, nn.Identity and modules that call them in order",
          w.file, at, kind);
    }
  }
}

// The first line of libtorch's message (c10::Error without its backtrace).
std::string first_line(const std::exception& e) {
  const auto* c10_error = dynamic_cast<const c10::Error*>(&e);
  const std::string what = c10_error ? c10_error->what_without_backtrace() : e.what();
  return what.substr(0, what.find('\n'));
}

// libtorch's own reading of the archive, in this process: what the child below runs.
std::vector<FloatLayer> parse_in_process(const std::vector<uint8_t>& bytes, const std::string& path,
                                         const std::optional<TensorShape>& input) {
  torch::jit::Module module;
  try {
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    module = torch::jit::load(in, torch::kCPU);
  } catch (const std::exception& e) {  // c10::Error, or the TorchScript compiler's ErrorReport
    fail("{}: not a TorchScript file libtorch can read: {}", path, first_line(e));
  }
  Walk w{path, input, {}};
  try {
    if (is_torch_nn(module) && class_name(module) == "Linear") {
      w.out.push_back(linear_layer(module, "", path));  // the file is one nn.Linear
      require(!input || input->size() == w.out.back().cols,
              "{}: the Linear takes {} inputs but the input shape {}x{}x{} has {}", path,
              w.out.back().cols, input->channels, input->height, input->width, input->size());
    } else {
      walk(module, "", w);
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    fail("{}: {}", path, first_line(e));
  }
  require(!w.out.empty(), "{}: no nn.Linear or nn.Conv2d layer", path);
  return w.out;
}

// The child's answer through the pipe: 'L', the layer count, then per layer its kind, name,
// input shape and window, rows, cols, relu, bias flag, weights and bias; or 'E' and the message.
template <typename T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

std::string encode(const std::vector<FloatLayer>& layers) {
  std::string out = "L";
  put(out, static_cast<uint32_t>(layers.size()));
  for (const FloatLayer& l : layers) {
    put(out, static_cast<uint8_t>(l.kind));
    put(out, static_cast<uint32_t>(l.name.size()));
    out += l.name;
    for (uint32_t v : {l.in_shape.channels, l.in_shape.height, l.in_shape.width, l.window.kernel_h,
                       l.window.kernel_w, l.window.stride_h, l.window.stride_w, l.window.pad_h,
                       l.window.pad_w}) {
      put(out, v);
    }
    put(out, l.rows);
    put(out, l.cols);
    put(out, static_cast<uint8_t>(l.relu));
    put(out, static_cast<uint8_t>(!l.bias.empty()));
    for (const std::vector<float>* v : {&l.weights, &l.bias}) {
      if (!v->empty())
        out.append(reinterpret_cast<const char*>(v->data()), v->size() * sizeof(float));
    }
  }
  return out;
}

class Decoder {
 public:
  explicit Decoder(const std::string& s) : s_(s) {}
  template <typename T>
  T get() {
    T v{};
    take(&v, sizeof v);
    return v;
  }
  void take(void* to, size_t n) {
    if (n == 0) return;  // an empty vector's data() may be null
    if (n > s_.size() - at_) throw std::runtime_error("short answer from the reader process");
    std::memcpy(to, s_.data() + at_, n);
    at_ += n;
  }

 private:
  const std::string& s_;
  size_t at_ = 1;
};

std::vector<FloatLayer> decode(const std::string& s) {
  Decoder d(s);
  std::vector<FloatLayer> layers(d.get<uint32_t>());
  for (FloatLayer& l : layers) {
    l.kind = static_cast<LayerKind>(d.get<uint8_t>());
    l.name.resize(d.get<uint32_t>());
    d.take(l.name.data(), l.name.size());
    for (uint32_t* v : {&l.in_shape.channels, &l.in_shape.height, &l.in_shape.width,
                        &l.window.kernel_h, &l.window.kernel_w, &l.window.stride_h,
                        &l.window.stride_w, &l.window.pad_h, &l.window.pad_w}) {
      *v = d.get<uint32_t>();
    }
    l.rows = d.get<uint32_t>();
    l.cols = d.get<uint32_t>();
    l.relu = d.get<uint8_t>() != 0;
    const bool bias = d.get<uint8_t>() != 0;
    l.weights.resize(size_t{l.rows} * l.cols);
    d.take(l.weights.data(), l.weights.size() * sizeof(float));
    l.bias.resize(bias ? l.rows : 0);
    d.take(l.bias.data(), l.bias.size() * sizeof(float));
  }
  return layers;
}

}  // namespace

std::vector<FloatLayer> read_torchscript(const std::string& path,
                                         const std::optional<TensorShape>& input) {
  return parse_torchscript(read_file(path, kMaxModelFileBytes, "TorchScript file"), path, input);
}

// libtorch 1.13 stops the process on some malformed archives (an exception thrown through a
// noexcept frame of its TorchScript parser: the fuzz target found one in 146 inputs), so the
// archive is read in a child process that sends the layers, or the message, back through a pipe.
std::vector<FloatLayer> parse_torchscript(const std::vector<uint8_t>& bytes,
                                          const std::string& path,
                                          const std::optional<TensorShape>& input) {
  std::array<int, 2> fds{};
  require(pipe(fds.data()) == 0, "{}: cannot create a pipe: {}", path, std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    fail("{}: cannot start the reader process: {}", path, std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    std::string answer;
    try {
      answer = encode(parse_in_process(bytes, path, input));
    } catch (const std::exception& e) {
      answer = std::string("E") + e.what();
    }
    for (size_t at = 0; at < answer.size();) {
      const ssize_t n = write(fds[1], answer.data() + at, answer.size() - at);
      if (n <= 0) _exit(3);
      at += static_cast<size_t>(n);
    }
    _exit(0);  // no destructors, no leak check: the parent goes on
  }
  close(fds[1]);
  std::string answer;
  std::array<char, 65536> buf{};
  for (ssize_t n; (n = read(fds[0], buf.data(), buf.size())) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    answer.append(buf.data(), static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || answer.empty()) {
    fail("{}: not a TorchScript file libtorch can read (its reader stopped: {})", path,
         WIFSIGNALED(status) ? strsignal(WTERMSIG(status))
                             : fmt::format("exit status {}", WEXITSTATUS(status)));
  }
  if (answer[0] == 'E') throw Error(answer.substr(1));
  try {
    return decode(answer);
  } catch (const std::exception& e) {
    fail("{}: {}", path, e.what());
  }
}

}  // namespace eie
