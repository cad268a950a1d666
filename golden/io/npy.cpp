#include "eie/npy.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/limits.h"

namespace eie {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = sizeof(kMagic) - 1;
// NumPy itself refuses headers over 10,000 bytes by default; a real one is under 200.
constexpr size_t kMaxHeaderBytes = size_t{1} << 20;
// NumPy pads the header so the data starts on a 64-byte boundary (lets readers mmap and align).
constexpr size_t kArrayAlign = 64;
// NumPy reserves room for the first axis to grow to this many digits (in-place appends).
constexpr size_t kGrowthAxisMaxDigits = 21;
// Bounds recursion on hostile headers such as "((((((...".
constexpr int kMaxNesting = 32;

std::string format_shape(const std::vector<size_t>& shape) {
  // Python's tuple repr, so messages match what the user sees in NumPy.
  if (shape.empty()) return "()";
  if (shape.size() == 1) return fmt::format("({},)", shape[0]);
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + ")";
}

// Product of the dimensions; false on size_t overflow.
bool shape_product(const std::vector<size_t>& shape, size_t* count) {
  size_t n = 1;
  for (size_t d : shape) {
    if (d != 0 && n > std::numeric_limits<size_t>::max() / d) return false;
    n *= d;
  }
  *count = n;
  return true;
}

// The subset of Python literals a .npy header can contain. Parsed generically so that key order,
// spacing, quoting style and trailing commas do not matter, and then validated.
struct PyValue {
  enum class Type { kString, kBool, kInt, kNone, kTuple, kList };
  Type type = Type::kNone;
  std::string text;  // string contents or integer literal (sign and digits)
  bool flag = false;
  std::vector<PyValue> items;
};

const char* type_name(const PyValue& v) {
  switch (v.type) {
    case PyValue::Type::kString:
      return "a string";
    case PyValue::Type::kBool:
      return "a bool";
    case PyValue::Type::kInt:
      return "an integer";
    case PyValue::Type::kNone:
      return "None";
    case PyValue::Type::kTuple:
      return "a tuple";
    case PyValue::Type::kList:
      return "a list";
  }
  return "?";
}

// The header as a Python-style literal for messages: padding dropped, control and non-ASCII
// bytes escaped, and long headers cut short so one bad file cannot flood the terminal.
std::string quote(std::string_view text) {
  constexpr size_t kMaxShown = 200;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  out += text.size() > kMaxShown ? "\"..." : "\"";
  return out;
}

class HeaderParser {
 public:
  HeaderParser(const std::string& path, std::string_view text) : path_(path), text_(text) {}

  std::vector<std::pair<std::string, PyValue>> parse_dict() {
    skip_space();
    if (!consume('{')) error("expected a dict literal starting with '{'");
    std::vector<std::pair<std::string, PyValue>> entries;
    skip_space();
    while (!consume('}')) {
      const size_t key_pos = pos_;
      PyValue key = parse_value(0);
      if (key.type != PyValue::Type::kString) error_at(key_pos, "dict keys must be strings");
      skip_space();
      if (!consume(':')) error(fmt::format("expected ':' after key '{}'", key.text));
      PyValue value = parse_value(0);
      entries.emplace_back(std::move(key.text), std::move(value));
      skip_space();
      if (consume(',')) {
        skip_space();  // a trailing comma before '}' is valid Python (and what NumPy writes)
      } else if (peek() != '}') {
        error("expected ',' or '}' in dict");
      }
    }
    skip_space();
    if (pos_ != text_.size()) error("unexpected text after the dict");
    return entries;
  }

 private:
  [[noreturn]] void error_at(size_t pos, const std::string& problem) const {
    fail("{}: malformed .npy header: {} (at column {} of {})", path_, problem, pos + 1,
         quote(text_));
  }
  [[noreturn]] void error(const std::string& problem) const { error_at(pos_, problem); }

