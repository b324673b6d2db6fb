// Two moons (2,000 points, noise 0.2, 80/20 split) with a 2-64-32-1 ReLU network.
#include <mlp/mlp.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    const int epochs = argc > 1 ? std::atoi(argv[1]) : 100;
    const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
    const auto [train, test] = mlp::data::train_test_split(mlp::data::moons(2000, 0.2, seed), 0.2, seed);

    mlp::Sequential model(2, {mlp::Dense(64, "relu"), mlp::Dense(32, "relu"), mlp::Dense(1, "sigmoid")},
                          {.seed = seed});
    model.compile(mlp::Adam{}, "binary_crossentropy", {"accuracy"});
    const auto history = model.fit(train.x, train.y, {.epochs = epochs, .batch_size = 32, .verbose = 0});
    const auto scores = model.evaluate(test.x, test.y);
    std::printf("after %d epochs: train loss %.4f, test %s\n", epochs, history["loss"].back(), scores.str().c_str());
    return scores["accuracy"] > 0.9 ? 0 : 1;
}
