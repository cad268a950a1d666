// IDX files (the MNIST interchange format): unsigned-byte images and labels. A user with the full
// 70,000-digit MNIST points --data-dir at the four standard files and everything works unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eie {

struct IdxImages {
  uint32_t count = 0;
  uint32_t rows = 0;
  uint32_t cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols, row-major per image

  uint32_t size() const { return rows * cols; }
};

// Throw eie::Error naming the file and the problem: bad magic (not type 0x08 / wrong number of
// dimensions), zero or absurd sizes, truncated data, trailing bytes.
IdxImages read_idx_images(const std::string& path);
std::vector<uint8_t> read_idx_labels(const std::string& path);
// The same on a file's bytes; `source` names it in messages.
IdxImages parse_idx_images(const std::vector<uint8_t>& bytes, const std::string& source);
std::vector<uint8_t> parse_idx_labels(const std::vector<uint8_t>& bytes, const std::string& source);

// A labelled split (images and labels of equal count, labels 0..9).
struct LabelledSet {
  IdxImages images;
  std::vector<uint8_t> labels;
};

struct Mnist {
  LabelledSet train;
  LabelledSet test;
};

// The four files load_mnist reads from a folder: train images, train labels, test images, test
// labels.
std::vector<std::string> mnist_files(const std::string& dir);
// Reads DIR/{train,t10k}-{images-idx3,labels-idx1}-ubyte and checks they agree.
Mnist load_mnist(const std::string& dir);

}  // namespace eie
