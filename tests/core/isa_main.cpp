// Trains one small model with every kind of element-wise loop (activations
// from ReLU to GELU, batch normalization, dropout, softmax, Adam, an L2
// penalty) and writes its predictions: run once per vector path (MLP_ISA) by
// isa_paths.cmake, which compares them.
//   isa_main write OUT.npy         prints the vector path it ran
//   isa_main compare A.npy B.npy   exit 1 when they differ by more than 1e-5 (relative)
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "mlp/mlp.hpp"

int main(int argc, char** argv) {
    try {
        if (argc == 4 && std::strcmp(argv[1], "compare") == 0) {
            const mlp::Tensor a = mlp::data::load_npy(argv[2]), b = mlp::data::load_npy(argv[3]);
            double d2 = 0, b2 = 0;
            for (std::int64_t i = 0; i < b.numel(); ++i) {
                d2 += (a.item(i) - b.item(i)) * (a.item(i) - b.item(i));
                b2 += b.item(i) * b.item(i);
            }
            const double error = std::sqrt(d2 / b2);
            std::printf("%s vs %s: relative difference %.2e\n", argv[2], argv[3], error);
            return a.numel() == b.numel() && error < 1e-5 ? 0 : 1;
        }
        if (argc != 3 || std::strcmp(argv[1], "write") != 0) {
            std::fprintf(stderr, "usage: isa_main write OUT.npy | compare A.npy B.npy\n");
            return 2;
        }
        mlp::set_num_threads(2);
        const auto data = mlp::data::spirals(600, 3, 0.2, 7);
        mlp::Sequential model(2,
                              {mlp::Dense(64, "gelu", {.kernel_regularizer = mlp::l2(1e-4)}), mlp::BatchNormalization(),
                               mlp::Dropout(0.1), mlp::Dense(64, "tanh"), mlp::Dense(32, "elu"),
                               mlp::Dense(32, "sigmoid"), mlp::Dense(32, "leaky_relu"), mlp::Dense(3, "softmax")},
                              {.seed = 3});
        model.compile(mlp::Adam{.lr = 1e-2}, "sparse_categorical_crossentropy");
        model.fit(data.x, data.y, {.epochs = 3, .batch_size = 64, .verbose = 0});
        mlp::data::save_npy(argv[2], model.predict(data.x));
        std::printf("vector path: %s\n", mlp::vector_path().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
