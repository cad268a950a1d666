// Tests for the .npy reader and writers: round trips,
// byte-exact files as NumPy writes them, and one test per rejection path.
#include "eie/npy.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "eie/error.h"
#include "eie/file_io.h"
#include "test_util.h"

namespace eie {
namespace {

using test::error_message;
using test::TempDir;

std::vector<uint8_t> to_bytes(const std::string& s) { return {s.begin(), s.end()}; }

void append(std::vector<uint8_t>& out, const std::vector<uint8_t>& more) {
  out.insert(out.end(), more.begin(), more.end());
}

std::vector<uint8_t> f32_bytes(const std::vector<float>& values) {
  std::vector<uint8_t> out;
  for (float f : values) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(bits >> (8 * i)));
  }
  return out;
}

// A .npy file with the header text exactly as given (no padding added), so tests control every
// byte. Versions 2.0 and 3.0 use a 4-byte header length.
std::vector<uint8_t> npy_file(const std::string& header, const std::vector<uint8_t>& data,
                              uint8_t major = 1, uint8_t minor = 0) {
  std::vector<uint8_t> out = to_bytes(std::string("\x93NUMPY", 6));
  out.push_back(major);
  out.push_back(minor);
  const size_t len_size = major == 1 ? 2 : 4;
  for (size_t i = 0; i < len_size; ++i) {
    out.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  }
  append(out, to_bytes(header));
  append(out, data);
  return out;
}

std::string f4_header(const std::string& shape) {
  return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }\n";
}

::testing::AssertionResult Contains(const std::string& text, const std::string& phrase) {
  if (text.find(phrase) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "message \"" << text << "\" lacks \"" << phrase << "\"";
}

class NpyTest : public ::testing::Test {
 protected:
  // Writes bytes to w.npy, requires read_npy to reject it, and checks the message starts with the
  // path and contains the phrase.
  std::string reject(const std::vector<uint8_t>& file, const std::string& phrase,
                     NpyKind kind = NpyKind::kFloat) {
    test::write_bytes(path_, file);
    std::string message = error_message([&] { read_npy(path_, kind); });
    EXPECT_EQ(message.rfind(path_ + ": ", 0), 0u) << message;
    EXPECT_TRUE(Contains(message, phrase));
    return message;
  }

  NpyArray accept(const std::vector<uint8_t>& file, NpyKind kind = NpyKind::kFloat) {
    test::write_bytes(path_, file);
    return read_npy(path_, kind);
  }

  TempDir dir_;
  const std::string path_ = dir_.file("w.npy");
};

// ---------------------------------------------------------------------------------------------
// Round trips through the writers

TEST_F(NpyTest, RoundTrip1D) {
  const std::vector<float> values = {1.0f, -2.5f, 0.1f, 3.4028235e38f, 1e-45f};
  write_npy_f32(path_, {5}, values);
  const NpyArray a = read_npy(path_);
  EXPECT_EQ(a.dtype, "<f4");
  EXPECT_EQ(a.shape, std::vector<size_t>{5});
  ASSERT_EQ(a.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(a.values[i], double{values[i]}) << i;
}

TEST_F(NpyTest, RoundTrip2DKeepsCOrder) {
  const std::vector<float> values = {0, 1, 2, 3, 4, 5};
  write_npy_f32(path_, {2, 3}, values);
  const NpyArray a = read_npy(path_);
  EXPECT_EQ(a.shape, (std::vector<size_t>{2, 3}));
  EXPECT_EQ(a.values, (std::vector<double>{0, 1, 2, 3, 4, 5}));
}

TEST_F(NpyTest, RoundTripScalar) {
  write_npy_f32(path_, {}, {42.5f});
  const NpyArray a = read_npy(path_);
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.values, std::vector<double>{42.5});
}

TEST_F(NpyTest, RoundTripEmptyDimensions) {
  // Zero-length dimensions are supported: such an array simply holds no values.
  write_npy_f32(path_, {0}, {});
  NpyArray a = read_npy(path_);
  EXPECT_EQ(a.shape, std::vector<size_t>{0});
  EXPECT_TRUE(a.values.empty());

  write_npy_f32(path_, {2, 0}, {});
  a = read_npy(path_);
  EXPECT_EQ(a.shape, (std::vector<size_t>{2, 0}));
  EXPECT_TRUE(a.values.empty());
}

TEST_F(NpyTest, RoundTripInt16) {
  const std::vector<int16_t> values = {0, 1, -1, 32767, -32768, 1234};
  write_npy_i16(path_, {3, 2}, values);
  const NpyArray a = read_npy(path_, NpyKind::kFloatOrInt16);
  EXPECT_EQ(a.dtype, "<i2");
  EXPECT_EQ(a.shape, (std::vector<size_t>{3, 2}));
  EXPECT_EQ(a.values, (std::vector<double>{0, 1, -1, 32767, -32768, 1234}));
}

TEST_F(NpyTest, RoundTripKeepsNanInfAndNegativeZero) {
  const float inf = std::numeric_limits<float>::infinity();
  write_npy_f32(path_, {4}, {std::numeric_limits<float>::quiet_NaN(), inf, -inf, -0.0f});
  const NpyArray a = read_npy(path_);
  EXPECT_TRUE(std::isnan(a.values[0]));
  EXPECT_EQ(a.values[1], std::numeric_limits<double>::infinity());
  EXPECT_EQ(a.values[2], -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::signbit(a.values[3]));
}

// ---------------------------------------------------------------------------------------------
// Writer output, byte for byte

TEST_F(NpyTest, WrittenHeaderMatchesNumPyByteForByte) {
  write_npy_f32(path_, {2, 3}, {1, 2, 3, 4, 5, 6});
  const std::vector<uint8_t> bytes = test::read_bytes(path_);
  // np.save(np.zeros((2, 3), np.float32)): header_len 118 = 0x76, data at offset 128.
  std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                         "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  expected.resize(127, ' ');
  expected += '\n';
  ASSERT_EQ(bytes.size(), 128u + 6 * 4);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 128), expected);
  // 1.0f little-endian, then the rest of the data.
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin() + 128, bytes.begin() + 132),
            (std::vector<uint8_t>{0x00, 0x00, 0x80, 0x3F}));
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin() + 128, bytes.end()), f32_bytes({1, 2, 3, 4, 5, 6}));
}

