// Models that must learn: XOR with 2-2-1, and two moons over seeds 0-4.
#include <gtest/gtest.h>

#include <cstdio>

#include "mlp/data/preprocessing.hpp"
#include "mlp/data/synthetic.hpp"
#include "mlp/data/dataset.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp {

TEST(Training, XorWithTwoHiddenSigmoidUnits) {
    const auto d = data::xor_gate();
    Sequential model(2, {Dense(2, "sigmoid"), Dense(1, "sigmoid")}, {.seed = 1});
    model.compile(SGD{.lr = 0.5, .momentum = 0.9}, "binary_crossentropy", {"accuracy"});
    model.fit(d.x, d.y, {.epochs = 2000, .batch_size = 4, .verbose = 0});
    const Tensor p = model.predict(d.x);
    int correct = 0;
    for (int i = 0; i < 4; ++i) correct += (p.item(i) > 0.5) == (d.y.item(i) > 0.5);
    EXPECT_EQ(correct, 4) << "predictions " << p.item(0) << " " << p.item(1) << " " << p.item(2) << " " << p.item(3);
}

TEST(Training, TwoMoonsMeanAccuracyOverSeeds0To4) {
    // 2,000 points, noise 0.2, 80/20 split; 2-64-32-1 ReLU, Adam, batch 32, 100 epochs.
    double sum = 0;
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
        const auto [train, test] = data::train_test_split(data::moons(2000, 0.2, seed), 0.2, seed);
        Sequential model(2, {Dense(64, "relu"), Dense(32, "relu"), Dense(1, "sigmoid")}, {.seed = seed});
        model.compile(Adam{}, "binary_crossentropy", {"accuracy"});
        model.fit(train.x, train.y, {.epochs = 100, .batch_size = 32, .verbose = 0});
        const double accuracy = model.evaluate(test.x, test.y)["accuracy"];
        std::printf("two moons seed %llu: test accuracy %.4f\n", static_cast<unsigned long long>(seed), accuracy);
        sum += accuracy;
    }
    std::printf("two moons mean test accuracy over seeds 0-4: %.4f\n", sum / 5);
    EXPECT_GE(sum / 5, 0.96);
}

}  // namespace mlp
