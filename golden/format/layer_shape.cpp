#include "eie/layer_shape.h"

namespace eie {

uint32_t window_positions(uint32_t in, uint32_t kernel, uint32_t stride, uint32_t pad) {
  const uint64_t padded = uint64_t{in} + 2 * uint64_t{pad};
  if (stride == 0 || kernel == 0 || padded < kernel) return 0;
  return static_cast<uint32_t>((padded - kernel) / stride + 1);
}

TensorShape window_output(const TensorShape& in, const Window& window, uint32_t channels) {
  return {channels, window_positions(in.height, window.kernel_h, window.stride_h, window.pad_h),
          window_positions(in.width, window.kernel_w, window.stride_w, window.pad_w)};
}

}  // namespace eie
