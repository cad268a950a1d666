// Tests for eie::read_file (bounded by the format) and eie::write_output (atomic for regular
// files, written through for pipes, devices and standard streams, symlinks followed). Special
// files are made in a temporary folder, never the machine's own /dev nodes: a regression would
// replace them.
#include "eie/file_io.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "eie/error.h"
#include "eie/model_file.h"
#include "eie/npy.h"
#include "test_util.h"

namespace eie {
namespace {

using test::error_message;
using test::TempDir;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

constexpr uint64_t kLimit = 1u << 20;

TEST(ReadFile, EndlessPipeCostsOnlyTheBound) {
  TempDir dir;
  {
    test::FifoFeeder feeder(dir.file("endless"), {}, true);
    const auto bound = [](const std::vector<uint8_t>& head) -> uint64_t {
      return head.size() < 4 ? kLimit : 4;  // a 4-byte magic that zeros never match
    };
    EXPECT_EQ(read_file(dir.file("endless"), kLimit, "test file", bound).size(), 5u);
  }
  // Without a bound the limit stops it.
  test::FifoFeeder feeder(dir.file("endless2"), {}, true);
  const std::string message =
      error_message([&] { read_file(dir.file("endless2"), 1000, "widget"); });
  EXPECT_TRUE(contains(message, "more than 1000 bytes; a widget may hold at most 1000")) << message;
}

TEST(ReadFile, ThroughAPipeFormatsReadWholeAndStopAtTheirBounds) {
  TempDir dir;
  // A valid 100 KB .npy and a model file, streamed: read whole, with nothing truncated.
  std::vector<float> big(25000, 0.25f);
  write_npy_f32(dir.file("big.npy"), {25000}, big);
  {
    test::FifoFeeder feeder(dir.file("npy_pipe"), test::read_bytes(dir.file("big.npy")), false);
    EXPECT_EQ(read_npy(dir.file("npy_pipe")).values, std::vector<double>(25000, 0.25));
  }
  Network net;
  Layer layer;
  layer.weights = CodeMatrix::from_dense(2, 3, {1, 0, 2, 0, 3, 0});
  layer.codebook[1] = 100;
  layer.codebook[2] = -7;
  layer.codebook[3] = 5;
  net.layers.push_back(layer);
  const std::vector<uint8_t> model = serialize_model(make_model_file(net));
  {
    test::FifoFeeder feeder(dir.file("model_pipe"), model, true);  // zeros after it: trailing bytes
    EXPECT_TRUE(
        contains(error_message([&] { read_model(dir.file("model_pipe")); }), "checksum mismatch"));
  }
  {
    test::FifoFeeder feeder(dir.file("model_pipe2"), model, false);
    EXPECT_EQ(read_model(dir.file("model_pipe2")).net.layers.size(), 1u);
  }
  // A valid magic, then zeros forever: stops at the (zero-length, rejected) header.
  std::vector<uint8_t> magic = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 1};
  {
    test::FifoFeeder feeder(dir.file("npy_zeros"), magic, true);
    EXPECT_FALSE(error_message([&] { read_npy(dir.file("npy_zeros")); }).empty());
  }
  // A header that declares more than the reader takes is refused before the data is read.
  {
    std::vector<uint8_t> huge = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0};
    std::string h = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,), }";
    h += std::string(117 - h.size(), ' ') + "\n";
    huge.insert(huge.end(), h.begin(), h.end());
    test::FifoFeeder feeder(dir.file("npy_huge"), huge, true);
    EXPECT_TRUE(contains(error_message([&] { read_npy(dir.file("npy_huge")); }),
                         "declares more data than"));
  }
  // A big-endian array of 100 KB is rejected at its header, not read byte by byte.
  std::vector<uint8_t> be = test::read_bytes(dir.file("big.npy"));
  be[std::string(be.begin(), be.end()).find("<f4") + 0] = '>';
  test::write_bytes(dir.file("be.npy"), be);
  EXPECT_TRUE(contains(error_message([&] { read_npy(dir.file("be.npy")); }), "big-endian"));
}

// ---------------------------------------------------------------------------------------------
// write_output

