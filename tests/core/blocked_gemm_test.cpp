// The library's own blocked product (src/backend/cpu/blocked_gemm.cpp, what a
// build without BLAS runs) against the textbook triple loop in long double:
// every transpose, alpha and beta, and shapes that end inside a tile, a
// panel and a block (MR 4, NR one cache line, KC 256, MC 128, NC 1024).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "backend/cpu/blocked_gemm.hpp"

namespace {

struct Case {
    std::int64_t m, n, k;
};

template <class T>
void check(const Case& s, bool ta, bool tb, T alpha, T beta) {
    std::mt19937 rng(static_cast<unsigned>(s.m * 131 + s.n * 17 + s.k));
    std::uniform_real_distribution<double> uniform(-1, 1);
    // Stored as given: a is (m, k) or, transposed, (k, m); padded leading dimensions.
    const std::int64_t lda = (ta ? s.m : s.k) + 3, ldb = (tb ? s.k : s.n) + 2, ldc = s.n + 1;
    std::vector<T> a(static_cast<std::size_t>((ta ? s.k : s.m) * lda)),
        b(static_cast<std::size_t>((tb ? s.n : s.k) * ldb));
    std::vector<T> c(static_cast<std::size_t>(s.m * ldc));
    for (auto& v : a) v = static_cast<T>(uniform(rng));
    for (auto& v : b) v = static_cast<T>(uniform(rng));
    // beta 0 must not read c: NaN there would show.
    for (auto& v : c) v = beta == T(0) ? std::numeric_limits<T>::quiet_NaN() : static_cast<T>(uniform(rng));
    const std::vector<T> c0 = c;
    mlp::backend::cpu::blocked_gemm<T>(ta, tb, s.m, s.n, s.k, alpha, a.data(), lda, b.data(), ldb, beta, c.data(), ldc);
    const double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-13;
    double worst = 0;
    for (std::int64_t i = 0; i < s.m; ++i)
        for (std::int64_t j = 0; j < s.n; ++j) {
            long double sum = 0, magnitude = 0;
            for (std::int64_t p = 0; p < s.k; ++p) {
                const long double x = ta ? a[p * lda + i] : a[i * lda + p], y = tb ? b[j * ldb + p] : b[p * ldb + j];
                sum += x * y;
                magnitude += std::fabs(x * y);
            }
            long double expected = alpha * sum;
            if (beta != T(0)) expected += beta * static_cast<long double>(c0[i * ldc + j]);
            const double error = static_cast<double>(std::fabs(c[i * ldc + j] - expected) / (magnitude + 1));
            worst = std::max(worst, std::isnan(error) ? HUGE_VAL : error);
        }
    EXPECT_LE(worst, tolerance) << s.m << "x" << s.n << "x" << s.k << " ta " << ta << " tb " << tb << " alpha " << alpha
                                << " beta " << beta;
    for (std::int64_t i = 0; i < s.m; ++i)  // the padding between rows is left alone
        for (std::int64_t j = s.n; j < ldc; ++j) EXPECT_TRUE(std::isnan(c[i * ldc + j]) == std::isnan(c0[i * ldc + j]));
}

template <class T>
void sweep() {
    for (const Case& s : {Case{1, 1, 1}, Case{1, 37, 5}, Case{9, 1, 300}, Case{5, 7, 3}, Case{4, 16, 256},
                          Case{3, 17, 257}, Case{130, 70, 40}, Case{33, 1030, 9}, Case{129, 33, 513}})
        for (bool ta : {false, true})
            for (bool tb : {false, true})
                for (T beta : {T(0), T(1), T(-0.5)}) check<T>(s, ta, tb, T(1.5), beta);
}

TEST(BlockedGemm, MatchesTheTripleLoopInFloat) { sweep<float>(); }
TEST(BlockedGemm, MatchesTheTripleLoopInDouble) { sweep<double>(); }

TEST(BlockedGemm, NoDepthScalesByBeta) {
    std::vector<double> c = {1, 2, 3, 4};
    mlp::backend::cpu::blocked_gemm<double>(false, false, 2, 2, 0, 1.0, nullptr, 1, nullptr, 2, 0.5, c.data(), 2);
    EXPECT_EQ(c, (std::vector<double>{0.5, 1, 1.5, 2}));
}

}  // namespace
