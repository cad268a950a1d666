// The `eie` command line as a user drives it: the generate -> compress -> report -> infer flow,
// and every bad-input path ending in a clear message, a non-zero exit and no output file.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "eie/inference.h"
#include "eie/model_file.h"
#include "eie/npy.h"
#include "test_util.h"

namespace eie {
namespace {

using Result = test::CliResult;
using test::run_cli;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    const Result g = run_cli("generate --sizes 40,20,5 --batch 3 --seed 7 -o " + dir_.path());
    ASSERT_EQ(g.exit_code, 0) << g.output;
  }
  std::string f(const std::string& name) const { return dir_.file(name); }
  std::string layers() const {
    return "-l " + f("w1.npy") + ":" + f("b1.npy") + " -l " + f("w2.npy") + ":" + f("b2.npy");
  }
  // Runs a command expected to fail and checks the exit code, the message and that `output` was
  // not created.
  void expect_failure(const std::string& args, int code, const std::string& needle,
                      const std::string& output) {
    const Result r = run_cli(args);
    EXPECT_EQ(r.exit_code, code) << r.output;
    EXPECT_NE(r.output.find(needle), std::string::npos) << r.output;
    EXPECT_FALSE(test::file_exists(output)) << output << " left behind";
    for (const std::string& name : test::list_dir(dir_.path())) {
      EXPECT_EQ(name.find(".tmp."), std::string::npos) << name;
    }
  }
  test::TempDir dir_;
};

TEST_F(Cli, HelpForEveryCommand) {
  for (const char* c :
       {"compress", "deep-compress", "dsd", "report", "infer", "pack", "generate"}) {
    const Result r = run_cli(std::string(c) + " --help");
    EXPECT_EQ(r.exit_code, 0) << c;
    EXPECT_NE(r.output.find("usage: eie " + std::string(c)), std::string::npos) << r.output;
    EXPECT_EQ(run_cli(std::string("help ") + c).output, r.output);
  }
  EXPECT_EQ(run_cli("--help").exit_code, 0);
  EXPECT_EQ(run_cli("").exit_code, 2);
  const Result bad = run_cli("frobnicate");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("'frobnicate' is not a command"), std::string::npos);
}

