// XOR, the problem a single perceptron cannot solve, with a 2-2-1 sigmoid network.
#include <mlp/mlp.hpp>

#include <cstdio>

int main() {
    const auto data = mlp::data::xor_gate();
    mlp::Sequential model(2, {mlp::Dense(2, "sigmoid"), mlp::Dense(1, "sigmoid")}, {.seed = 1});
    model.compile(mlp::SGD{.lr = 0.5, .momentum = 0.9}, "binary_crossentropy", {"accuracy"});
    model.fit(data.x, data.y, {.epochs = 2000, .batch_size = 4, .verbose = 0});

    const mlp::Tensor p = model.predict(data.x);
    int correct = 0;
    for (int i = 0; i < 4; ++i) {
        const bool predicted = p.item(i) > 0.5;
        correct += predicted == (data.y.item(i) > 0.5);
        std::printf("%g xor %g -> %.3f (%d)\n", data.x.item(2 * i), data.x.item(2 * i + 1), p.item(i), predicted);
    }
    std::printf("%d/4 correct\n", correct);
    return correct == 4 ? 0 : 1;
}
