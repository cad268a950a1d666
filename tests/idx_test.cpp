// IDX files: the MNIST interchange format, read with every malformation rejected.
#include "eie/idx.h"

#include <gtest/gtest.h>

#include "eie/classify.h"
#include "eie/error.h"
#include "test_util.h"

namespace eie {
namespace {

std::vector<uint8_t> be32(uint32_t v) {
  return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

std::vector<uint8_t> images_file(uint32_t count, uint32_t rows, uint32_t cols) {
  std::vector<uint8_t> b = {0, 0, 8, 3};
  for (uint32_t v : {count, rows, cols}) {
    const auto w = be32(v);
    b.insert(b.end(), w.begin(), w.end());
  }
  for (uint32_t i = 0; i < count * rows * cols; ++i) b.push_back(static_cast<uint8_t>(i * 7));
  return b;
}

std::vector<uint8_t> labels_file(const std::vector<uint8_t>& labels) {
  std::vector<uint8_t> b = {0, 0, 8, 1};
  const auto w = be32(static_cast<uint32_t>(labels.size()));
  b.insert(b.end(), w.begin(), w.end());
  b.insert(b.end(), labels.begin(), labels.end());
  return b;
}

using test::expect_error;

TEST(Idx, ReadsImagesAndLabels) {
  test::TempDir dir;
  test::write_bytes(dir.file("i"), images_file(3, 2, 4));
  test::write_bytes(dir.file("l"), labels_file({7, 0, 9}));
  const IdxImages img = read_idx_images(dir.file("i"));
  EXPECT_EQ(img.count, 3u);
  EXPECT_EQ(img.size(), 8u);
  EXPECT_EQ(img.pixels[9], static_cast<uint8_t>(63));
  EXPECT_EQ(read_idx_labels(dir.file("l")), (std::vector<uint8_t>{7, 0, 9}));
}

TEST(Idx, RejectsMalformedFiles) {
  test::TempDir dir;
  const std::string f = dir.file("bad");
  const auto with = [&](const std::vector<uint8_t>& b) -> const std::string& {
    test::write_bytes(f, b);
    return f;
  };
  std::vector<uint8_t> b = images_file(2, 2, 2);
  b[0] = 1;
  expect_error([&] { read_idx_images(with(b)); }, "not an IDX file");
  b = images_file(2, 2, 2);
  b[2] = 0x0D;  // float data
  expect_error([&] { read_idx_images(with(b)); }, "not unsigned byte");
  expect_error([&] { read_idx_images(with(labels_file({1}))); }, "1 dimensions, expected 3");
  b = images_file(2, 2, 2);
  b.pop_back();
  expect_error([&] { read_idx_images(with(b)); }, "truncated");
  b = images_file(2, 2, 2);
  b.push_back(0);
  expect_error([&] { read_idx_images(with(b)); }, "unexpected bytes");
  expect_error([&] { read_idx_images(with({0, 0, 8})); }, "shorter than");
  expect_error([&] { read_idx_images(with(images_file(0, 2, 2))); }, "dimension 0 is 0");
  expect_error([&] { read_idx_images(dir.file("missing")); }, "missing");
  // 2^16 x 2^24 x 2^24 bytes wraps 64 bits to 0: a 16-byte header alone must not pass.
  expect_error(
      [&] {
        parse_idx_images({0, 0, 8, 3, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}, "wrap");
      },
      "wrap: header declares more than 2147483648 bytes");
}

TEST(Idx, LoadMnistChecksTheSplit) {
  test::TempDir dir;
  const auto put = [&](const std::string& prefix, uint32_t n, const std::vector<uint8_t>& labels) {
    test::write_bytes(dir.file(prefix + "-images-idx3-ubyte"), images_file(n, 2, 2));
    test::write_bytes(dir.file(prefix + "-labels-idx1-ubyte"), labels_file(labels));
  };
  put("train", 3, {1, 2, 3});
  put("t10k", 2, {4, 5});
  const Mnist m = load_mnist(dir.path());
  EXPECT_EQ(m.train.labels.size(), 3u);
  EXPECT_EQ(m.test.images.count, 2u);
  put("t10k", 2, {4});
  expect_error([&] { load_mnist(dir.path()); }, "2 images but");
  put("t10k", 2, {4, 10});
  expect_error([&] { load_mnist(dir.path()); }, "label 10 of item 1 is not a digit");
}

TEST(Classify, QuantisesPixelsAndPicksTheFirstMaximum) {
  IdxImages img;
  img.count = 1;
  img.rows = 1;
  img.cols = 3;
  img.pixels = {0, 255, 128};
  EXPECT_EQ(quantize_pixels(img, 0, 8), (std::vector<int16_t>{0, 256, 129}));  // 128/255*256
  EXPECT_EQ(predicted_class({3, 9, 9, -1}), 1);
  EXPECT_EQ(predicted_class({-5, -7}), 0);
}

}  // namespace
}  // namespace eie
