// NumPy .npy files: the usual way PyTorch and TensorFlow users hand weights over.
// Reads format versions 1.0, 2.0 and 3.0 with dtypes <f4, <f8 (weights, biases, inputs) and <i2
// (raw fixed-point activations); C order only. Writes version 1.0 files atomically, byte for byte
// as np.save does. Zero-length dimensions such as (0,) or (2, 0) are allowed: no values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eie {

struct NpyArray {
  std::string dtype;           // "<f4", "<f8" or "<i2" as read
  std::vector<size_t> shape;   // () is a scalar with one value
  std::vector<double> values;  // every element converted to double, C order

  size_t size() const { return values.size(); }
};

enum class NpyKind { kFloat, kFloatOrInt16 };

// Throws eie::Error naming the file and the problem: not an .npy file, unsupported version,
// malformed header, dtype not allowed (kFloat: only <f4/<f8), big-endian, Fortran order,
// truncated data or trailing bytes.
NpyArray read_npy(const std::string& path, NpyKind kind = NpyKind::kFloat);
// The same on a file's bytes; `source` names it in messages.
NpyArray parse_npy(const std::vector<uint8_t>& bytes, const std::string& source,
                   NpyKind kind = NpyKind::kFloat);
// The same, requiring a given number of dimensions (1 or 2), with a message naming `what`.
NpyArray read_npy_dims(const std::string& path, size_t dims, const std::string& what,
                       NpyKind kind = NpyKind::kFloat);

void write_npy_f32(const std::string& path, const std::vector<size_t>& shape,
                   const std::vector<float>& values);
void write_npy_i16(const std::string& path, const std::vector<size_t>& shape,
                   const std::vector<int16_t>& values);

}  // namespace eie