TEST(WriteOutput, WritesAndLeavesNoTemporary) {
  TempDir dir;
  const std::string path = dir.file("out.bin");
  write_output(path, {1, 2, 3, 4});
  EXPECT_EQ(test::read_bytes(path), (std::vector<uint8_t>{1, 2, 3, 4}));
  // Overwriting with shorter contents must replace, not partially overwrite.
  write_output(path, {9});
  EXPECT_EQ(test::read_bytes(path), std::vector<uint8_t>{9});
  EXPECT_EQ(test::list_dir(dir.path()), std::vector<std::string>{"out.bin"});
}

TEST(WriteOutput, WritesEmptyFile) {
  TempDir dir;
  write_output(dir.file("empty"), {});
  EXPECT_TRUE(test::file_exists(dir.file("empty")));
  EXPECT_TRUE(test::read_bytes(dir.file("empty")).empty());
}

TEST(WriteOutput, KeepsAnExistingFilesMode) {
  TempDir dir;
  const std::string path = dir.file("script");
  test::write_bytes(path, {1});
  ASSERT_EQ(::chmod(path.c_str(), 0751), 0);
  write_output(path, {2});
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0751u);
}

TEST(WriteOutput, ReplacesAReadOnlyFileKeepingItsMode) {
  TempDir dir;
  const std::string path = dir.file("frozen");
  test::write_bytes(path, {1});
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  write_output(path, {2, 3});
  EXPECT_EQ(test::read_bytes(path), (std::vector<uint8_t>{2, 3}));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0444u);
}

TEST(WriteOutput, IntoMissingDirectoryFailsAndLeavesNothing) {
  TempDir dir;
  const std::string path = dir.file("no_such_dir/out.bin");
  const std::string message = error_message([&] { write_output(path, {1, 2, 3}); });
  EXPECT_TRUE(contains(message, path)) << message;
  EXPECT_TRUE(contains(message, std::strerror(ENOENT))) << message;
  EXPECT_TRUE(test::list_dir(dir.path()).empty());
}

TEST(WriteOutput, ToAFolderFailsAndLeavesNothing) {
  TempDir dir;
  const std::string path = dir.file("out");
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  const std::string message = error_message([&] { write_output(path, {1, 2, 3}); });
  EXPECT_TRUE(contains(message, "is a folder")) << message;
  EXPECT_EQ(test::list_dir(dir.path()), std::vector<std::string>{"out"});
}

