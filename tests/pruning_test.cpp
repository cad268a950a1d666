#include "eie/pruning.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "eie/error.h"
#include "test_util.h"

namespace eie {
namespace {

using test::expect_error;

TEST(PruneByDensityTest, KeepsLargestMagnitudes) {
  const std::vector<float> w = {0.1f, -0.9f, 0.3f, 0.8f, -0.2f, 0.05f, -0.7f, 0.4f, 0.0f, 0.6f};
  EXPECT_EQ(prune_by_density(w, 0.3), (Mask{0, 1, 0, 1, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(prune_by_density(w, 0.5), (Mask{0, 1, 0, 1, 0, 0, 1, 1, 0, 1}));
  EXPECT_EQ(prune_by_density(w, 0.1), (Mask{0, 1, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(PruneByDensityTest, KeepsRoundedCount) {
  const std::vector<float> w = {5, 4, 3, 2, 1, -6, -7, 8, 9, 10};
  EXPECT_EQ(count_kept(prune_by_density(w, 0.25)), 3u);         // 2.5 rounds away from zero
  EXPECT_EQ(count_kept(prune_by_density(w, 0.24)), 2u);         // 2.4
  EXPECT_EQ(count_kept(prune_by_density(w, 0.26)), 3u);         // 2.6
  EXPECT_EQ(count_kept(prune_by_density(w, 0.04)), 0u);         // 0.4
  EXPECT_EQ(count_kept(prune_by_density(w, 0.96)), 10u);        // 9.6
  EXPECT_EQ(count_kept(prune_by_density({1, 2, 3}, 0.5)), 2u);  // 1.5
}

TEST(PruneByDensityTest, EndpointsKeepNoneOrAll) {
  const std::vector<float> w = {0.0f, -1.0f, 0.0f, 2.0f};
  EXPECT_EQ(prune_by_density(w, 0.0), (Mask{0, 0, 0, 0}));
  EXPECT_EQ(prune_by_density(w, 1.0), (Mask{1, 1, 1, 1}));  // zeros too: density is a count
  EXPECT_TRUE(prune_by_density({}, 0.5).empty());
}

TEST(PruneByDensityTest, TiesGoToLowerIndex) {
  const std::vector<float> w = {1.0f, -2.0f, 2.0f, 1.0f, -2.0f, 0.5f};
  EXPECT_EQ(prune_by_density(w, 2.0 / 6), (Mask{0, 1, 1, 0, 0, 0}));
  EXPECT_EQ(prune_by_density(w, 3.0 / 6), (Mask{0, 1, 1, 0, 1, 0}));
  EXPECT_EQ(prune_by_density(w, 4.0 / 6), (Mask{1, 1, 1, 0, 1, 0}));
  // +0 and -0 have the same magnitude.
  EXPECT_EQ(prune_by_density({-0.0f, 0.0f, -0.0f}, 0.34), (Mask{1, 0, 0}));
  const std::vector<float> flat(8, -0.5f);
  EXPECT_EQ(prune_by_density(flat, 0.5), (Mask{1, 1, 1, 1, 0, 0, 0, 0}));
}

// Against a straightforward reference (stable sort by magnitude) on data with many ties.
TEST(PruneByDensityTest, MatchesStableSortReference) {
  std::mt19937_64 rng(17);
  std::uniform_int_distribution<int> level(-20, 20);
  std::vector<float> w(10007);
  for (float& x : w) x = 0.125f * static_cast<float>(level(rng));
  for (double density : {0.0, 0.01, 0.09, 0.1, 0.5, 0.77, 1.0}) {
    SCOPED_TRACE(density);
    std::vector<size_t> order(w.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&w](size_t a, size_t b) { return std::fabs(w[a]) > std::fabs(w[b]); });
    const auto keep = static_cast<size_t>(std::llround(density * static_cast<double>(w.size())));
    Mask expected(w.size(), 0);
    for (size_t i = 0; i < keep; ++i) expected[order[i]] = 1;
    const Mask m = prune_by_density(w, density);
    EXPECT_EQ(count_kept(m), keep);
    EXPECT_EQ(m, expected);
  }
}

TEST(PruneByDensityTest, RejectsBadInput) {
  const std::vector<float> w = {1, 2, 3};
  expect_error([&] { prune_by_density(w, 1.5); }, "pruning density 1.5 outside [0, 1]");
  expect_error([&] { prune_by_density(w, -0.1); }, "pruning density -0.1 outside [0, 1]");
  expect_error([&] { prune_by_density(w, std::nan("")); }, "outside [0, 1]");
  std::vector<float> bad = {1, 2, std::numeric_limits<float>::quiet_NaN(), 4};
  expect_error([&] { prune_by_density(bad, 0.5); }, "weight 2 is NaN");
  bad[2] = std::numeric_limits<float>::infinity();
  expect_error([&] { prune_by_density(bad, 0.5); }, "weight 2 is infinite");
}

// w = {2, 4, 4, 4, 5, 5, 7, 9}: mean 5, population variance 32 / 8 = 4, std 2 (exact). A
// threshold from the root mean square (sqrt(29) ~ 5.39) or the sample std (~2.14) would differ.
TEST(PruneByQualityTest, ThresholdIsQualityTimesPopulationStd) {
  const std::vector<float> w = {2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_EQ(prune_by_quality(w, 1.0), (Mask{0, 1, 1, 1, 1, 1, 1, 1}));  // |w| > 2, strictly
  EXPECT_EQ(prune_by_quality(w, 2.0), (Mask{0, 0, 0, 0, 1, 1, 1, 1}));  // |w| > 4
  EXPECT_EQ(prune_by_quality(w, 2.5), (Mask{0, 0, 0, 0, 0, 0, 1, 1}));  // |w| > 5
  EXPECT_EQ(prune_by_quality(w, 0.5), (Mask{1, 1, 1, 1, 1, 1, 1, 1}));  // |w| > 1
  EXPECT_EQ(prune_by_quality(w, 4.5), (Mask{0, 0, 0, 0, 0, 0, 0, 0}));  // |w| > 9
  // |w| > 3.8 keeps the 4s; the sample std would give 4.06 and drop them.
  EXPECT_EQ(prune_by_quality(w, 1.9), (Mask{0, 1, 1, 1, 1, 1, 1, 1}));
  // Magnitudes are compared, and the std does not change when every sign flips.
  std::vector<float> neg(w);
  for (float& x : neg) x = -x;
  EXPECT_EQ(prune_by_quality(neg, 2.0), (Mask{0, 0, 0, 0, 1, 1, 1, 1}));
  // Mixed signs: {-3, 1, 1, 1} has mean 0, variance 12 / 4 = 3, so q = 1 keeps |w| > 1.732.
  EXPECT_EQ(prune_by_quality({-3, 1, 1, 1}, 1.0), (Mask{1, 0, 0, 0}));
}

TEST(PruneByQualityTest, ZeroQualityKeepsNonZeros) {
  EXPECT_EQ(prune_by_quality({0.0f, 1.0f, -0.5f, 0.0f, -0.0f}, 0.0), (Mask{0, 1, 1, 0, 0}));
  // A constant layer has std 0: every non-zero weight survives any quality.
  EXPECT_EQ(prune_by_quality({3, 3, 3}, 100.0), (Mask{1, 1, 1}));
  EXPECT_TRUE(prune_by_quality({}, 1.0).empty());
}

TEST(PruneByQualityTest, RejectsBadInput) {
  const std::vector<float> w = {1, 2, 3};
  expect_error([&] { prune_by_quality(w, -0.5); }, "quality parameter -0.5");
  expect_error([&] { prune_by_quality(w, std::nan("")); }, "quality parameter nan");
  expect_error([&] { prune_by_quality(w, std::numeric_limits<double>::infinity()); },
               "quality parameter inf");
  const std::vector<float> bad = {1, std::numeric_limits<float>::quiet_NaN()};
  expect_error([&] { prune_by_quality(bad, 1.0); }, "weight 1 is NaN");
}

TEST(CountKeptTest, CountsOnes) {
  EXPECT_EQ(count_kept({}), 0u);
  EXPECT_EQ(count_kept({1, 0, 1, 1, 0}), 3u);
  EXPECT_EQ(count_kept(Mask(1000, 1)), 1000u);
}

}  // namespace
}  // namespace eie