TEST_F(Cli, TrainingCommandsSayWhenEieTrainIsMissing) {
  // eie runs deep-compress and dsd in eie-train beside it; alone, it says so (exit 1).
  std::filesystem::create_directories(f("alone"));
  std::filesystem::copy_file(EIE_CLI_PATH, f("alone/eie"));
  for (const char* c : {"deep-compress", "dsd"}) {
    FILE* pipe = popen((f("alone/eie") + " " + c + " --help 2>&1").c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    const int status = pclose(pipe);
    EXPECT_EQ(WEXITSTATUS(status), 1) << out;
    EXPECT_NE(out.find(fmt::format("eie {}: cannot run {}", c, f("alone/eie-train"))),
              std::string::npos)
        << out;
  }
}

TEST_F(Cli, CompressReportInferMatchesTheLibrary) {
  const Result c = run_cli("compress " + layers() + " --density 0.5 --quiet -o " + f("m.eie"));
  ASSERT_EQ(c.exit_code, 0) << c.output;
  const ModelFile m = read_model(f("m.eie"));
  ASSERT_EQ(m.net.layers.size(), 2u);
  EXPECT_TRUE(m.net.layers[0].relu);
  EXPECT_FALSE(m.net.layers[1].relu);              // the last layer has no ReLU unless --relu-last
  EXPECT_EQ(m.net.layers[0].weights.nnz(), 400u);  // 50% of 20 x 40

  const Result r = run_cli("report " + f("m.eie"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("layer1"), std::string::npos) << r.output;

  const Result i = run_cli("infer " + f("m.eie") + " -i " + f("x.npy") + " -o " + f("y.npy") +
                           " --raw --stats --pe 4");
  ASSERT_EQ(i.exit_code, 0) << i.output;
  const NpyArray y = read_npy(f("y.npy"), NpyKind::kFloatOrInt16);
  EXPECT_EQ(y.shape, (std::vector<size_t>{3, 5}));
  const NpyArray x = read_npy(f("x.npy"));
  const GoldenModel g(m.net, 1);
  for (size_t b = 0; b < 3; ++b) {
    const std::vector<double> row(x.values.begin() + static_cast<long>(b * 40),
                                  x.values.begin() + static_cast<long>((b + 1) * 40));
    const std::vector<int16_t> expect = g.run(quantize_activations(row, 8)).back();
    for (size_t o = 0; o < 5; ++o) EXPECT_EQ(y.values[b * 5 + o], expect[o]) << b << "," << o;
  }
  const Result p = run_cli("pack " + f("m.eie") + " --pe 3");
  EXPECT_EQ(p.exit_code, 0) << p.output;
  EXPECT_NE(p.output.find("20x40"), std::string::npos) << p.output;
  // The biases the PEs hold: each layer's local rows, not the image's address range (whose
  // second bank starts half-way up the report's 2^24-entry configuration).
  size_t biases = 0;
  for (const Layer& l : m.net.layers) biases += l.bias.empty() ? 0 : (l.outputs() + 2) / 3;
  EXPECT_GT(biases, 0u);
  EXPECT_NE(p.output.find(fmt::format("biases {:>17} x 32 bits per PE", biases)), std::string::npos)
      << p.output;
}

// Row balancing and input order change the file, not the answers: infer undoes both.
TEST_F(Cli, BalancedModelWithInputOrderInfersTheSame) {
  ASSERT_EQ(run_cli("compress " + layers() + " --density 0.5 --quiet -o " + f("m.eie")).exit_code,
            0);
  const Result c = run_cli("compress " + layers() +
                           " --density 0.5 --balance-pe 4 --order-inputs --quiet -o " + f("o.eie"));
  ASSERT_EQ(c.exit_code, 0) << c.output;
  const ModelFile o = read_model(f("o.eie"));
  EXPECT_EQ(o.net.input_order.size(), 40u);
  EXPECT_EQ(o.net.output_order.size(), 5u);
  for (const char* m : {"m", "o"}) {
    const Result i = run_cli(fmt::format("infer {} -i {} -o {} --raw", f(std::string(m) + ".eie"),
                                         f("x.npy"), f(std::string(m) + ".npy")));
    ASSERT_EQ(i.exit_code, 0) << i.output;
  }
  EXPECT_EQ(read_npy(f("o.npy"), NpyKind::kFloatOrInt16).values,
            read_npy(f("m.npy"), NpyKind::kFloatOrInt16).values);
}

// An LSTM model (the fuzz corpus's: 3 steps of 4 inputs, 3 hidden units, then 2 outputs):
// report, pack and infer, its input flat or as (batch, steps, input) alike.
TEST_F(Cli, LstmModelReportsPacksAndInfers) {
  const std::string m = std::string(EIE_SOURCE_DIR) + "/tests/fuzz/corpus/model_file/lstm.eie";
  const Result r = run_cli("report " + m);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("lstm"), std::string::npos) << r.output;
  const Result p = run_cli("pack " + m + " --pe 4");
  EXPECT_EQ(p.exit_code, 0) << p.output;
  EXPECT_NE(p.output.find("12x7"), std::string::npos) << p.output;  // the gate matrix
  std::vector<float> x(2 * 12);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7) / 7.0f;
  write_npy_f32(f("flat.npy"), {2, 12}, x);
  write_npy_f32(f("steps.npy"), {2, 3, 4}, x);
  write_npy_f32(f("wrong.npy"), {2, 4, 3}, x);
  for (const char* in : {"flat", "steps"}) {
    const Result i = run_cli("infer " + m + " -i " + f(std::string(in) + ".npy") + " --raw -o " +
                             f(std::string(in) + "_y.npy"));
    ASSERT_EQ(i.exit_code, 0) << i.output;
  }
  const NpyArray y = read_npy(f("flat_y.npy"), NpyKind::kFloatOrInt16);
  EXPECT_EQ(y.shape, (std::vector<size_t>{2, 2}));
  EXPECT_EQ(y.values, read_npy(f("steps_y.npy"), NpyKind::kFloatOrInt16).values);
  const ModelFile model = read_model(m);
  const GoldenModel g(model.net, 1);
  const std::vector<double> first(x.begin(), x.begin() + 12);
  const std::vector<int16_t> want = g.run(quantize_activations(first, model.net.act_frac)).back();
  EXPECT_EQ(y.values[0], want[0]);
  EXPECT_EQ(y.values[1], want[1]);
  const Result bad = run_cli("infer " + m + " -i " + f("wrong.npy") + " -o " + f("w.npy"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("samples of 1x4x3 but the model takes 1x3x4"), std::string::npos)
      << bad.output;
}

TEST_F(Cli, BadInputsFailCleanly) {
  const std::string out = f("out.eie");
  expect_failure("compress -l " + f("missing.npy") + " -o " + out, 1, "missing.npy", out);
  // Layers that do not chain: w2 takes 20 inputs, w1 is given twice (produces 20, takes 40).
  expect_failure("compress -l " + f("w2.npy") + " -l " + f("w2.npy") + " -o " + out, 1,
                 "takes 20 inputs but layer 1", out);
  expect_failure("compress -l " + f("w1.npy") + ":" + f("b2.npy") + " -o " + out, 1,
                 "has 5 values but the layer has 20 outputs", out);
  expect_failure("compress -l " + f("b1.npy") + " -o " + out, 1, "expected a 2-D array", out);
  write_npy_f32(f("nan.npy"), {2, 2}, {1.0f, NAN, 0.0f, 1.0f});
  expect_failure("compress -l " + f("nan.npy") + " -o " + out, 1, "is nan", out);
  write_npy_i16(f("int.npy"), {2, 2}, {1, 2, 3, 4});
  expect_failure("compress -l " + f("int.npy") + " -o " + out, 1, "dtype '<i2' not supported", out);
  expect_failure("compress " + layers() + " --density 0.1,0.2,0.3 -o " + out, 2,
                 "3 values for 2 layers", out);
  expect_failure("compress " + layers() + " --density 0.5 --quality 1 -o " + out, 2, "not both",
                 out);
  expect_failure("compress " + layers() + " --density 1.5 -o " + out, 2, "--density 1.5", out);
  expect_failure("compress " + layers() + " --clusters 16 -o " + out, 2, "--clusters", out);
  expect_failure("compress " + layers() + " --bogus -o " + out, 2, "bogus", out);
  expect_failure("compress " + layers(), 2, "output", out);
  expect_failure("compress " + layers() + " -o " + f("nodir/m.eie"), 1, "nodir", out);

  ASSERT_EQ(run_cli("compress " + layers() + " --quiet -o " + f("m.eie")).exit_code, 0);
  const std::string y = f("y.npy");
  write_npy_f32(f("short.npy"), {39}, std::vector<float>(39, 0.5f));
  expect_failure("infer " + f("m.eie") + " -i " + f("short.npy") + " -o " + y, 1,
                 "39 values per input but the model takes 40", y);
  expect_failure("infer " + f("x.npy") + " -i " + f("x.npy") + " -o " + y, 1,
                 "not an EIE model file", y);
  std::vector<uint8_t> corrupt = test::read_bytes(f("m.eie"));
  corrupt[corrupt.size() / 2] ^= 0xFF;
  test::write_bytes(f("bad.eie"), corrupt);
  expect_failure("infer " + f("bad.eie") + " -i " + f("x.npy") + " -o " + y, 1, "checksum mismatch",
                 y);
  expect_failure("report " + f("bad.eie"), 1, "checksum mismatch", y);
  expect_failure("pack " + f("m.eie") + " --pe 0", 2, "--pe", y);
  write_npy_f32(f("nanx.npy"), {40}, std::vector<float>(40, NAN));
  expect_failure("infer " + f("m.eie") + " -i " + f("nanx.npy") + " -o " + y, 1, "NaN", y);
}

TEST_F(Cli, MissingEmptyAndNonFiniteInputsFailCleanly) {
  const std::string out = f("out.eie"), y = f("y.npy");
  // Missing files, for every command that reads one.
  expect_failure("infer " + f("none.eie") + " -i " + f("x.npy") + " -o " + y, 1, "none.eie", y);
  expect_failure("report " + f("none.eie"), 1, "none.eie", y);
  expect_failure("pack " + f("none.eie"), 1, "none.eie", y);
  expect_failure("deep-compress --data-dir " + f("nodata") + " -o " + out, 1, "nodata", out);
  expect_failure("dsd --data-dir " + f("nodata") + " --seeds 1", 1, "nodata", out);
  expect_failure("generate --sizes 5 -o " + dir_.path(), 2, "at least an input and an output", out);
  expect_failure("generate -o " + f("nodir"), 1, "nodir", out);
  // Empty inputs: a 0-byte file, a weight matrix without inputs, a batch of no vectors.
  test::write_bytes(f("empty.eie"), {});
  expect_failure("report " + f("empty.eie"), 1, "not an EIE model file", y);
  test::write_bytes(f("empty.npy"), {});
  expect_failure("compress -l " + f("empty.npy") + " -o " + out, 1, "not a .npy file", out);
  write_npy_f32(f("w0.npy"), {3, 0}, {});
  expect_failure("compress -l " + f("w0.npy") + " -o " + out, 1, "w0.npy", out);
  ASSERT_EQ(run_cli("compress " + layers() + " --quiet -o " + f("m.eie")).exit_code, 0);
  write_npy_f32(f("x0.npy"), {0, 40}, {});
  expect_failure("infer " + f("m.eie") + " -i " + f("x0.npy") + " -o " + y, 1, "x0.npy", y);
  // Non-finite weights and biases.
  write_npy_f32(f("inf.npy"), {2, 2}, {1.0f, INFINITY, 0.0f, 1.0f});
  expect_failure("compress -l " + f("inf.npy") + " -o " + out, 1, "is inf", out);
  write_npy_f32(f("ninf_b.npy"), {20}, std::vector<float>(20, -INFINITY));
  expect_failure("compress -l " + f("w1.npy") + ":" + f("ninf_b.npy") + " -o " + out, 1,
                 "ninf_b.npy", out);
}

TEST_F(Cli, PackChecksTheModelFitsTheConfiguredHardware) {
  ASSERT_EQ(run_cli("compress " + layers() + " --quiet -o " + f("m.eie")).exit_code, 0);
  const Result fits = run_cli("pack " + f("m.eie") +
                              " --pe 4 --spmat-depth 1024 --ptr-depth 1024 "
                              "--act-depth 64 --bias-depth 64 --max-layers 4");
  EXPECT_EQ(fits.exit_code, 0) << fits.output;
  EXPECT_NE(fits.output.find("fits 4 PEs"), std::string::npos) << fits.output;
  const std::string none = f("none");
  expect_failure("pack " + f("m.eie") + " --pe 4 --spmat-depth 1", 1, "sparse-matrix", none);
  expect_failure("pack " + f("m.eie") + " --pe 4 --ptr-depth 8", 1, "pointer", none);
  expect_failure("pack " + f("m.eie") + " --pe 4 --act-depth 2", 1, "activation", none);
  expect_failure("pack " + f("m.eie") + " --pe 4 --bias-depth 4", 1, "bias", none);
  expect_failure("pack " + f("m.eie") + " --pe 4 --bias-depth 3", 2, "power of two", none);
  expect_failure("pack " + f("m.eie") + " --pe 4 --max-layers 1", 1, "layer table", none);
  expect_failure("pack " + f("m.eie") + " --spmat-depth 0", 2, "--spmat-depth", none);
}

}  // namespace
}  // namespace eie
