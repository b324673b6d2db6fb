// The C++ side of the Python tests: what Python does, done through the C++
// API, so that the tests can compare the two bit for bit.
//   cpp_peer train SEED EPOCHS ROWS WEIGHTS   784-256-128-10 on the first ROWS
//       Fashion-MNIST training images, Adam 1e-3, batch 128; saves the weights
//   cpp_peer predict MODEL X.npy OUT.npy RESAVED   predicts x with a model file
//       and saves the model again (a file written by C++ for Python to load)
#include <cstdio>
#include <exception>
#include <string>

#include "mlp/mlp.hpp"

int main(int argc, char** argv) try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "train" && argc == 6) {
        const auto data = mlp::data::load_named("fashion-mnist", "train");
        const std::int64_t rows = std::stoll(argv[4]);
        mlp::Sequential model(784, {mlp::Dense(256, "relu"), mlp::Dense(128, "relu"), mlp::Dense(10, "softmax")},
                              {.seed = std::stoull(argv[2])});
        model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy", {"accuracy"});
        model.fit(data.x.rows(0, rows), data.y.rows(0, rows),
                  {.epochs = std::stoi(argv[3]), .batch_size = 128, .verbose = 0});
        model.save_weights(argv[5]);
        return 0;
    }
    if (mode == "predict" && argc == 6) {
        const mlp::Sequential model = mlp::Sequential::load(argv[2]);
        mlp::data::save_npy(argv[4], model.predict(mlp::data::load_npy(argv[3])));
        model.save(argv[5]);
        return 0;
    }
    std::fprintf(stderr, "usage: cpp_peer train SEED EPOCHS ROWS WEIGHTS | predict MODEL X.npy OUT.npy RESAVED\n");
    return 2;
} catch (const std::exception& e) {
    std::fprintf(stderr, "cpp_peer: %s\n", e.what());
    return 1;
}
