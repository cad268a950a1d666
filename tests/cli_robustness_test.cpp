// The `eie` command line against careless and hostile use (docs/reliability.md, "Output paths and
// resource limits"): outputs that are pipes, links or devices, outputs that would overwrite an
// input, small files that ask for gigabytes, endless inputs, out-of-range options. Every case
// checks the exit code, the message, that no input changed and that nothing but the intended
// output exists afterwards. Memory cases run under `ulimit -v`, except in the sanitizer build,
// whose shadow memory needs the address space.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "eie/crc32.h"
#include "eie/model_file.h"
#include "eie/npy.h"
#include "test_util.h"

namespace eie {
namespace {

using test::CliResult;
using test::run_cli;

// The memory cases run under this limit (2 GB: the hostile files once took 4.5 GB), and not in
// the sanitizer build, whose shadow memory needs terabytes of address space: there a regression
// to gigabytes would swap instead of failing.
constexpr long kMemoryKb = 2000000;
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif

// A model of empty layers with these (rows, cols), patched into the file after serialising 1x1
// layers: the file stays small whatever the shapes say.
std::vector<uint8_t> model_with_shapes(const std::vector<std::pair<uint32_t, uint32_t>>& shapes) {
  Network net;
  for (size_t l = 0; l < shapes.size(); ++l) {
    Layer layer;
    layer.weights.rows = layer.weights.cols = 1;
    layer.weights.col_ptr = {0, 0};
    net.layers.push_back(layer);
  }
  std::vector<uint8_t> bytes = serialize_model(make_model_file(net, false));
  const size_t section = (bytes.size() - 20 - 4 - 4) / shapes.size();
  const auto put32 = [&](size_t at, uint32_t v) {
    for (size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  for (size_t l = 0; l < shapes.size(); ++l) {
    put32(20 + l * section + 6, shapes[l].first);  // after length, type and name length
    put32(20 + l * section + 10, shapes[l].second);
  }
  put32(bytes.size() - 4, crc32(bytes.data(), bytes.size() - 4));
  return bytes;
}

class CliRobustness : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    const CliResult g = run_cli("generate --sizes 40,20,5 --batch 3 --seed 7 -o " + dir_.path());
    ASSERT_EQ(g.exit_code, 0) << g.output;
    const CliResult c = run_cli("compress -l " + f("w1.npy") + ":" + f("b1.npy") + " -l " +
                                f("w2.npy") + ":" + f("b2.npy") + " --quiet -o " + f("m.eie"));
    ASSERT_EQ(c.exit_code, 0) << c.output;
  }
  std::string f(const std::string& name) const { return dir_.file(name); }

  std::map<std::string, std::vector<uint8_t>> snapshot() const {
    std::map<std::string, std::vector<uint8_t>> files;
    for (const std::string& name : test::list_dir(dir_.path())) {
      struct stat st {};
      if (::lstat(f(name).c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        files[name] = test::read_bytes(f(name));
      }
    }
    return files;
  }
  // Runs args expecting `code` and `needle`, and that the folder is exactly as before plus
  // `created` (files the command may write): no input changed, no temporary left behind.
  CliResult expect(const std::string& args, int code, const std::string& needle,
                   const std::vector<std::string>& created = {}, long memory_kb = 0) {
    const auto before = snapshot();
    CliResult r = run_cli(args, memory_kb);
    EXPECT_EQ(r.exit_code, code) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(needle), std::string::npos) << args << "\n" << r.output;
    const auto after = snapshot();
    for (const auto& [name, bytes] : before) {
      if (std::find(created.begin(), created.end(), name) != created.end()) continue;
      EXPECT_TRUE(after.count(name) && after.at(name) == bytes) << name << " changed: " << args;
    }
    for (const auto& [name, bytes] : after) {
      const bool expected =
          before.count(name) || std::find(created.begin(), created.end(), name) != created.end();
      EXPECT_TRUE(expected) << name << " left behind by " << args;
    }
    return r;
  }
  test::TempDir dir_;
};

// ---------------------------------------------------------------------------------------------
// Output paths

TEST_F(CliRobustness, NamedPipeOutputIsWrittenThroughNotReplaced) {
  const std::string fifo = f("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The read end is opened first, without blocking, so the command's open succeeds and its
  // report (well under the pipe's 64 KiB) waits in the pipe; a regression that replaced the
  // pipe leaves it empty rather than hanging the test.
  const int fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(fd, 0);
  expect("report " + f("m.eie") + " -o " + fifo, 0, "");
  std::string got;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) got.append(buf, static_cast<size_t>(n));
  ::close(fd);
  EXPECT_EQ(got, run_cli("report " + f("m.eie")).output);
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(CliRobustness, SymlinkOutputWritesItsTarget) {
  ASSERT_EQ(::symlink("report.txt", f("link").c_str()), 0);
  expect("report " + f("m.eie") + " -o " + f("link"), 0, "", {"report.txt"});
  struct stat st {};
  ASSERT_EQ(::lstat(f("link").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link was replaced by a file";
  EXPECT_FALSE(test::read_bytes(f("report.txt")).empty());
}

TEST_F(CliRobustness, DashWritesStandardOutputAndMovesTheReportToStderr) {
  const CliResult r =
      expect("infer " + f("m.eie") + " -i " + f("x.npy") + " -o - 2>/dev/null", 0, "\x93NUMPY");
  EXPECT_EQ(r.output.find("wrote"), std::string::npos) << "the report went into the data";
  expect("report " + f("m.eie") + " -o -", 0, "layer1");
}

TEST_F(CliRobustness, FullDeviceIsAnErrorAndTheNodeStays) {
  // A copy of /dev/full in the temporary folder (mknod needs root, as CI runs); never the
  // machine's own node, which a regression would replace.
  if (::mknod(f("full").c_str(), S_IFCHR | 0666, makedev(1, 7)) != 0) {
    GTEST_SKIP() << "mknod needs root";
  }
  expect("report " + f("m.eie") + " -o " + f("full"), 1, "No space left on device");
  expect("infer " + f("m.eie") + " -i " + f("x.npy") + " -o " + f("full"), 1, "No space left");
  expect("report " + f("m.eie") + " -o /dev/fd/3 3>" + f("full"), 1, "No space left");
  expect("report " + f("m.eie") + " -o - >" + f("full"), 1, "No space left");
  struct stat st {};
  ASSERT_EQ(::lstat(f("full").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "the device node was replaced by a file";
}

TEST_F(CliRobustness, OutputThatIsAnInputIsRefused) {
  ASSERT_EQ(::symlink("m.eie", f("alias.eie").c_str()), 0);
  ASSERT_EQ(::link(f("x.npy").c_str(), f("hard.npy").c_str()), 0);
  const std::string refuse = "refusing to overwrite an input";
  expect("report " + f("m.eie") + " -o " + f("m.eie"), 2, refuse);
  expect("report " + f("m.eie") + " -o " + dir_.path() + "/./m.eie", 2, refuse);
  expect("report " + f("m.eie") + " -o " + f("alias.eie"), 2, refuse);
  expect("infer " + f("m.eie") + " -i " + f("x.npy") + " -o " + f("hard.npy"), 2, refuse);
  expect("infer " + f("m.eie") + " -i " + f("x.npy") + " -o " + f("m.eie"), 2, refuse);
  expect("compress -l " + f("w1.npy") + ":" + f("b1.npy") + " -o " + f("b1.npy"), 2, refuse);
  expect("deep-compress --data-dir " + f("nodata") + " -o " + f("a.eie") + " --json " + f("a.eie"),
         2, "name the same file");
  expect("deep-compress --data-dir " + f("nodata") + " -o " + f("a.eie") + " --json " +
             dir_.path() + "/./a.eie",
         2, "name the same file");
  expect("deep-compress --data-dir " + f("nodata") + " -o " + f("a.eie") + " --json ''", 2,
         "--json: the path is empty");
  // Two outputs into one pipe are not one file to refuse (a pipe or device is written through):
  // this fails later, at the missing data, having written nothing.
  ASSERT_EQ(::mkfifo(f("sink").c_str(), 0600), 0);
  expect("deep-compress --data-dir " + f("nodata") + " -o " + f("sink") + " --json " + f("sink"), 1,
         "nodata");
  // --force: the user asked for it.
  expect("infer " + f("m.eie") + " -i " + f("x.npy") + " -o " + f("x.npy") + " --force", 0, "wrote",
         {"x.npy", "hard.npy"});
}

TEST_F(CliRobustness, UnwritableOutputsFailBeforeAnyWork) {
  expect("infer " + f("m.eie") + " -i " + f("x.npy") + " -o ''", 2, "--output: the path is empty");
  expect("report " + f("m.eie") + " -o " + dir_.path(), 1, "is a folder");
  // Before training: a missing output folder is named, not discovered after the run.
  expect("deep-compress --data-dir " + f("nodata") + " -o " + f("no/m.eie"), 1,
         "the folder " + f("no") + " does not exist");
}

// ---------------------------------------------------------------------------------------------
// Resource limits

TEST_F(CliRobustness, SmallModelsThatAskForGigabytesAreRefused) {
  if (kSanitizerBuild) GTEST_SKIP() << "no ulimit -v under AddressSanitizer";
  // 2^24 x 1 then 1 x 2^24, no weights: once 4.5 GB for `infer` and `pack`.
  test::write_bytes(f("tall.eie"), model_with_shapes({{1u << 24, 1}, {1, 1u << 24}}));
  EXPECT_LT(test::read_bytes(f("tall.eie")).size(), 300u);
  // 256 empty 2^24 x 2^24 layers in 17 KB: once about 4 GB for `report` and `pack`.
  test::write_bytes(f("wide.eie"), model_with_shapes(std::vector<std::pair<uint32_t, uint32_t>>(
                                       256, {1u << 24, 1u << 24})));
  // One empty convolution whose 255 x 255 window slides over a 4096 x 4096 input: 14.7 million
  // positions of 65,025 values each.
  Network conv;
  conv.layers.emplace_back();
  Layer& c = conv.layers.back();
  c.kind = LayerKind::kConv2d;
  c.in_shape = {1, 4096, 4096};
  c.window = {255, 255, 1, 1, 0, 0};
  c.weights.rows = 1;
  c.weights.cols = 255 * 255;
  c.weights.col_ptr.assign(c.weights.cols + 1, 0);
  test::write_bytes(f("conv.eie"), serialize_model(make_model_file(conv, false)));
  EXPECT_LT(test::read_bytes(f("conv.eie")).size(), 300u);
  for (const std::string model : {"tall.eie", "wide.eie", "conv.eie"}) {
    const auto t0 = std::chrono::steady_clock::now();
    for (const std::string& cmd : {"infer " + f(model) + " -i " + f("x.npy") + " -o " + f("y.npy"),
                                   "pack " + f(model), "report " + f(model)}) {
      expect(cmd, 1, "over the limit", {}, kMemoryKb);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10)) << model;
  }
  const CliResult r = run_cli("report " + f("tall.eie"));
  EXPECT_NE(r.output.find("layer 1 (16777216x1)"), std::string::npos) << r.output;
}

TEST_F(CliRobustness, ShapeLimitGrowsWithThePeCount) {
  if (kSanitizerBuild) GTEST_SKIP() << "no ulimit -v under AddressSanitizer";
  // One 1 x 2^20 layer: fine for the file and one PE, over the limit at 64 PEs (each PE holds
  // the layer's column pointers).
  test::write_bytes(f("one.eie"), model_with_shapes({{1, 1u << 20}}));
  expect("report " + f("one.eie"), 0, "layer1", {}, kMemoryKb);
  expect("pack " + f("one.eie") + " --pe 2", 0, "1x1048576", {}, kMemoryKb);
  expect("pack " + f("one.eie") + " --pe 64", 1, "at 64 PEs", {}, kMemoryKb);
}

TEST_F(CliRobustness, EndlessInputsAreReadOnlyAsFarAsTheirFormatAllows) {
  if (kSanitizerBuild) GTEST_SKIP() << "no ulimit -v under AddressSanitizer";
  // A FIFO fed zeros forever, like /dev/zero: the reader stops at the bad magic.
  int i = 0;
  for (const std::string& reader : {std::string("report "), "infer " + f("m.eie") + " -i "}) {
    const std::string fifo = f("zeros" + std::to_string(i++));
    test::FifoFeeder feeder(fifo, {}, true);
    const std::string args = reader + fifo + (i == 2 ? " -o " + f("y.npy") : "");
    expect(args, 1, "bad magic", {}, kMemoryKb);
  }
}

TEST_F(CliRobustness, GeneratedFilesMustBeReadableBack) {
  expect("generate --sizes 100000,100000 -o " + dir_.path(), 2, "a .npy file may hold at most");
  expect("deep-compress --sizes 784,100000,10 -o " + f("m2.eie"), 2, "training holds at most");
}

// ---------------------------------------------------------------------------------------------
// Options: ranges, finiteness, exit codes, the option named

TEST_F(CliRobustness, OutOfRangeOptionsAreUsageErrorsNamingTheOption) {
  const std::string m = f("m.eie"), x = f("x.npy"), y = f("y.npy");
  const std::string layers = "-l " + f("w1.npy") + " -l " + f("w2.npy");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"pack " + m + " --pe -1", "--pe -1: must lie in 1..4096"},
      {"pack " + m + " --pe 5000", "--pe 5000"},
      {"pack " + m + " --ptr-depth 7", "pointer depth even"},
      {"infer " + m + " -i " + x + " -o " + y + " --pe -1", "--pe -1"},
      {"generate --batch -1 -o " + dir_.path(), "--batch -1"},
      {"generate --seed -5 -o " + dir_.path(), "--seed -5"},
      {"compress " + layers + " -d 1.5 -o " + y, "--density 1.5"},
      {"compress " + layers + " -d nan -o " + y, "--density: 'nan' is not a finite number"},
      {"compress " + layers + " -q -1 -o " + y, "--quality -1"},
      {"compress " + layers + " --init foo -o " + y, "--init: unknown k-means initialisation"},
      {"compress " + layers + " --clusters -3 -o " + y, "--clusters: '-3'"},
      {"compress " + layers + " --balance-pe -1 -o " + y, "--balance-pe -1"},
      {"compress " + layers + " --order-inputs -o " + y, "--order-inputs needs --balance-pe"},
      {"deep-compress --order-inputs -o " + y, "--order-inputs needs --balance-pe"},
      {"compress " + layers + " --rel-bits 9 -o " + y, "--rel-bits: '9'"},
      {"deep-compress --lr nan -o " + y, "--lr nan"},
      {"deep-compress --dropout 1 -o " + y, "--dropout 1"},
      {"deep-compress --distill 1.5 -o " + y, "--distill 1.5"},
      {"deep-compress --temperature 0 -o " + y, "--temperature 0: must be a number in (0, 100]"},
      {"deep-compress --epochs -1 -o " + y, "--epochs -1"},
      {"deep-compress --shift 5 -o " + y, "--shift 5"},
      {"deep-compress --shift -1 -o " + y, "--shift -1"},
      {"deep-compress --folds 1 -o " + y, "--folds 1"},
      {"deep-compress --folds 17 -o " + y, "--folds 17"},
      {"deep-compress --arch lstm --hidden 0 -o " + y, "--hidden 0"},
      {"deep-compress --arch lstm --hidden 1025 -o " + y, "--hidden 1025"},
      {"deep-compress --hidden 64 -o " + y, "--hidden applies to --arch lstm only"},
      {"deep-compress --arch lenet5 --hidden 64 -o " + y, "--hidden applies to --arch lstm only"},
      {"deep-compress --arch gru -o " + y, "the named networks are lenet5 and lstm"},
      {"dsd --sparsity 1", "--sparsity 1"},
      {"dsd --seeds 1,-2", "--seeds: '-2'"},
      {"pack " + m + " --pe 99999999999999999999", "--pe"},
  };
  for (const auto& [args, needle] : cases) expect(args, 2, needle);
}

TEST_F(CliRobustness, MessagesNameTheFileAndTheRow) {
  std::vector<float> x(3 * 40, 0.5f);
  x[40 + 3] = NAN;  // input 1 of the batch, activation 3
  write_npy_f32(f("nan.npy"), {3, 40}, x);
  expect("infer " + f("m.eie") + " -i " + f("nan.npy") + " -o " + f("y.npy"), 1,
         f("nan.npy") + ": input 1 of the batch: activation 3 is NaN");
  write_npy_f32(f("huge.npy"), {2, 2}, {1e10f, -1e10f, 3e10f, 2e10f});
  expect("compress -l " + f("huge.npy") + " -o " + f("h.eie"), 1,
         f("huge.npy") + ": layer1: largest shared weight magnitude");
}

}  // namespace
}  // namespace eie