TEST_F(NpyTest, WrittenInt16HeaderMatchesNumPy) {
  write_npy_i16(path_, {3}, {1, -2, 3});
  const std::vector<uint8_t> bytes = test::read_bytes(path_);
  std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                         "{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }";
  expected.resize(127, ' ');
  expected += '\n';
  ASSERT_EQ(bytes.size(), 128u + 3 * 2);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 128), expected);
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin() + 128, bytes.end()),
            (std::vector<uint8_t>{0x01, 0x00, 0xFE, 0xFF, 0x03, 0x00}));
}

TEST_F(NpyTest, WrittenScalarHeaderMatchesNumPy) {
  write_npy_f32(path_, {}, {1.0f});
  const std::vector<uint8_t> bytes = test::read_bytes(path_);
  std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) +
                         "{'descr': '<f4', 'fortran_order': False, 'shape': (), }";
  expected.resize(127, ' ');
  expected += '\n';
  ASSERT_EQ(bytes.size(), 128u + 4);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 128), expected);
}

TEST_F(NpyTest, WrittenHeadersAreAlignedTo64Bytes) {
  const std::vector<std::vector<size_t>> shapes = {
      {}, {0}, {7}, {0, 123456789012}, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}};
  for (const auto& shape : shapes) {
    size_t count = 1;
    for (size_t d : shape) count *= d;
    write_npy_f32(path_, shape, std::vector<float>(count, 1.0f));
    const std::vector<uint8_t> bytes = test::read_bytes(path_);
    ASSERT_GE(bytes.size(), 10u);
    EXPECT_EQ(bytes[6], 1);
    EXPECT_EQ(bytes[7], 0);
    const size_t header_len = bytes[8] | (size_t{bytes[9]} << 8);
    EXPECT_EQ((10 + header_len) % 64, 0u) << header_len;
    EXPECT_EQ(bytes[10 + header_len - 1], '\n');
    EXPECT_EQ(bytes.size(), 10 + header_len + 4 * count);
    EXPECT_EQ(read_npy(path_).shape, shape);
  }
}

