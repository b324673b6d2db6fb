// Fashion-MNIST with 784-256-128-10: the recipe whose PyTorch baseline is 0.883
// (bench/torch_fashion_baseline.py: 0.8834, 0.8802, 0.8853 for seeds 0-2).
// Arguments: [epochs] [seed] [training samples to use, 0 = all 60,000].
#include <mlp/mlp.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    const int epochs = argc > 1 ? std::atoi(argv[1]) : 10;
    const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
    const std::int64_t limit = argc > 3 ? std::atoll(argv[3]) : 0;
    const auto train = mlp::data::load_named("fashion-mnist", "train");
    const auto test = mlp::data::load_named("fashion-mnist", "test");
    const std::int64_t n = limit > 0 && limit < train.size() ? limit : train.size();

    mlp::Sequential model(784, {mlp::Dense(256, "relu"), mlp::Dense(128, "relu"), mlp::Dense(10, "softmax")},
                          {.seed = seed});
    model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy", {"accuracy"});
    model.fit(train.x.rows(0, n), train.y.rows(0, n), {.epochs = epochs, .batch_size = 128, .verbose = 2});
    const auto scores = model.evaluate(test.x, test.y);
    std::printf("seed %llu: test %s\n", static_cast<unsigned long long>(seed), scores.str().c_str());
    return 0;
}
