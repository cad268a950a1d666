// Every input kept under tests/fuzz/ (the seed corpus and the inputs that once found a bug) goes
// through the fuzz targets' checks on every `make test`, in the normal and the sanitizer builds.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "eie/file_io.h"
#include "fuzz/fuzz_checks.h"

namespace fs = std::filesystem;

namespace {

size_t replay(const std::string& target, void (*check)(const uint8_t*, size_t)) {
  size_t count = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(EIE_SOURCE_DIR) / "tests" / "fuzz" / kind / target;
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      SCOPED_TRACE(entry.path().string());
      const std::vector<uint8_t> bytes =
          eie::read_file(entry.path().string(), 1u << 20, "corpus file");
      check(bytes.data(), bytes.size());
      ++count;
    }
  }
  return count;
}

}  // namespace

TEST(FuzzCorpus, ModelFile) { EXPECT_GE(replay("model_file", eie::fuzz::check_model_file), 3u); }
TEST(FuzzCorpus, Npy) { EXPECT_GE(replay("npy", eie::fuzz::check_npy), 3u); }
TEST(FuzzCorpus, Idx) { EXPECT_GE(replay("idx", eie::fuzz::check_idx), 2u); }
