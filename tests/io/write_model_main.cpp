// Writes a small trained model with every layer type to DIR/model.safetensors,
// with inputs DIR/x.npy and its predictions DIR/predictions.npy. The committed
// golden file (tests/io/golden/) was written by this program; the Python
// reader test reads a fresh one.
#include <cstdio>
#include <string>

#include "mlp/mlp.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: write_model_main DIR\n");
        return 2;
    }
    try {
        const std::string dir = argv[1];
        const auto data = mlp::data::spirals(300, 3, 0.2, 5);
        mlp::Normalization norm("minmax");
        norm.adapt(data.x);
        mlp::Sequential model(
            2,
            {norm, mlp::Dense(16, "tanh"), mlp::BatchNormalization(), mlp::Dropout(0.1), mlp::Dense(16),
             mlp::Activation("leaky_relu:0.1"), mlp::Normalization("standardize"), mlp::Dense(8, "elu"),
             mlp::Dense(8, "gelu"), mlp::Dense(8, "sigmoid"), mlp::Dense(3, "softmax")},
            {.seed = 1});
        model.compile(mlp::Adam{.lr = 1e-2}, "sparse_categorical_crossentropy", {"accuracy"});
        model.fit(data.x, data.y, {.epochs = 3, .batch_size = 32, .verbose = 0});
        model.save(dir + "/model.safetensors");
        const mlp::Tensor x = mlp::Tensor::copy_of(data.x.rows(0, 12));
        mlp::data::save_npy(dir + "/x.npy", x);
        mlp::data::save_npy(dir + "/predictions.npy", model.predict(x));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
