// The machine's matrix-product limit: OpenBLAS's sgemm GFLOP/s on given shapes,
// with OpenBLAS's own threads (median of ROUNDS calls after a warm-up), and the
// kernels OpenBLAS chose for this CPU.
// Usage: gemm_limit THREADS M K N [M K N ...]  -> "CORE" then "MxKxN GFLOPS" per shape
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 5 || (argc - 2) % 3 != 0) {
        std::fprintf(stderr, "usage: %s THREADS M K N [M K N ...]\n", argv[0]);
        return 2;
    }
    openblas_set_num_threads(std::atoi(argv[1]));
    std::printf("%s\n", openblas_get_corename());
    for (int arg = 2; arg + 2 < argc; arg += 3) {
        const int m = std::atoi(argv[arg]), k = std::atoi(argv[arg + 1]), n = std::atoi(argv[arg + 2]);
        std::vector<float> a(static_cast<std::size_t>(m) * k, 0.5f), b(static_cast<std::size_t>(k) * n, 0.25f),
            c(static_cast<std::size_t>(m) * n);
        const double flops = 2.0 * m * k * n;
        const int rounds = std::clamp(static_cast<int>(4e10 / flops), 5, 400);  // about 0.1-0.3 s a shape
        std::vector<double> rates;
        for (int r = 0; r <= rounds; ++r) {
            const auto start = std::chrono::steady_clock::now();
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f,
                        c.data(), n);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (r > 0) rates.push_back(flops / s / 1e9);  // the first call warms up
        }
        std::nth_element(rates.begin(), rates.begin() + static_cast<long>(rates.size() / 2), rates.end());
        std::printf("%dx%dx%d %.1f\n", m, k, n, rates[rates.size() / 2]);
    }
}
