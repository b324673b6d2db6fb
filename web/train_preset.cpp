// The playground's first preset trained by the library: moons (1,000 points,
// noise 0.2, seed 0), 2-16-16-1 tanh with a sigmoid output, Adam 0.01,
// binary cross-entropy, batch 10, seed 0, 50 epochs. Prints every weight as
// the hexadecimal of its float bits, then the final loss, so that the
// WebAssembly build (under node) and the native one can be compared bit for
// bit: tests/web/same_numbers.cmake does. An argument sets the epochs.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "mlp/mlp.hpp"

int main(int argc, char** argv) {
    const int epochs = argc > 1 ? std::atoi(argv[1]) : 50;
    const mlp::data::Dataset data = mlp::data::moons(1000, 0.2, 0);
    mlp::Sequential model(2, {mlp::Dense(16, "tanh"), mlp::Dense(16, "tanh"), mlp::Dense(1, "sigmoid")}, {.seed = 0});
    model.compile(mlp::Adam{.lr = 0.01}, "binary_crossentropy");
    const mlp::History history = model.fit(data.x, data.y, {.epochs = epochs, .batch_size = 10, .verbose = 0});
    for (const mlp::Tensor& w : model.get_weights())
        for (std::int64_t i = 0; i < w.numel(); ++i) {
            const auto v = static_cast<float>(w.item(i));
            std::uint32_t bits = 0;
            std::memcpy(&bits, &v, sizeof bits);
            std::printf("%08x\n", bits);
        }
    if (epochs > 0) std::printf("loss %.6f\n", history["loss"].back());
}