  int peek() const { return pos_ < text_.size() ? static_cast<unsigned char>(text_[pos_]) : -1; }
  bool consume(char c) {
    if (peek() != static_cast<unsigned char>(c)) return false;
    ++pos_;
    return true;
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  PyValue parse_value(int depth) {
    if (depth > kMaxNesting) error("nested too deeply");
    skip_space();
    const int c = peek();
    if (c == '\'' || c == '"') return parse_string();
    if (c == '(') return parse_sequence(PyValue::Type::kTuple, ')', depth);
    if (c == '[') return parse_sequence(PyValue::Type::kList, ']', depth);
    if (c == '-' || c == '+' || (c >= '0' && c <= '9')) return parse_int();
    if (c == '_' || (c >= 0 && std::isalpha(c))) return parse_name();
    if (c < 0) error("unexpected end of header");
    error(c >= 0x20 && c < 0x7F ? fmt::format("unexpected character '{}'", static_cast<char>(c))
                                : fmt::format("unexpected character 0x{:02x}", c));
  }

  PyValue parse_string() {
    const char quote = text_[pos_++];
    PyValue v;
    v.type = PyValue::Type::kString;
    for (;;) {
      if (pos_ >= text_.size() || text_[pos_] == '\n') error("unterminated string");
      const char c = text_[pos_++];
      if (c == quote) break;
      if (c == '\\') {
        // Only needed for odd dtype strings; the escaped character is kept literally.
        if (pos_ >= text_.size()) error("unterminated string");
        v.text += text_[pos_++];
      } else {
        v.text += c;
      }
    }
    return v;
  }

  PyValue parse_int() {
    PyValue v;
    v.type = PyValue::Type::kInt;
    if (peek() == '-' || peek() == '+') v.text += text_[pos_++];
    const size_t digits_start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') v.text += text_[pos_++];
    if (pos_ == digits_start) error("expected digits after sign");
    const int next = peek();
    if (next == '.' || next == '_' || (next >= 0 && std::isalnum(next))) {
      error("malformed integer (only plain decimal integers are allowed)");
    }
    return v;
  }

  PyValue parse_name() {
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           (text_[pos_] == '_' || std::isalnum(static_cast<unsigned char>(text_[pos_])))) {
      ++pos_;
    }
    const std::string_view name = text_.substr(start, pos_ - start);
    PyValue v;
    if (name == "True" || name == "False") {
      v.type = PyValue::Type::kBool;
      v.flag = name == "True";
    } else if (name == "None") {
      v.type = PyValue::Type::kNone;
    } else {
      error_at(start, fmt::format("unexpected name '{}'", name));
    }
    return v;
  }

  PyValue parse_sequence(PyValue::Type type, char close, int depth) {
    ++pos_;  // the opening bracket
    PyValue v;
    v.type = type;
    bool saw_comma = false;
    skip_space();
    while (!consume(close)) {
      v.items.push_back(parse_value(depth + 1));
      skip_space();
      if (consume(',')) {
        saw_comma = true;
        skip_space();
      } else if (peek() != static_cast<unsigned char>(close)) {
        error(fmt::format("expected ',' or '{}'", close));
      }
    }
    // In Python "(3)" is just the integer 3 in parentheses, not a tuple.
    if (type == PyValue::Type::kTuple && v.items.size() == 1 && !saw_comma) {
      return std::move(v.items[0]);
    }
    return v;
  }

