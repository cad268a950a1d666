#include "eie/idx.h"

#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/limits.h"

namespace eie {

namespace {

// Far beyond any real IDX file (MNIST's training images are 47 MB), small enough for 32-bit counts.
constexpr uint64_t kMaxItems = uint64_t{1} << 31;

uint32_t be32(const std::vector<uint8_t>& b, size_t at) {
  return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 | b[at + 3];
}

// Checks the magic (0x00 0x00 0x08 dims) and returns the dimension sizes.
std::vector<uint32_t> read_header(const std::vector<uint8_t>& b, const std::string& path,
                                  uint8_t dims, const char* what) {
  require(b.size() >= 4, "{}: not an IDX file (shorter than its 4-byte magic)", path);
  require(b[0] == 0 && b[1] == 0, "{}: not an IDX file (magic bytes {:02x} {:02x}, expected 00 00)",
          path, b[0], b[1]);
  require(b[2] == 0x08, "{}: IDX data type 0x{:02x} is not unsigned byte (0x08)", path, b[2]);
  require(b[3] == dims, "{}: {} dimensions, expected {} for {}", path, b[3], dims, what);
  require(b.size() >= 4 + 4 * size_t{dims}, "{}: truncated IDX header", path);
  std::vector<uint32_t> sizes;
  uint64_t total = 1;
  for (uint8_t d = 0; d < dims; ++d) {
    sizes.push_back(be32(b, 4 + 4 * size_t{d}));
    require(sizes.back() > 0 && sizes.back() <= (1u << 24), "{}: dimension {} is {}", path, d,
            sizes.back());
    total *= sizes.back();
    // Three dimensions of up to 2^24 could wrap 64 bits and match a short file.
    require(total <= kMaxItems, "{}: header declares more than {} bytes of data", path, kMaxItems);
  }
  const uint64_t expected = 4 + 4 * uint64_t{dims} + total;
  require(b.size() >= expected, "{}: truncated: header declares {} bytes of data, {} present", path,
          total, b.size() - (4 + 4 * size_t{dims}));
  require(b.size() == expected, "{}: {} unexpected bytes after the data", path,
          b.size() - expected);
  return sizes;
}

// Header (magic and dimensions) plus the data the dimensions declare; past a bad magic or a
// declared size over the limit, nothing more is read (the parser names the problem).
uint64_t idx_size_bound(const std::vector<uint8_t>& b) {
  if (b.size() < 4) return kMaxIdxFileBytes;
  if (b[0] != 0 || b[1] != 0 || b[2] != 0x08 || b[3] == 0 || b[3] > 3) return 4;
  const size_t header = 4 + 4 * size_t{b[3]};
  if (b.size() < header) return header;
  uint64_t total = 1;
  for (size_t d = 0; d < b[3]; ++d) {
    total *= be32(b, 4 + 4 * d);
    if (total > kMaxItems) return header;  // the parser names the size
  }
  return header + total;
}

std::vector<uint8_t> read_idx(const std::string& path) {
  return read_file(path, kMaxIdxFileBytes, "IDX file", idx_size_bound);
}

}  // namespace

IdxImages read_idx_images(const std::string& path) {
  return parse_idx_images(read_idx(path), path);
}

std::vector<uint8_t> read_idx_labels(const std::string& path) {
  return parse_idx_labels(read_idx(path), path);
}

IdxImages parse_idx_images(const std::vector<uint8_t>& b, const std::string& path) {
  const std::vector<uint32_t> s = read_header(b, path, 3, "images");
  IdxImages img;
  img.count = s[0];
  img.rows = s[1];
  img.cols = s[2];
  img.pixels.assign(b.begin() + 16, b.end());
  return img;
}

std::vector<uint8_t> parse_idx_labels(const std::vector<uint8_t>& b, const std::string& path) {
  read_header(b, path, 1, "labels");
  return std::vector<uint8_t>(b.begin() + 8, b.end());
}

std::vector<std::string> mnist_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const char* prefix : {"train", "t10k"}) {
    for (const char* kind : {"images-idx3", "labels-idx1"}) {
      files.push_back(fmt::format("{}/{}-{}-ubyte", dir, prefix, kind));
    }
  }
  return files;
}

Mnist load_mnist(const std::string& dir) {
  Mnist m;
  const std::vector<std::string> files = mnist_files(dir);
  const auto load = [&](size_t first, LabelledSet& set) {
    const std::string& images = files[first];
    const std::string& labels = files[first + 1];
    set.images = read_idx_images(images);
    set.labels = read_idx_labels(labels);
    require(set.images.count == set.labels.size(), "{}: {} images but {} has {} labels", images,
            set.images.count, labels, set.labels.size());
    for (size_t i = 0; i < set.labels.size(); ++i) {
      require(set.labels[i] <= 9, "{}: label {} of item {} is not a digit", labels, set.labels[i],
              i);
    }
  };
  load(0, m.train);
  load(2, m.test);
  require(m.train.images.size() == m.test.images.size(),
          "{}: train images are {}x{} but test images {}x{}", dir, m.train.images.rows,
          m.train.images.cols, m.test.images.rows, m.test.images.cols);
  return m;
}

}  // namespace eie