TEST(WriteOutput, ThroughASymlinkWritesItsTarget) {
  TempDir dir;
  test::write_bytes(dir.file("target"), {1});
  ASSERT_EQ(::symlink("target", dir.file("link").c_str()), 0);
  write_output(dir.file("link"), {5, 6});
  EXPECT_EQ(test::read_bytes(dir.file("target")), (std::vector<uint8_t>{5, 6}));
  struct stat st {};
  ASSERT_EQ(::lstat(dir.file("link").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link itself was replaced";
  // A dangling link creates its target, as a shell redirection does.
  ASSERT_EQ(::symlink("new", dir.file("dangling").c_str()), 0);
  write_output(dir.file("dangling"), {7});
  EXPECT_EQ(test::read_bytes(dir.file("new")), std::vector<uint8_t>{7});
  EXPECT_EQ(test::list_dir(dir.path()).size(), 4u);  // no temporaries
}

TEST(WriteOutput, SymlinkLoopIsAnError) {
  TempDir dir;
  ASSERT_EQ(::symlink("b", dir.file("a").c_str()), 0);
  ASSERT_EQ(::symlink("a", dir.file("b").c_str()), 0);
  const std::string message = error_message([&] { write_output(dir.file("a"), {1}); });
  EXPECT_TRUE(contains(message, std::strerror(ELOOP))) << message;
}

TEST(WriteOutput, ToANamedPipeWritesThroughIt) {
  TempDir dir;
  const std::string fifo = dir.file("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The read end first, without blocking: the write lands in the pipe's buffer, and a
  // regression that replaced the pipe leaves it empty instead of hanging.
  const int fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(fd, 0);
  write_output(fifo, {'a', 'b', 'c'});
  char buf[8] = {};
  EXPECT_EQ(::read(fd, buf, sizeof buf), 3);
  ::close(fd);
  EXPECT_EQ(std::string(buf), "abc");
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the pipe was replaced by a file";
}

// A copy of /dev/full and /dev/null made in the temporary folder (needs root, as CI runs).
TEST(WriteOutput, ToDeviceNodesWritesThroughAndReportsAFullDevice) {
  TempDir dir;
  const std::string full = dir.file("full"), null = dir.file("null");
  if (::mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0 ||
      ::mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    GTEST_SKIP() << "mknod needs root: " << std::strerror(errno);
  }
  write_output(null, {1, 2, 3});
  const std::string message = error_message([&] { write_output(full, {1, 2, 3}); });
  EXPECT_TRUE(contains(message, full)) << message;
  EXPECT_TRUE(contains(message, std::strerror(ENOSPC))) << message;
  for (const std::string& node : {full, null}) {
    struct stat st {};
    ASSERT_EQ(::lstat(node.c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << node << " was replaced by a file";
  }
  EXPECT_EQ(test::list_dir(dir.path()).size(), 2u);
}

TEST(WriteOutput, StandardStreamsAreWrittenThroughTheirDescriptor) {
  EXPECT_EQ(stream_descriptor("-"), 1);
  EXPECT_EQ(stream_descriptor("/dev/stdout"), 1);
  EXPECT_EQ(stream_descriptor("/dev/stderr"), 2);
  EXPECT_EQ(stream_descriptor("/dev/fd/7"), 7);
  EXPECT_EQ(stream_descriptor("/proc/self/fd/12"), 12);
  EXPECT_EQ(stream_descriptor("/dev/fd/x"), -1);
  EXPECT_EQ(stream_descriptor("out.bin"), -1);
  // Standard output pointed at a pipe: "-" writes into it.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const int saved = ::dup(1);
  ASSERT_EQ(::dup2(fds[1], 1), 1);
  write_output("-", {'h', 'i'});
  ASSERT_EQ(::dup2(saved, 1), 1);
  ::close(saved);
  ::close(fds[1]);
  char buf[8] = {};
  EXPECT_EQ(::read(fds[0], buf, sizeof buf), 2);
  ::close(fds[0]);
  EXPECT_EQ(std::string(buf), "hi");
}

TEST(WriteOutput, ASymlinkToAnOpenDescriptorWritesThroughIt) {
  // `out -> /proc/self/fd/N` (what a link to /dev/stdout becomes): the descriptor's pipe gets
  // the bytes; /proc's magic links are never resolved to a path and replaced.
  TempDir dir;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string link = dir.file("out");
  ASSERT_EQ(::symlink(("/proc/self/fd/" + std::to_string(fds[1])).c_str(), link.c_str()), 0);
  EXPECT_TRUE(written_through(link));
  write_output(link, {'o', 'k'});
  ::close(fds[1]);
  char buf[8] = {};
  EXPECT_EQ(::read(fds[0], buf, sizeof buf), 2);
  ::close(fds[0]);
  EXPECT_EQ(std::string(buf), "ok");
}

TEST(WriteOutput, SameFileComparesIdentityNotSpelling) {
  TempDir dir;
  test::write_bytes(dir.file("a"), {1});
  ASSERT_EQ(::symlink("a", dir.file("s").c_str()), 0);
  ASSERT_EQ(::link(dir.file("a").c_str(), dir.file("h").c_str()), 0);
  EXPECT_TRUE(same_file(dir.file("a"), dir.file("s")));
  EXPECT_TRUE(same_file(dir.file("a"), dir.file("h")));
  EXPECT_TRUE(same_file(dir.file("a"), dir.path() + "/./a"));
  test::write_bytes(dir.file("b"), {1});
  EXPECT_FALSE(same_file(dir.file("a"), dir.file("b")));
  EXPECT_FALSE(same_file(dir.file("a"), dir.file("missing")));
}

TEST(TempOutput, CommitsOrRemovesAndRefusesNonRegularTargets) {
  TempDir dir;
  {
    TempOutput out(dir.file("kept"));
    test::write_bytes(out.temp_path(), {1});
    out.commit();
  }
  {
    TempOutput out(dir.file("dropped"));
    test::write_bytes(out.temp_path(), {1});
  }
  EXPECT_EQ(test::list_dir(dir.path()), std::vector<std::string>{"kept"});
  ASSERT_EQ(::mkfifo(dir.file("pipe").c_str(), 0600), 0);
  EXPECT_TRUE(
      contains(error_message([&] { TempOutput out(dir.file("pipe")); }), "not a regular file"));
  EXPECT_TRUE(contains(error_message([&] { TempOutput out(dir.file("nodir/x")); }), "nodir"));
}

}  // namespace
}  // namespace eie
