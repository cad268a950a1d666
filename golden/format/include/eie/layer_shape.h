// Shapes of the tensors between layers and the sliding windows of convolution and pooling
// (docs/format.md, "Layer types"). Tensors are C x H x W, flattened channel-major (CHW) as
// PyTorch's flatten of one NCHW sample, so a fully connected layer reads a convolution's output
// with no reordering.
#pragma once

#include <cstdint>
#include <string>

namespace eie {

// Largest rows and cols of a layer's matrix and largest tensor between layers (elements).
constexpr uint32_t kMaxDimension = 1u << 24;
// Largest kernel, stride and padding of a window (the model file stores them in a byte).
constexpr uint32_t kMaxWindow = 255;

struct TensorShape {
  uint32_t channels = 1;
  uint32_t height = 1;
  uint32_t width = 1;

  uint64_t size() const { return uint64_t{channels} * height * width; }
  bool operator==(const TensorShape& o) const {
    return channels == o.channels && height == o.height && width == o.width;
  }
};

// A 2-D window: kernel, stride and zero padding per axis (as PyTorch's Conv2d and MaxPool2d,
// dilation 1, no ceil mode).
struct Window {
  uint32_t kernel_h = 1;
  uint32_t kernel_w = 1;
  uint32_t stride_h = 1;
  uint32_t stride_w = 1;
  uint32_t pad_h = 0;
  uint32_t pad_w = 0;

  bool operator==(const Window& o) const {
    return kernel_h == o.kernel_h && kernel_w == o.kernel_w && stride_h == o.stride_h &&
           stride_w == o.stride_w && pad_h == o.pad_h && pad_w == o.pad_w;
  }
};

// An LSTM's sequence: `steps` inputs of `input` values each, `hidden` units (docs/arithmetic.md,
// "LSTM"). Zero for every other layer kind.
struct Sequence {
  uint32_t steps = 0;
  uint32_t input = 0;
  uint32_t hidden = 0;

  bool operator==(const Sequence& o) const {
    return steps == o.steps && input == o.input && hidden == o.hidden;
  }
};

// Positions of the window along one axis: floor((in + 2 pad - kernel) / stride) + 1, or 0 when
// the padded input is shorter than the kernel (or stride is 0).
uint32_t window_positions(uint32_t in, uint32_t kernel, uint32_t stride, uint32_t pad);
// The output tensor of `window` slid over `in`, with `channels` output channels.
TensorShape window_output(const TensorShape& in, const Window& window, uint32_t channels);
// Values the window reads at one position, C x kernel_h x kernel_w: a convolution's patch, the
// columns of its kernel matrix.
uint64_t patch_size(const TensorShape& in, const Window& window);
// Throws eie::Error, prefixed with `label`, unless a kernel matrix of `cols` columns matches the
// patch of `window` over `in`.
void check_kernel_columns(uint64_t cols, const TensorShape& in, const Window& window,
                          const std::string& label);

}  // namespace eie
