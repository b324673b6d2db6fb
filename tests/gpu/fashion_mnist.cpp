// The Fashion-MNIST recipe (examples/fashion_mnist.cpp: 784-256-128-10, Adam
// 1e-3, batch 128) trained on the GPU, for each seed asked; prints every
// seed's test accuracy, their mean and the seconds per epoch, and exits 1 when
// the mean is under the bar.
// Usage: gpu_fashion_mnist DATA_DIR [EPOCHS=10] [SEEDS=0,1,2] [BAR=0.880]
//   DATA_DIR holds the four IDX files (train-images-idx3-ubyte.gz, ...).
#include <mlp/cuda/cuda.hpp>
#include <mlp/mlp.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DATA_DIR [EPOCHS] [SEEDS] [BAR]\n", argv[0]);
        return 2;
    }
    if (mlp::cuda::enable() == 0) {
        std::fprintf(stderr, "no GPU: %s\n", mlp::cuda_status().c_str());
        return 1;
    }
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 10;
    const std::string seeds = argc > 3 ? argv[3] : "0,1,2";
    const double bar = argc > 4 ? std::atof(argv[4]) : 0.880;
    const auto train = mlp::data::load_named(argv[1], "train");
    const auto test = mlp::data::load_named(argv[1], "test");
    double sum = 0;
    int count = 0;
    std::stringstream list(seeds);
    for (std::string seed; std::getline(list, seed, ',');) {
        mlp::Sequential model(784, {mlp::Dense(256, "relu"), mlp::Dense(128, "relu"), mlp::Dense(10, "softmax")},
                              {.seed = std::stoull(seed)});
        model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy", {"accuracy"});
        model.to(mlp::Device::cuda());
        const auto start = std::chrono::steady_clock::now();
        model.fit(train.x, train.y, {.epochs = epochs, .batch_size = 128, .verbose = 0});
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double accuracy = model.evaluate(test.x, test.y)["accuracy"];
        std::printf("seed %s: test accuracy %.4f (%.2f s an epoch on the GPU)\n", seed.c_str(), accuracy,
                    seconds / epochs);
        sum += accuracy;
        ++count;
    }
    const double mean = sum / count;
    std::printf("mean test accuracy over %d seeds: %.4f (bar %.3f): %s\n", count, mean, bar,
                mean >= bar ? "passed" : "FAILED");
    return mean >= bar ? 0 : 1;
}