TEST_F(NpyTest, WriterAddsFullPaddingWhenHeaderIsAlreadyAligned) {
  // NumPy's padding is 64 - (10 + len) % 64, never 0: here the unpadded header (117 characters
  // with the growth spaces, plus '\n') ends exactly on 128, so 64 spaces are added.
  std::vector<size_t> shape = {0};
  shape.insert(shape.end(), 12, 1);
  shape.push_back(100);
  write_npy_f32(path_, shape, {});
  const std::vector<uint8_t> bytes = test::read_bytes(path_);
  ASSERT_EQ(bytes.size(), 192u);
  EXPECT_EQ(bytes[8] | (bytes[9] << 8), 182);
}

TEST_F(NpyTest, WriterRejectsShapeValueCountMismatch) {
  const std::string message = error_message([&] { write_npy_f32(path_, {2, 3}, {1, 2, 3}); });
  EXPECT_TRUE(Contains(message, path_));
  EXPECT_TRUE(Contains(message, "shape (2, 3) holds 6 values but 3 were given"));
  EXPECT_FALSE(test::file_exists(path_));

  EXPECT_TRUE(Contains(error_message([&] { write_npy_f32(path_, {}, {}); }),
                       "shape () holds 1 values but 0 were given"));
  EXPECT_TRUE(Contains(error_message([&] { write_npy_i16(path_, {4}, {1}); }),
                       "shape (4,) holds 4 values but 1 were given"));
}

TEST_F(NpyTest, WriterRejectsShapeOverflow) {
  const size_t big = size_t{1} << 40;
  const std::string message = error_message([&] { write_npy_f32(path_, {big, big}, {}); });
  EXPECT_TRUE(Contains(message, "too many elements"));
}

TEST_F(NpyTest, WriterIntoMissingDirectoryLeavesNothing) {
  const std::string path = dir_.file("missing/w.npy");
  EXPECT_TRUE(Contains(error_message([&] { write_npy_f32(path, {1}, {1}); }), path));
  EXPECT_TRUE(test::list_dir(dir_.path()).empty());
}

// ---------------------------------------------------------------------------------------------
// Reading hand-built files

TEST_F(NpyTest, ReadsHandBuiltFloat64) {
  // 1.5 = 0x3FF8000000000000, -2.25 = 0xC002000000000000, little-endian.
  const NpyArray a = accept(npy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n",
                                     {0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, 0, 0, 0, 0, 0, 0x02, 0xC0}));
  EXPECT_EQ(a.dtype, "<f8");
  EXPECT_EQ(a.shape, std::vector<size_t>{2});
  EXPECT_EQ(a.values, (std::vector<double>{1.5, -2.25}));
}

TEST_F(NpyTest, ReadsHandBuiltFloat32) {
  const NpyArray a = accept(npy_file(f4_header("(2,)"), {0, 0, 0x80, 0x3F, 0, 0, 0x20, 0xC1}));
  EXPECT_EQ(a.values, (std::vector<double>{1.0, -10.0}));
}

TEST_F(NpyTest, ReadsHandBuiltInt16) {
  const NpyArray a = accept(npy_file("{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }\n",
                                     {0x01, 0x00, 0xFE, 0xFF, 0xFF, 0x7F}),
                            NpyKind::kFloatOrInt16);
  EXPECT_EQ(a.dtype, "<i2");
  EXPECT_EQ(a.values, (std::vector<double>{1, -2, 32767}));
}

TEST_F(NpyTest, ReadsVersion2Header) {
  const NpyArray a = accept(npy_file(f4_header("(1, 2)"), f32_bytes({3, 4}), 2));
  EXPECT_EQ(a.shape, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(a.values, (std::vector<double>{3, 4}));
}

TEST_F(NpyTest, ReadsVersion3Header) {
  const NpyArray a = accept(npy_file(f4_header("(2,)"), f32_bytes({5, 6}), 3));
  EXPECT_EQ(a.values, (std::vector<double>{5, 6}));
}

TEST_F(NpyTest, ParsesKeysInAnyOrderWithOddSpacingAndQuotes) {
  const NpyArray a = accept(
      npy_file("{ \"shape\" :\t( 2 ,3 ) ,'fortran_order':False,\n 'descr'  :  \"<f4\" }  \n  ",
               f32_bytes({1, 2, 3, 4, 5, 6})));
  EXPECT_EQ(a.shape, (std::vector<size_t>{2, 3}));
  EXPECT_EQ(a.values.back(), 6.0);
}

TEST_F(NpyTest, AcceptsTrailingCommaInMultiDimensionalShape) {
  const NpyArray a = accept(npy_file(f4_header("(1, 2,)"), f32_bytes({1, 2})));
  EXPECT_EQ(a.shape, (std::vector<size_t>{1, 2}));
}

TEST_F(NpyTest, ReadsScalarShape) {
  const NpyArray a = accept(npy_file(f4_header("()"), f32_bytes({7})));
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.values, std::vector<double>{7});
}

