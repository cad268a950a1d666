#include "eie/layer_shape.h"

#include "eie/error.h"

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

uint64_t patch_size(const TensorShape& in, const Window& window) {
  return uint64_t{in.channels} * window.kernel_h * window.kernel_w;
}

void check_kernel_columns(uint64_t cols, const TensorShape& in, const Window& window,
                          const std::string& label) {
  const uint64_t patch = patch_size(in, window);
  require(cols == patch, "{}: the kernel matrix has {} columns but a {}x{}x{} patch has {} values",
          label, cols, in.channels, window.kernel_h, window.kernel_w, patch);
}

}  // namespace eie
