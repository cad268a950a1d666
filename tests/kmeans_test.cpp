#include "eie/kmeans.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "eie/error.h"
#include "test_util.h"

namespace eie {
namespace {

using test::expect_error;

constexpr KmeansInit kAllInits[] = {KmeansInit::kLinear, KmeansInit::kDensity, KmeansInit::kRandom};

std::vector<float> gaussian(size_t n, float stddev, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> dist(0.0f, stddev);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// Checks what a converged (or capped) result must satisfy: ascending distinct centroids, every
// value assigned to its nearest centroid (ties to the lower one, checked against every centroid),
// no empty cluster and, when `converged`, every centroid at the mean of its values.
void expect_lloyd_fixed_point(const std::vector<float>& values, const KmeansResult& r, int k,
                              bool converged) {
  ASSERT_FALSE(r.centroids.empty());
  ASSERT_LE(r.centroids.size(), static_cast<size_t>(k));
  ASSERT_EQ(r.assignment.size(), values.size());
  for (size_t j = 1; j < r.centroids.size(); ++j) ASSERT_LT(r.centroids[j - 1], r.centroids[j]);

  double max_abs = 0.0;
  for (float v : values) max_abs = std::max(max_abs, std::fabs(static_cast<double>(v)));
  std::vector<double> sum(r.centroids.size(), 0.0);
  std::vector<size_t> count(r.centroids.size(), 0);
  for (size_t i = 0; i < values.size(); ++i) {
    const size_t a = r.assignment[i];
    ASSERT_LT(a, r.centroids.size()) << "value " << i;
    const double v = values[i];
    const double d = std::fabs(v - r.centroids[a]);
    for (size_t j = 0; j < r.centroids.size(); ++j) {
      // Plain comparisons in this hot loop: GoogleTest macros are slow in sanitizer builds.
      const double dj = std::fabs(v - r.centroids[j]);
      if (j < a ? dj <= d : dj < d) {
        FAIL() << "value " << i << " = " << v << " is assigned to centroid " << a << " = "
               << r.centroids[a] << " but centroid " << j << " = " << r.centroids[j]
               << (j < a ? " is as near and lower" : " is nearer");
      }
    }
    sum[a] += v;
    ++count[a];
  }
  for (size_t j = 0; j < r.centroids.size(); ++j) {
    ASSERT_GT(count[j], 0u) << "centroid " << j << " has no values";
    if (converged) {
      EXPECT_NEAR(r.centroids[j], sum[j] / static_cast<double>(count[j]), 1e-12 * (1 + max_abs))
          << "centroid " << j;
    }
  }
}

TEST(KmeansInitTest, ParsesAndPrintsNames) {
  for (KmeansInit init : kAllInits) EXPECT_EQ(parse_kmeans_init(to_string(init)), init);
  EXPECT_EQ(parse_kmeans_init("linear"), KmeansInit::kLinear);
  EXPECT_EQ(parse_kmeans_init("density"), KmeansInit::kDensity);
  EXPECT_EQ(parse_kmeans_init("random"), KmeansInit::kRandom);
  EXPECT_STREQ(to_string(KmeansInit::kDensity), "density");
}

TEST(KmeansInitTest, UnknownNameListsValidOnes) {
  for (const char* bad : {"Linear", "", "kmeans++"}) {
    try {
      parse_kmeans_init(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(std::string("'") + bad + "'"), std::string::npos) << what;
      for (const char* valid : {"linear", "density", "random"}) {
        EXPECT_NE(what.find(valid), std::string::npos) << what;
      }
    }
  }
}

TEST(KmeansTest, RejectsBadArguments) {
  const std::vector<float> v = {1.0f, 2.0f, 3.0f};
  expect_error([&] { kmeans_1d(v, 0, KmeansInit::kLinear); }, "k = 0 outside [1, 255]");
  expect_error([&] { kmeans_1d(v, -3, KmeansInit::kLinear); }, "k = -3");
  expect_error([&] { kmeans_1d(v, 256, KmeansInit::kLinear); }, "k = 256 outside [1, 255]");
  expect_error([&] { kmeans_1d({}, 4, KmeansInit::kLinear); }, "no values");
  expect_error([&] { kmeans_1d(v, 2, KmeansInit::kLinear, 1, -1); }, "max_iterations = -1");
  EXPECT_NO_THROW(kmeans_1d(v, 255, KmeansInit::kLinear));
}

TEST(KmeansTest, RejectsNonFiniteValuesNamingTheIndex) {
  std::vector<float> v(20, 0.5f);
  v[17] = std::numeric_limits<float>::quiet_NaN();
  expect_error([&] { kmeans_1d(v, 4, KmeansInit::kLinear); }, "k-means: value 17 is NaN");
  v[17] = 0.0f;
  v[3] = -std::numeric_limits<float>::infinity();
  expect_error([&] { kmeans_1d(v, 4, KmeansInit::kDensity); }, "value 3 is infinite");
}

// Three well-separated groups, shuffled: both deterministic initialisations put one starting
// centroid in each group, and Lloyd must land exactly on the group means (all sums are exact).
TEST(KmeansTest, WellSeparatedClustersGiveExactMeans) {
  const std::vector<float> v = {0.5f, -4.0f, 6.0f, -5.0f, 0.25f, -3.5f, 5.0f, -4.5f, 0.75f};
  const std::vector<uint8_t> expected_assignment = {1, 0, 2, 0, 1, 0, 2, 0, 1};
  for (KmeansInit init : {KmeansInit::kLinear, KmeansInit::kDensity}) {
    SCOPED_TRACE(to_string(init));
    const KmeansResult r = kmeans_1d(v, 3, init);
    EXPECT_EQ(r.centroids, (std::vector<double>{-4.25, 0.5, 5.5}));
    EXPECT_EQ(r.assignment, expected_assignment);
    // One update reaches the means; the reassignment after it changes nothing.
    EXPECT_EQ(r.iterations, 1);
  }
}

// Hand-run Lloyd: linear init {0, 2}; 1 is equidistant and goes to the lower centroid; the update
// gives {0.5, 2}, after which nothing moves.
TEST(KmeansTest, TieGoesToLowerCentroid) {
  const KmeansResult r = kmeans_1d({2.0f, 1.0f, 0.0f}, 2, KmeansInit::kLinear);
  EXPECT_EQ(r.centroids, (std::vector<double>{0.5, 2.0}));
  EXPECT_EQ(r.assignment, (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_EQ(r.iterations, 1);
}

// Hand-run Lloyd where a cluster empties: linear init {0, 10, 20}; the middle cluster {5.25, 14.75}
// keeps its mean 10 while its neighbours move to 4.275 and 15.725, so both of its values leave.
TEST(KmeansTest, EmptiedClusterIsDropped) {
  std::vector<float> v = {0.0f, 5.25f, 14.75f, 20.0f};
  v.insert(v.end(), 9, 4.75f);
  v.insert(v.end(), 9, 15.25f);
  std::vector<uint8_t> expected = {0, 0, 1, 1};
  expected.insert(expected.end(), 9, 0);
  expected.insert(expected.end(), 9, 1);

  // Stopped after one iteration, the emptied centroid is still removed from the result.
  const KmeansResult capped = kmeans_1d(v, 3, KmeansInit::kLinear, 1, 1);
  EXPECT_EQ(capped.iterations, 1);
  ASSERT_EQ(capped.centroids.size(), 2u);
  EXPECT_DOUBLE_EQ(capped.centroids[0], 4.275);
  EXPECT_DOUBLE_EQ(capped.centroids[1], 15.725);
  EXPECT_EQ(capped.assignment, expected);

  // Left to run, the second iteration takes the new means and nothing moves after that.
  const KmeansResult r = kmeans_1d(v, 3, KmeansInit::kLinear);
  EXPECT_EQ(r.iterations, 2);
  ASSERT_EQ(r.centroids.size(), 2u);
  EXPECT_DOUBLE_EQ(r.centroids[0], 48.0 / 11);
  EXPECT_DOUBLE_EQ(r.centroids[1], 172.0 / 11);
  EXPECT_EQ(r.assignment, expected);
}

TEST(KmeansTest, ZeroIterationsGivesLinearInitialCentroids) {
  // k points evenly over [2, 10]; 3 and 7 are halfway between two of them (ties to the lower one),
  // and the centroids with no value (6 and 8 after ties) are kept so the init can be inspected.
  const std::vector<float> v = {2.0f, 10.0f, 3.0f, 7.0f};
  const KmeansResult r = kmeans_1d(v, 5, KmeansInit::kLinear, 1, 0);
  EXPECT_EQ(r.centroids, (std::vector<double>{2.0, 4.0, 6.0, 8.0, 10.0}));
  EXPECT_EQ(r.assignment, (std::vector<uint8_t>{0, 4, 0, 2}));
  EXPECT_EQ(r.iterations, 0);

  // k = 1 starts at the midpoint of [min, max].
  EXPECT_EQ(kmeans_1d(v, 1, KmeansInit::kLinear, 1, 0).centroids, (std::vector<double>{6.0}));

  // Non-integer spacing: centroid i is min + i * (max - min) / (k - 1).
  const KmeansResult r2 = kmeans_1d({-1.0f, 2.0f}, 4, KmeansInit::kLinear, 1, 0);
  ASSERT_EQ(r2.centroids.size(), 4u);
  for (size_t i = 0; i < 4; ++i) EXPECT_DOUBLE_EQ(r2.centroids[i], -1.0 + static_cast<double>(i));
}

TEST(KmeansTest, ZeroIterationsGivesDensityInitialCentroids) {
  // Sorted values 0, 10, ..., 90; CDF positions (i + 0.5) / 4 pick indices 1, 3, 6, 8.
  std::vector<float> v;
  for (int i = 9; i >= 0; --i) v.push_back(static_cast<float>(10 * ((i * 7) % 10)));
  EXPECT_EQ(kmeans_1d(v, 4, KmeansInit::kDensity, 1, 0).centroids,
            (std::vector<double>{10, 30, 60, 80}));

  // Skewed data puts more starting points where the values are dense; indices 2 and 7.
  const std::vector<float> skewed = {100, 0, 0, 3, 0, 0, 1, 0, 2, 0};
  EXPECT_EQ(kmeans_1d(skewed, 2, KmeansInit::kDensity, 1, 0).centroids,
            (std::vector<double>{0, 2}));
  // k = 4 picks indices 1, 3, 6, 8 = 0, 0, 1, 3: the duplicate is removed.
  EXPECT_EQ(kmeans_1d(skewed, 4, KmeansInit::kDensity, 1, 0).centroids,
            (std::vector<double>{0, 1, 3}));
  // k = 1 picks the median position.
  EXPECT_EQ(kmeans_1d(v, 1, KmeansInit::kDensity, 1, 0).centroids, (std::vector<double>{50}));
}

TEST(KmeansTest, RandomInitIsSeededSampleOfDistinctValues) {
  const std::vector<float> v = gaussian(1000, 1.0f, 3);
  const KmeansResult a = kmeans_1d(v, 8, KmeansInit::kRandom, 42, 0);
  const KmeansResult b = kmeans_1d(v, 8, KmeansInit::kRandom, 42, 0);
  EXPECT_EQ(a.centroids, b.centroids);
  EXPECT_EQ(a.assignment, b.assignment);
  ASSERT_EQ(a.centroids.size(), 8u);
  for (size_t j = 0; j < a.centroids.size(); ++j) {
    EXPECT_NE(std::find(v.begin(), v.end(), static_cast<float>(a.centroids[j])), v.end())
        << "centroid " << j << " is not one of the values";
    if (j > 0) {
      EXPECT_LT(a.centroids[j - 1], a.centroids[j]);
    }
  }
  // Other seeds give other samples (the chance of a repeat among 1000 values is negligible).
  std::vector<std::vector<double>> seen = {a.centroids};
  for (uint64_t seed : {1u, 2u, 43u}) {
    const KmeansResult c = kmeans_1d(v, 8, KmeansInit::kRandom, seed, 0);
    for (const auto& s : seen) EXPECT_NE(c.centroids, s) << "seed " << seed;
    seen.push_back(c.centroids);
  }
  // The full run is deterministic too.
  EXPECT_EQ(kmeans_1d(v, 8, KmeansInit::kRandom, 5).centroids,
            kmeans_1d(v, 8, KmeansInit::kRandom, 5).centroids);
}

TEST(KmeansTest, FewerDistinctValuesThanK) {
  const std::vector<float> v = {3, 3, 1, 1, 1, 2};
  for (KmeansInit init : kAllInits) {
    SCOPED_TRACE(to_string(init));
    const KmeansResult r = kmeans_1d(v, 10, init);
    EXPECT_EQ(r.centroids, (std::vector<double>{1, 2, 3}));
    EXPECT_EQ(r.assignment, (std::vector<uint8_t>{2, 2, 0, 0, 0, 1}));
  }
  // Random init with fewer distinct values than k uses all of them.
  EXPECT_EQ(kmeans_1d(v, 10, KmeansInit::kRandom, 9, 0).centroids, (std::vector<double>{1, 2, 3}));

  const std::vector<float> same(7, 4.0f);
  for (KmeansInit init : kAllInits) {
    const KmeansResult r = kmeans_1d(same, 15, init);
    EXPECT_EQ(r.centroids, (std::vector<double>{4.0}));
    EXPECT_EQ(r.assignment, std::vector<uint8_t>(7, 0));
  }
}

TEST(KmeansTest, KEqualsOneGivesTheMean) {
  const std::vector<float> v = {1, 2, 3, 10};
  for (KmeansInit init : kAllInits) {
    SCOPED_TRACE(to_string(init));
    const KmeansResult r = kmeans_1d(v, 1, init);
    EXPECT_EQ(r.centroids, (std::vector<double>{4.0}));
    EXPECT_EQ(r.assignment, std::vector<uint8_t>(4, 0));
  }
  const KmeansResult single = kmeans_1d({-0.25f}, 3, KmeansInit::kLinear);
  EXPECT_EQ(single.centroids, (std::vector<double>{-0.25}));
  EXPECT_EQ(single.assignment, (std::vector<uint8_t>{0}));
}

TEST(KmeansTest, ConvergesToFixedPointOnGaussianData) {
  const std::vector<float> v = gaussian(20000, 0.1f, 11);
  for (KmeansInit init : kAllInits) {
    for (int k : {2, 4, 15, 64, 255}) {
      SCOPED_TRACE(std::string(to_string(init)) + " k=" + std::to_string(k));
      const KmeansResult r = kmeans_1d(v, k, init, 7, 100000);
      EXPECT_LT(r.iterations, 100000);
      EXPECT_GE(r.iterations, 1);
      expect_lloyd_fixed_point(v, r, k, /*converged=*/true);
      // Continuous data has far more distinct values than k, so linear init aside (which may
      // leave tail centroids empty) every cluster survives.
      if (init != KmeansInit::kLinear) {
        EXPECT_EQ(r.centroids.size(), static_cast<size_t>(k));
      }
    }
  }
}

TEST(KmeansTest, IterationCapStopsEarlyAndStillAssignsNearest) {
  const std::vector<float> v = gaussian(5000, 1.0f, 5);
  const KmeansResult full = kmeans_1d(v, 15, KmeansInit::kLinear, 1, 100000);
  ASSERT_GT(full.iterations, 3);
  const KmeansResult capped = kmeans_1d(v, 15, KmeansInit::kLinear, 1, 3);
  EXPECT_EQ(capped.iterations, 3);
  EXPECT_NE(capped.centroids, full.centroids);
  expect_lloyd_fixed_point(v, capped, 15, /*converged=*/false);
}

// LeNet-300-100's first layer has 784 x 300 = 235,200 weights and k-means runs inside the
// training loop, so clustering it to 15 shared weights must be quick.
TEST(KmeansTest, LargeLayerConvergesQuickly) {
  const std::vector<float> v = gaussian(235200, 0.05f, 2016);
  for (KmeansInit init : kAllInits) {
    SCOPED_TRACE(to_string(init));
    const auto start = std::chrono::steady_clock::now();
    const KmeansResult r = kmeans_1d(v, 15, init, 1, 100000);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(r.iterations, 100000);
    EXPECT_EQ(r.centroids.size(), 15u);
    // About 0.05 s in an optimised build; the bound leaves room for debug and sanitizer builds.
    EXPECT_LT(seconds, 5.0);
    expect_lloyd_fixed_point(v, r, 15, /*converged=*/true);
    // Gaussian weights are symmetric around 0, and so is the codebook (roughly).
    EXPECT_NEAR(r.centroids.front(), -r.centroids.back(), 0.1 * r.centroids.back());
  }
}

}  // namespace
}  // namespace eie