TEST_F(NpyTest, ReadsZeroLengthArray) {
  const NpyArray a = accept(npy_file(f4_header("(3, 0)"), {}));
  EXPECT_EQ(a.shape, (std::vector<size_t>{3, 0}));
  EXPECT_TRUE(a.values.empty());
}

TEST_F(NpyTest, ReadsNanAndInfAsIs) {
  const NpyArray a = accept(npy_file(
      f4_header("(3,)"), {0x00, 0x00, 0xC0, 0x7F, 0x00, 0x00, 0x80, 0x7F, 0x00, 0x00, 0x80, 0xFF}));
  EXPECT_TRUE(std::isnan(a.values[0]));
  EXPECT_TRUE(std::isinf(a.values[1]) && a.values[1] > 0);
  EXPECT_TRUE(std::isinf(a.values[2]) && a.values[2] < 0);
}

TEST_F(NpyTest, ReadNpyOfMissingFileNamesPath) {
  EXPECT_TRUE(Contains(error_message([&] { read_npy(path_); }), path_));
}

// ---------------------------------------------------------------------------------------------
// Rejections: one per failure mode

TEST_F(NpyTest, RejectsBadMagic) {
  const std::string message = reject(to_bytes("PK\x03\x04 this is a zip, not an array"), "");
  EXPECT_EQ(message, path_ + ": not a .npy file (bad magic)");
}

TEST_F(NpyTest, RejectsEmptyFileAsBadMagic) { reject({}, "not a .npy file (bad magic)"); }

TEST_F(NpyTest, RejectsTruncatedPreamble) {
  reject(to_bytes(std::string("\x93NUMPY\x01", 7)), "truncated");
  reject(to_bytes(std::string("\x93NUMPY\x02\x00\x10\x00", 10)), "truncated");
}

TEST_F(NpyTest, RejectsUnsupportedVersion) {
  reject(npy_file(f4_header("(1,)"), f32_bytes({1}), 4),
         "unsupported .npy format version 4.0 (expected 1.0, 2.0 or 3.0)");
  reject(npy_file(f4_header("(1,)"), f32_bytes({1}), 1, 1), "unsupported .npy format version 1.1");
}

TEST_F(NpyTest, RejectsHeaderLongerThanFile) {
  std::vector<uint8_t> file = npy_file(f4_header("(1,)"), {});
  file[8] = 0xFF;  // header_len becomes 255, past the end of the file
  reject(file, "truncated: preamble declares");
}

TEST_F(NpyTest, RejectsMissingDescr) {
  reject(npy_file("{'fortran_order': False, 'shape': (1,), }\n", f32_bytes({1})),
         "missing key 'descr'");
}

TEST_F(NpyTest, RejectsMissingFortranOrder) {
  reject(npy_file("{'descr': '<f4', 'shape': (1,), }\n", f32_bytes({1})),
         "missing key 'fortran_order'");
}

TEST_F(NpyTest, RejectsMissingShape) {
  reject(npy_file("{'descr': '<f4', 'fortran_order': False}\n", f32_bytes({1})),
         "missing key 'shape'");
}

TEST_F(NpyTest, RejectsUnknownKey) {
  reject(
      npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n", f32_bytes({1})),
      "unexpected key 'x'");
}

TEST_F(NpyTest, RejectsDuplicateKey) {
  reject(npy_file("{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}\n",
                  f32_bytes({1})),
         "duplicate key 'descr'");
}

TEST_F(NpyTest, RejectsUnsupportedDtype) {
  const std::string message = reject(
      npy_file("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }\n", {1, 0, 0, 0}), "");
  EXPECT_EQ(message,
            path_ + ": dtype '<i4' not supported (expected float32 '<f4' or float64 '<f8')");
}

TEST_F(NpyTest, RejectsInt16WhenOnlyFloatsAllowed) {
  reject(npy_file("{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }\n", {1, 0}),
         "dtype '<i2' not supported (expected float32 '<f4' or float64 '<f8')");
}

