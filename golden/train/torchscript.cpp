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
#include <sstream>
#include <stdexcept>

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

FloatLayer linear_layer(const torch::jit::Module& m, const std::string& path,
                        const std::string& file) {
  const torch::Tensor w = m.attr("weight").toTensor();
  require(w.dim() == 2 && w.is_floating_point(), "{}: Linear '{}' weight is not a 2-D float tensor",
          file, path);
  require(w.size(0) > 0 && w.size(1) > 0 && w.size(0) <= (1 << 24) && w.size(1) <= (1 << 24),
          "{}: Linear '{}' weight shape ({}, {}) must be non-empty and at most 16777216 per "
          "dimension",
          file, path, w.size(0), w.size(1));
  // A saved tensor can be a view far larger than its storage in the file (an expanded one):
  // bound what it would cost here as the .npy reader bounds its files (float32 weights).
  require(static_cast<uint64_t>(w.numel()) <= kMaxNpyFileBytes / sizeof(float),
          "{}: Linear '{}' has {} weights, over the limit of {} (docs/reliability.md)", file, path,
          w.numel(), kMaxNpyFileBytes / sizeof(float));
  FloatLayer layer;
  layer.name = path;
  layer.rows = static_cast<uint32_t>(w.size(0));
  layer.cols = static_cast<uint32_t>(w.size(1));
  layer.relu = false;
  const torch::Tensor wf = w.detach().to(torch::kFloat32).contiguous();
  layer.weights.assign(wf.data_ptr<float>(), wf.data_ptr<float>() + wf.numel());
  const c10::IValue bias = m.attr("bias");
  if (!bias.isNone()) {
    const torch::Tensor b = bias.toTensor().detach().to(torch::kFloat32).contiguous();
    require(b.dim() == 1 && b.size(0) == w.size(0),
            "{}: Linear '{}' bias has {} values for {} outputs", file, path, b.numel(), w.size(0));
    layer.bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
  }
  for (size_t i = 0; i < layer.weights.size(); ++i) {
    require(std::isfinite(layer.weights[i]), "{}: Linear '{}' weight ({}, {}) is {}", file, path,
            i / layer.cols, i % layer.cols, layer.weights[i]);
  }
  for (size_t i = 0; i < layer.bias.size(); ++i) {
    require(std::isfinite(layer.bias[i]), "{}: Linear '{}' bias [{}] is {}", file, path, i,
            layer.bias[i]);
  }
  return layer;
}

void walk(const torch::jit::Module& m, const std::string& path, const std::string& file,
          std::vector<FloatLayer>& out) {
  check_chain(m, path, file);
  for (const auto& child : m.named_children()) {
    const std::string at = path.empty() ? child.name : path + "." + child.name;
    const std::string kind = class_name(child.value);
    const bool nn = is_torch_nn(child.value);
    if (nn && kind == "Linear") {
      out.push_back(linear_layer(child.value, at, file));
      if (out.size() > 1) {
        const FloatLayer& before = out[out.size() - 2];
        require(out.back().cols == before.rows,
                "{}: Linear '{}' takes {} inputs but Linear '{}' before it has {} outputs", file,
                at, out.back().cols, before.name, before.rows);
      }
    } else if (nn && kind == "ReLU") {
      require(!out.empty(), "{}: ReLU '{}' comes before any Linear layer", file, at);
      out.back().relu = true;
    } else if (nn && (kind == "Dropout" || kind == "Identity")) {
      continue;  // nothing at inference
    } else if (child.value.named_children().size() > 0) {
      walk(child.value, at, file, out);
    } else {
      fail(
          "{}: module '{}' is a {}: the reader takes nn.Linear, nn.ReLU, nn.Dropout, "
          "nn.Identity and modules that call them in order",
          file, at, kind);
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
std::vector<FloatLayer> parse_in_process(const std::vector<uint8_t>& bytes,
                                         const std::string& path) {
  torch::jit::Module module;
  try {
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    module = torch::jit::load(in, torch::kCPU);
  } catch (const std::exception& e) {  // c10::Error, or the TorchScript compiler's ErrorReport
    fail("{}: not a TorchScript file libtorch can read: {}", path, first_line(e));
  }
  std::vector<FloatLayer> layers;
  try {
    if (is_torch_nn(module) && class_name(module) == "Linear") {
      layers.push_back(linear_layer(module, "", path));  // the file is one nn.Linear
    } else {
      walk(module, "", path, layers);
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    fail("{}: {}", path, first_line(e));
  }
  require(!layers.empty(), "{}: no nn.Linear layer", path);
  return layers;
}

// The child's answer through the pipe: 'L', the layer count, then per layer its name, rows,
// cols, relu, bias flag, weights and bias; or 'E' and the message.
template <typename T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

std::string encode(const std::vector<FloatLayer>& layers) {
  std::string out = "L";
  put(out, static_cast<uint32_t>(layers.size()));
  for (const FloatLayer& l : layers) {
    put(out, static_cast<uint32_t>(l.name.size()));
    out += l.name;
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
    l.name.resize(d.get<uint32_t>());
    d.take(l.name.data(), l.name.size());
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

std::vector<FloatLayer> read_torchscript(const std::string& path) {
  return parse_torchscript(read_file(path, kMaxModelFileBytes, "TorchScript file"), path);
}

// libtorch 1.13 stops the process on some malformed archives (an exception thrown through a
// noexcept frame of its TorchScript parser: the fuzz target found one in 146 inputs), so the
// archive is read in a child process that sends the layers, or the message, back through a pipe.
std::vector<FloatLayer> parse_torchscript(const std::vector<uint8_t>& bytes,
                                          const std::string& path) {
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
      answer = encode(parse_in_process(bytes, path));
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
