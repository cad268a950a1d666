// PyTorch models in: the layers of a TorchScript file (`torch.jit.save` of a scripted or traced
// module) as float layers for compression (docs/deep_compression.md, "PyTorch models in").
// Accepted: nn.Linear, nn.Conv2d (groups 1, dilation 1, zero padding) and nn.MaxPool2d (no
// padding, dilation 1, no ceil mode) layers, nn.Flatten of every dimension of a sample, nn.ReLU
// after a layer or after the pooling that follows one, nn.Dropout, nn.Dropout2d and nn.Identity
// (nothing at inference), inside nn.Sequential or any module whose forward only calls its
// children in the order they were registered, each on the previous one's output. A Conv2d or
// MaxPool2d must be scripted (torch.jit.script: a traced one keeps its settings only in its
// graph). Anything else (another layer type, arithmetic in a forward, a child called out of order
// or not at all, shapes that do not chain) is refused with eie::Error naming the file, the module
// path and what is wrong, as are files libtorch cannot read. Only golden/train links libtorch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eie/compress.h"

namespace eie {

// The layers in the order the module runs them, named by their module path (e.g. "0.0",
// "conv1"), relu set where an nn.ReLU follows; a Conv2d's weights as its kernel matrix.
// The file is read as the other readers read theirs (eie/file_io.h: a pipe or device too, at
// most kMaxModelFileBytes).
// `input`: the shape of one input sample (channels, height, width), which a module whose first
// layer is a Conv2d or MaxPool2d needs; a Linear's inputs give it otherwise.
std::vector<FloatLayer> read_torchscript(const std::string& path,
                                         const std::optional<TensorShape>& input = std::nullopt);
// The same on the file's bytes; `path` names it in messages (the fuzz target's entry).
std::vector<FloatLayer> parse_torchscript(const std::vector<uint8_t>& bytes,
                                          const std::string& path,
                                          const std::optional<TensorShape>& input = std::nullopt);

}  // namespace eie
