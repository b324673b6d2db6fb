// mlp on a GPU, as bench/torch_gpu.py measures PyTorch: a ReLU MLP of the
// given widths on synthetic data (copied to the GPU once, as fit does).
// Usage: [PRECISION=float32|tf32|bf16] [FUSED=1] gpu_throughput WIDTHS BATCH MODE [ROWS]
//   PRECISION: the products' precision (mlp::cuda::set_matmul_precision).
//   FUSED=1: hidden layers of one width as one DenseStack (its fused kernels).
//   WIDTHS "784,256,128,10": inputs, hidden widths, outputs. Ten outputs or
//     more: softmax and sparse categorical cross-entropy; fewer: linear and MSE.
//   MODE train: samples/s over one shuffled epoch of ROWS rows (Adam);
//        infer: samples/s of predict over ROWS rows in batches of BATCH;
//        latency: the median microseconds of predict on one row, from the
//        host and back (as torch_gpu.py: x.cuda(), model(x), .cpu()).
// Prints one number. ROWS defaults to 64 batches.
#include <mlp/cuda/cuda.hpp>
#include <mlp/mlp.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace {

/// Waits for the GPU: reading one element back returns once the work before it is done.
void synchronize(const mlp::TensorView& on_gpu) { (void)mlp::Tensor::copy_of(on_gpu.rows(0, 1), mlp::Device::cpu()); }

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s WIDTHS BATCH train|infer|latency [ROWS]\n", argv[0]);
        return 2;
    }
    if (mlp::cuda::enable() == 0) {
        std::fprintf(stderr, "no GPU: %s\n", mlp::cuda_status().c_str());
        return 1;
    }
    const char* precision = std::getenv("PRECISION");
    mlp::cuda::set_matmul_precision(mlp::cuda::matmul_precision_named(precision != nullptr ? precision : "float32"));
    std::vector<std::int64_t> widths;
    std::stringstream list(argv[1]);
    for (std::string w; std::getline(list, w, ',');) widths.push_back(std::stoll(w));
    const std::int64_t batch = std::atoll(argv[2]);
    const std::string mode = argv[3];
    const std::int64_t rows = argc > 4 ? std::atoll(argv[4]) : 64 * batch;
    const std::int64_t inputs = widths.front(), outputs = widths.back();
    const bool classifier = outputs >= 10;

    mlp::Sequential model(inputs, {.seed = 0});
    const std::vector<std::int64_t> hidden(widths.begin() + 1, widths.end() - 1);
    const char* fused = std::getenv("FUSED");
    if (fused != nullptr && std::string(fused) == "1") {
        if (hidden.empty() || std::count(hidden.begin(), hidden.end(), hidden.front()) != std::ssize(hidden)) {
            std::fprintf(stderr, "FUSED=1 needs hidden layers of one width\n");
            return 2;
        }
        model.add(mlp::DenseStack(hidden.front(), static_cast<int>(hidden.size()), "relu"));
    } else {
        for (const std::int64_t width : hidden) model.add(mlp::Dense(width, "relu"));
    }
    model.add(mlp::Dense(outputs, classifier ? "softmax" : "linear"));
    model.build(inputs);
    model.compile(mlp::Adam{.lr = 1e-3}, classifier ? "sparse_categorical_crossentropy" : "mse");
    model.to(mlp::Device::cuda());

    mlp::Random rng(1);
    mlp::Tensor x(mlp::Shape{rows, inputs});
    for (float& v : x.values<float>()) v = static_cast<float>(rng.uniform());
    mlp::Tensor y(classifier ? mlp::Shape{rows} : mlp::Shape{rows, outputs});
    for (float& v : y.values<float>())
        v = classifier ? static_cast<float>(rng.below(static_cast<std::uint64_t>(outputs)))
                       : static_cast<float>(rng.uniform());

    if (mode == "train") {
        // A short fit first: the caches, cuBLAS's handle and the kernels' first launches.
        model.fit(x.rows(0, std::min(rows, 4 * batch)), y.rows(0, std::min(rows, 4 * batch)),
                  {.batch_size = batch, .verbose = 0});
        const auto start = std::chrono::steady_clock::now();
        model.fit(x, y, {.batch_size = batch, .verbose = 0});
        synchronize(model.parameters());
        std::printf("%.1f\n", static_cast<double>(rows) / seconds_since(start));
    } else if (mode == "infer") {
        const mlp::Tensor on_gpu = x.to(mlp::Device::cuda());  // the data there, as PyTorch's
        (void)model.predict(on_gpu.rows(0, batch), batch);
        std::vector<double> passes;
        for (int p = 0; p < 5; ++p) {
            const auto start = std::chrono::steady_clock::now();
            synchronize(model.predict(on_gpu, batch));
            passes.push_back(seconds_since(start));
        }
        std::sort(passes.begin(), passes.end());
        std::printf("%.1f\n", static_cast<double>(rows) / passes[passes.size() / 2]);
    } else if (mode == "latency") {
        std::vector<double> calls;
        for (int i = 0; i < 1100; ++i) {
            const auto start = std::chrono::steady_clock::now();
            (void)model.predict(x.rows(i % 1000, 1), 1);  // host in, host out
            if (i >= 100) calls.push_back(seconds_since(start));
        }
        std::sort(calls.begin(), calls.end());
        std::printf("%.2f\n", calls[calls.size() / 2] * 1e6);
    } else {
        std::fprintf(stderr, "unknown mode '%s': train, infer or latency\n", mode.c_str());
        return 2;
    }
}