TEST_F(NpyTest, RejectsOtherIntegersEvenWhenInt16Allowed) {
  reject(npy_file("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }\n", {1, 0, 0, 0}),
         "dtype '<i4' not supported (expected float32 '<f4', float64 '<f8' or int16 '<i2')",
         NpyKind::kFloatOrInt16);
}

TEST_F(NpyTest, RejectsBigEndian) {
  reject(
      npy_file("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", {0x3F, 0x80, 0, 0}),
      "dtype '>f4' is big-endian");
  reject(npy_file("{'descr': '>i2', 'fortran_order': False, 'shape': (1,), }\n", {0, 1}),
         "dtype '>i2' is big-endian", NpyKind::kFloatOrInt16);
}

TEST_F(NpyTest, RejectsNativeAndNotApplicableByteOrders) {
  for (const std::string descr : {"=f4", "|f4", "f4", "<f2", "<c8", "|u1", "float32"}) {
    reject(npy_file("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1,), }\n",
                    {0, 0, 0x80, 0x3F}),
           "dtype '" + descr + "' not supported");
  }
}

TEST_F(NpyTest, RejectsStructuredDtype) {
  reject(npy_file("{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, "
                  "'shape': (1,), }\n",
                  f32_bytes({1, 2})),
         "structured (record) dtypes are not supported");
}

TEST_F(NpyTest, RejectsNonStringDescr) {
  reject(npy_file("{'descr': 4, 'fortran_order': False, 'shape': (1,), }\n", f32_bytes({1})),
         "'descr' must be a string, got an integer");
}

TEST_F(NpyTest, RejectsFortranOrder) {
  const std::string message =
      reject(npy_file("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n",
                      f32_bytes({1, 2, 3, 4})),
             "");
  EXPECT_EQ(message,
            path_ + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
}

TEST_F(NpyTest, RejectsNonBoolFortranOrder) {
  reject(npy_file("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }\n", f32_bytes({1})),
         "'fortran_order' must be True or False, got an integer");
}

TEST_F(NpyTest, RejectsNegativeDimension) {
  reject(npy_file(f4_header("(-1, 3)"), {}), "negative dimension -1 in shape");
}

TEST_F(NpyTest, RejectsShapeThatIsNotATuple) {
  reject(npy_file(f4_header("[2, 3]"), f32_bytes({1, 2, 3, 4, 5, 6})),
         "'shape' must be a tuple of non-negative integers, got a list");
  // "(3)" is the integer 3 in Python, not a one-element tuple.
  reject(npy_file(f4_header("(3)"), f32_bytes({1, 2, 3})),
         "'shape' must be a tuple of non-negative integers, got an integer");
}

TEST_F(NpyTest, RejectsNonIntegerDimension) {
  reject(npy_file(f4_header("('a',)"), {}), "got a string in it");
  reject(npy_file(f4_header("(True,)"), {}), "got a bool in it");
  reject(npy_file(f4_header("(None,)"), {}), "got None in it");
  reject(npy_file(f4_header("(2.5,)"), {}), "malformed integer");
  reject(npy_file(f4_header("(0x10,)"), {}), "malformed integer");
}

TEST_F(NpyTest, RejectsMalformedShapeSyntax) {
  for (const std::string shape : {"(2 3)", "(,)", "(2,,)", "(2, 3", "(-,)"}) {
    reject(npy_file(f4_header(shape), {}), "malformed .npy header");
  }
}

TEST_F(NpyTest, RejectsMalformedDictSyntax) {
  const std::vector<std::string> headers = {
      "['descr', '<f4']\n",
      "{'descr' '<f4', 'fortran_order': False, 'shape': (1,)}\n",
      "{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}\n",
      "{'descr': '<f4' 'fortran_order': False, 'shape': (1,)}\n",
      "{'descr': '<f4', 'fortran_order': false, 'shape': (1,)}\n",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)}} \n",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)\n",
      "{1: '<f4', 'fortran_order': False, 'shape': (1,)}\n",
      "",
  };
  for (const std::string& header : headers) {
    SCOPED_TRACE(header);
    reject(npy_file(header, f32_bytes({1})), "malformed .npy header");
  }
}