  const std::string& path_;
  std::string_view text_;
  size_t pos_ = 0;
};

struct Header {
  std::string descr;
  std::vector<size_t> shape;
};

size_t parse_dimension(const std::string& path, const PyValue& item) {
  const std::string& text = item.text;
  const bool negative = text[0] == '-';
  const size_t start = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  size_t value = 0;
  for (size_t i = start; i < text.size(); ++i) {
    const size_t digit = static_cast<size_t>(text[i] - '0');
    if (value > (std::numeric_limits<size_t>::max() - digit) / 10) {
      fail("{}: dimension {} in shape is too large", path, text);
    }
    value = value * 10 + digit;
  }
  if (negative && value != 0) fail("{}: negative dimension {} in shape", path, text);
  return value;
}

Header parse_header(const std::string& path, std::string_view text) {
  HeaderParser parser(path, text);
  const auto entries = parser.parse_dict();

  const PyValue* descr = nullptr;
  const PyValue* fortran = nullptr;
  const PyValue* shape = nullptr;
  for (const auto& [key, value] : entries) {
    const PyValue** slot = key == "descr"           ? &descr
                           : key == "fortran_order" ? &fortran
                           : key == "shape"         ? &shape
                                                    : nullptr;
    if (slot == nullptr) {
      fail(
          "{}: malformed .npy header: unexpected key '{}' (expected 'descr', 'fortran_order' and "
          "'shape')",
          path, key);
    }
    if (*slot != nullptr) fail("{}: malformed .npy header: duplicate key '{}'", path, key);
    *slot = &value;
  }
  const std::pair<const char*, const PyValue*> required[] = {
      {"descr", descr}, {"fortran_order", fortran}, {"shape", shape}};
  for (const auto& [name, value] : required) {
    if (value == nullptr) fail("{}: malformed .npy header: missing key '{}'", path, name);
  }

  Header h;
  if (descr->type == PyValue::Type::kList) {
    fail("{}: structured (record) dtypes are not supported; save a plain numeric array", path);
  }
  if (descr->type != PyValue::Type::kString) {
    fail("{}: malformed .npy header: 'descr' must be a string, got {}", path, type_name(*descr));
  }
  h.descr = descr->text;

  if (fortran->type != PyValue::Type::kBool) {
    fail("{}: malformed .npy header: 'fortran_order' must be True or False, got {}", path,
         type_name(*fortran));
  }
  if (fortran->flag) {
    fail("{}: Fortran-order arrays are not supported; save with np.ascontiguousarray", path);
  }

  if (shape->type != PyValue::Type::kTuple) {
    fail("{}: malformed .npy header: 'shape' must be a tuple of non-negative integers, got {}",
         path, type_name(*shape));
  }
  for (const PyValue& item : shape->items) {
    if (item.type != PyValue::Type::kInt) {
      fail(
          "{}: malformed .npy header: 'shape' must be a tuple of non-negative integers, got {} "
          "in it",
          path, type_name(item));
    }
    h.shape.push_back(parse_dimension(path, item));
  }
  return h;
}

// Bytes per element of an accepted dtype; throws for everything else.
size_t item_size(const std::string& path, const std::string& descr, NpyKind kind) {
  const bool int16_ok = kind == NpyKind::kFloatOrInt16;
  const char* expected =
      int16_ok ? "float32 '<f4', float64 '<f8' or int16 '<i2'" : "float32 '<f4' or float64 '<f8'";
  if (descr == "<f4") return 4;
  if (descr == "<f8") return 8;
  if (descr == "<i2" && int16_ok) return 2;
  if (!descr.empty() && descr[0] == '>') {
    fail(
        "{}: dtype '{}' is big-endian, not supported (expected {}); convert with "
        "arr.astype(arr.dtype.newbyteorder('<'))",
        path, descr, expected);
  }
  fail("{}: dtype '{}' not supported (expected {})", path, descr, expected);
}

uint64_t load_le(const uint8_t* p, size_t n) {
  // Assembled byte by byte so the result does not depend on the host's byte order.
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

void store_le(std::vector<uint8_t>& out, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// NumPy's version 1.0 header for a C-order array, byte for byte as np.save writes it.
std::vector<uint8_t> make_header(const std::string& path, const char* descr,
                                 const std::vector<size_t>& shape, size_t value_count) {
  size_t count = 0;
  if (!shape_product(shape, &count)) {
    fail("{}: shape {} has too many elements", path, format_shape(shape));
  }
  require(count == value_count, "{}: shape {} holds {} values but {} were given", path,
          format_shape(shape), count, value_count);

  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", descr,
                                 format_shape(shape));
  if (!shape.empty()) dict.append(kGrowthAxisMaxDigits - std::to_string(shape[0]).size(), ' ');
  const size_t prefix = kMagicLen + 2 + 2;  // magic, version, u16 header length
  const size_t hlen = dict.size() + 1;      // + the final '\n'
  // Never 0: NumPy adds a full 64 bytes when the header is already aligned.
  const size_t padlen = kArrayAlign - (prefix + hlen) % kArrayAlign;
  const size_t header_len = hlen + padlen;
  require(header_len <= 0xFFFF, "{}: shape {} needs a header longer than a version 1.0 file allows",
          path, format_shape(shape));

  std::vector<uint8_t> out(kMagic, kMagic + kMagicLen);
  out.push_back(1);
  out.push_back(0);
  store_le(out, header_len, 2);
  out.insert(out.end(), dict.begin(), dict.end());
  out.insert(out.end(), padlen, ' ');
  out.push_back('\n');
  return out;
}

}  // namespace

namespace {

// The size the preamble and header declare: preamble + header + shape x item size. A head the
// parser will reject ends the read where it is; a header or data larger than the reader takes
// is refused before it is read.
uint64_t npy_size_bound(const std::vector<uint8_t>& head, NpyKind kind) {
  if (head.size() < kMagicLen + 2) return kMaxNpyFileBytes;
  if (std::memcmp(head.data(), kMagic, kMagicLen) != 0) return kMagicLen;
  const unsigned major = head[kMagicLen];
  if (!((major == 1 || major == 2 || major == 3) && head[kMagicLen + 1] == 0)) {
    return kMagicLen + 2;
  }
  const size_t len_size = major == 1 ? 2 : 4;
  const size_t prefix = kMagicLen + 2 + len_size;
  if (head.size() < prefix) return kMaxNpyFileBytes;
  const uint64_t header_len = load_le(head.data() + kMagicLen + 2, len_size);
  if (header_len > kMaxHeaderBytes) return prefix;  // the parser names the header length
  if (head.size() < prefix + header_len) return kMaxNpyFileBytes;
  Header header;
  size_t item = 0;
  try {
    header = parse_header("", std::string_view(reinterpret_cast<const char*>(head.data() + prefix),
                                               static_cast<size_t>(header_len)));
    item = item_size("", header.descr, kind);
  } catch (const Error&) {
    return prefix + header_len;  // a header the parser rejects, naming the problem
  }
  size_t count = 0;
  if (!shape_product(header.shape, &count)) return prefix + header_len;  // "too many elements"
  if (count > kMaxNpyFileBytes / item) {
    fail("shape {} declares more data than the {} bytes a .npy file may hold",
         format_shape(header.shape), kMaxNpyFileBytes);
  }
  return prefix + header_len + uint64_t{count} * item;
}

}  // namespace

NpyArray read_npy(const std::string& path, NpyKind kind) {
  const auto bound = [kind](const std::vector<uint8_t>& head) {
    return npy_size_bound(head, kind);
  };
  return parse_npy(read_file(path, kMaxNpyFileBytes, ".npy file", bound), path, kind);
}

NpyArray parse_npy(const std::vector<uint8_t>& bytes, const std::string& path, NpyKind kind) {
  if (bytes.size() < kMagicLen || std::memcmp(bytes.data(), kMagic, kMagicLen) != 0) {
    fail("{}: not a .npy file (bad magic)", path);
  }
  if (bytes.size() < kMagicLen + 2) fail("{}: truncated: file ends inside the .npy preamble", path);
  const unsigned major = bytes[kMagicLen];
  const unsigned minor = bytes[kMagicLen + 1];
  if (!((major == 1 || major == 2 || major == 3) && minor == 0)) {
    fail("{}: unsupported .npy format version {}.{} (expected 1.0, 2.0 or 3.0)", path, major,
         minor);
  }
  const size_t len_size = major == 1 ? 2 : 4;  // 2.0 and 3.0 widened the header length to u32
  const size_t prefix = kMagicLen + 2 + len_size;
  if (bytes.size() < prefix) fail("{}: truncated: file ends inside the .npy preamble", path);
  const size_t header_len = static_cast<size_t>(load_le(bytes.data() + kMagicLen + 2, len_size));
  if (header_len > kMaxHeaderBytes) {
    fail("{}: preamble declares a {}-byte header; this reader takes at most {}", path, header_len,
         kMaxHeaderBytes);
  }
  if (bytes.size() - prefix < header_len) {
    fail("{}: truncated: preamble declares a {}-byte header but only {} bytes follow", path,
         header_len, bytes.size() - prefix);
  }

  const std::string_view text(reinterpret_cast<const char*>(bytes.data() + prefix), header_len);
  Header header = parse_header(path, text);
  const size_t item = item_size(path, header.descr, kind);

  size_t count = 0;
  if (!shape_product(header.shape, &count) || count > std::numeric_limits<size_t>::max() / item) {
    fail("{}: shape {} has too many elements", path, format_shape(header.shape));
  }
  if (count > kMaxNpyFileBytes / item) {
    fail("{}: shape {} declares more data than the {} bytes a .npy file may hold", path,
         format_shape(header.shape), kMaxNpyFileBytes);
  }
  const size_t data_bytes = count * item;
  const size_t available = bytes.size() - prefix - header_len;
  if (available < data_bytes) {
    fail("{}: truncated: header declares {} values ({} bytes) but {} data bytes follow", path,
         count, data_bytes, available);
  }
  if (available > data_bytes) {
    fail("{}: trailing bytes: header declares {} values ({} bytes) but {} data bytes follow", path,
         count, data_bytes, available);
  }

  NpyArray array;
  array.dtype = std::move(header.descr);
  array.shape = std::move(header.shape);
  array.values.resize(count);
  const uint8_t* p = bytes.data() + prefix + header_len;
  for (size_t i = 0; i < count; ++i, p += item) {
    if (item == 4) {
      const auto bits = static_cast<uint32_t>(load_le(p, 4));
      float f;
      std::memcpy(&f, &bits, sizeof f);
      array.values[i] = f;
    } else if (item == 8) {
      const uint64_t bits = load_le(p, 8);
      double d;
      std::memcpy(&d, &bits, sizeof d);
      array.values[i] = d;
    } else {
      array.values[i] = static_cast<int16_t>(static_cast<uint16_t>(load_le(p, 2)));
    }
  }
  return array;
}

NpyArray read_npy_dims(const std::string& path, size_t dims, const std::string& what,
                       NpyKind kind) {
  NpyArray array = read_npy(path, kind);
  require(array.shape.size() == dims, "{}: expected a {}-D array for {}, got shape {}", path, dims,
          what, format_shape(array.shape));
  return array;
}

void write_npy_f32(const std::string& path, const std::vector<size_t>& shape,
                   const std::vector<float>& values) {
  std::vector<uint8_t> out = make_header(path, "<f4", shape, values.size());
  out.reserve(out.size() + values.size() * 4);
  for (float f : values) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    store_le(out, bits, 4);
  }
  write_output(path, out);
}

void write_npy_i16(const std::string& path, const std::vector<size_t>& shape,
                   const std::vector<int16_t>& values) {
  std::vector<uint8_t> out = make_header(path, "<i2", shape, values.size());
  out.reserve(out.size() + values.size() * 2);
  for (int16_t v : values) store_le(out, static_cast<uint16_t>(v), 2);
  write_output(path, out);
}

}  // namespace eie
