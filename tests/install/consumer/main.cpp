// Trains XOR through the installed library; exits 0 when it learned.
#include <mlp/mlp.hpp>

#include <cstdio>

int main() {
    const auto d = mlp::data::xor_gate();
    mlp::Sequential model(2, {mlp::Dense(8, "tanh"), mlp::Dense(1, "sigmoid")}, {.seed = 2});
    model.compile(mlp::Adam{.lr = 0.05}, "binary_crossentropy", {"accuracy"});
    model.fit(d.x, d.y, {.epochs = 300, .batch_size = 4, .verbose = 0});
    const double accuracy = model.evaluate(d.x, d.y)["accuracy"];
    std::printf("installed mlp %s: XOR accuracy %.2f\n", mlp::version(), accuracy);
    return accuracy == 1.0 ? 0 : 1;
}
