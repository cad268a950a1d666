// PyTorch models in: the layers of a TorchScript file (`torch.jit.save` of a scripted or traced
// module) as float layers for compression (docs/deep_compression.md, "PyTorch models in").
// Accepted: nn.Linear layers, each followed by nn.ReLU or not, with nn.Dropout and nn.Identity
// (nothing at inference), inside nn.Sequential or any module whose forward only calls its
// children in the order they were registered, each on the previous one's output. Anything else
// (another layer type, arithmetic in a forward, a child called out of order or not at all, shapes
// that do not chain) is refused with eie::Error naming the file, the module path and what is
// wrong, as are files libtorch cannot read. Only golden/train links libtorch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eie/compress.h"

namespace eie {

// The Linear layers in the order the module runs them, named by their module path (e.g. "0.0",
// "fc1"), relu set where an nn.ReLU follows.
// The file is read as the other readers read theirs (eie/file_io.h: a pipe or device too, at
// most kMaxModelFileBytes).
std::vector<FloatLayer> read_torchscript(const std::string& path);
// The same on the file's bytes; `path` names it in messages (the fuzz target's entry).
std::vector<FloatLayer> parse_torchscript(const std::vector<uint8_t>& bytes,
                                          const std::string& path);

}  // namespace eie
