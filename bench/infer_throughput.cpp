// Inference speed of mlp on Fashion-MNIST's test set, as bench/torch_infer.py:
// throughput of predict() in batches of 1024 over the 10,000 test images
// (median of 20 passes) and the latency of predict() on one image (median of
// 1,000 calls, each on the next image). The weights are the initial ones:
// speed does not depend on their values.
// Usage: infer_throughput HIDDEN (e.g. 256,128) [THREADS]  -> "SAMPLES_PER_S LATENCY_US"
#include <mlp/mlp.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "fashion_mlp.hpp"

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s HIDDEN [THREADS]\n", argv[0]);
        return 2;
    }
    if (argc > 2) mlp::set_num_threads(std::atoi(argv[2]));
    const auto test = mlp::data::load_named("fashion-mnist", "test");
    mlp::Sequential model = fashion_mlp(argv[1]);

    std::vector<double> pass_seconds;
    for (int pass = 0; pass < 21; ++pass) {  // the first pass warms up and is not counted
        const auto start = std::chrono::steady_clock::now();
        const mlp::Tensor probabilities = model.predict(test.x, 1024);
        if (pass > 0) pass_seconds.push_back(seconds_since(start));
    }
    std::vector<double> call_seconds;
    for (std::int64_t i = 0; i < 1100; ++i) {  // the first 100 calls warm up
        const mlp::TensorView image = test.x.rows(i % test.size(), 1);
        const auto start = std::chrono::steady_clock::now();
        const mlp::Tensor probabilities = model.predict(image);
        if (i >= 100) call_seconds.push_back(seconds_since(start));
    }
    std::printf("%.1f %.2f\n", static_cast<double>(test.size()) / median(pass_seconds), median(call_seconds) * 1e6);
}