TEST_F(NpyTest, RejectsControlAndNonAsciiBytesInHeader) {
  const std::string message = reject(npy_file("{'descr': '<f4', " + std::string(1, '\0') +
                                                  "'fortran_order': False, 'shape': (1,)}\n",
                                              f32_bytes({1})),
                                     "unexpected character");
  EXPECT_TRUE(Contains(message, "\\x00"));  // shown escaped, not as a raw NUL
  reject(npy_file("{'descr': '<f4', \xC3\xA9: False, 'shape': (1,)}\n", f32_bytes({1})),
         "unexpected character");
}

TEST_F(NpyTest, RejectsDeeplyNestedHeaderWithoutCrashing) {
  const std::string shape = std::string(100000, '(') + "1" + std::string(100000, ')');
  reject(npy_file(f4_header(shape), {}, 2), "nested too deeply");
}

TEST_F(NpyTest, RejectsShapeProductOverflow) {
  reject(npy_file(f4_header("(4294967296, 4294967296, 2)"), {}), "has too many elements");
  // The element count fits in 64 bits but the byte count does not: past the reader's limit.
  reject(npy_file(f4_header("(4611686018427387904,)"), {}), "declares more data than the");
}

TEST_F(NpyTest, RejectsDimensionTooLargeToRepresent) {
  reject(npy_file(f4_header("(99999999999999999999999,)"), {}),
         "dimension 99999999999999999999999 in shape is too large");
}

TEST_F(NpyTest, RejectsTruncatedData) {
  std::vector<uint8_t> data = f32_bytes(std::vector<float>(10, 1.0f));
  const std::string message = reject(npy_file(f4_header("(3, 4)"), data), "");
  EXPECT_EQ(message,
            path_ + ": truncated: header declares 12 values (48 bytes) but 40 data bytes follow");
}

TEST_F(NpyTest, RejectsTrailingBytes) {
  std::vector<uint8_t> data = f32_bytes({1, 2, 3});
  data.push_back(0);
  reject(npy_file(f4_header("(3,)"), data),
         "trailing bytes: header declares 3 values (12 bytes) but 13 data bytes follow");
}

TEST_F(NpyTest, RejectsEveryTruncationOfAValidFile) {
  write_npy_f32(path_, {2, 2}, {1, 2, 3, 4});
  const std::vector<uint8_t> whole = test::read_bytes(path_);
  for (size_t n = 0; n < whole.size(); ++n) {
    SCOPED_TRACE(n);
    test::write_bytes(path_, std::vector<uint8_t>(whole.begin(), whole.begin() + n));
    EXPECT_FALSE(error_message([&] { read_npy(path_); }).empty());
  }
}

// ---------------------------------------------------------------------------------------------
// read_npy_dims

TEST_F(NpyTest, ReadNpyDimsAcceptsMatchingRank) {
  write_npy_f32(path_, {2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(read_npy_dims(path_, 2, "layer 1 weights").shape, (std::vector<size_t>{2, 3}));
}

TEST_F(NpyTest, ReadNpyDimsRejectsWrongRank) {
  write_npy_f32(path_, {3}, {1, 2, 3});
  EXPECT_EQ(error_message([&] { read_npy_dims(path_, 2, "layer 1 weights"); }),
            path_ + ": expected a 2-D array for layer 1 weights, got shape (3,)");
  write_npy_f32(path_, {}, {1});
  EXPECT_EQ(error_message([&] { read_npy_dims(path_, 1, "layer 1 bias"); }),
            path_ + ": expected a 1-D array for layer 1 bias, got shape ()");
}

TEST_F(NpyTest, ReadNpyDimsPassesKindThrough) {
  write_npy_i16(path_, {2}, {-5, 5});
  EXPECT_TRUE(Contains(error_message([&] { read_npy_dims(path_, 1, "input"); }),
                       "dtype '<i2' not supported"));
  EXPECT_EQ(read_npy_dims(path_, 1, "input", NpyKind::kFloatOrInt16).values,
            (std::vector<double>{-5, 5}));
}

TEST_F(NpyTest, ReadNpyDimsStillReportsFileErrors) {
  test::write_bytes(path_, to_bytes("not numpy"));
  EXPECT_EQ(error_message([&] { read_npy_dims(path_, 2, "layer 1 weights"); }),
            path_ + ": not a .npy file (bad magic)");
}

}  // namespace
}  // namespace eie
