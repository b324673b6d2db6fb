// Writes a small trained model with every layer type to DIR/model.safetensors,
// with inputs DIR/x.npy and its predictions DIR/predictions.npy. The data come
// as a CSV with a categorical column and named classes, so the model's input
// spec has a one-hot layout. The committed golden files (tests/io/golden/)
// were written by this program (version 1 before it had the CSV); the Python
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
        const auto spirals = mlp::data::spirals(300, 3, 0.2, 5);
        const char* arms[] = {"red", "green", "blue"};
        std::string csv = "x1,side,x2,arm\n";
        for (std::int64_t i = 0; i < spirals.size(); ++i) {
            const float x1 = spirals.x.data<float>()[2 * i], x2 = spirals.x.data<float>()[2 * i + 1];
            csv += std::to_string(x1) + (x1 < 0 ? ",left," : ",right,") + std::to_string(x2) + "," +
                   arms[static_cast<int>(spirals.y.data<float>()[i])] + "\n";
        }
        const auto data = mlp::data::parse_csv(csv, {.label = "arm", .categorical = {"side"}}, "spirals.csv");
        mlp::Normalization norm("minmax");
        norm.adapt(data.x);
        mlp::Sequential model(
            data.features(),
            {norm, mlp::Dense(16, "tanh"), mlp::BatchNormalization(), mlp::Dropout(0.1), mlp::Dense(16),
             mlp::Activation("leaky_relu:0.1"), mlp::Normalization("standardize"), mlp::Dense(8, "elu"),
             mlp::Dense(8, "gelu"), mlp::Dense(8, "sigmoid"), mlp::Dense(3, "softmax")},
            {.seed = 1});
        model.set_input_spec(data.input_spec());
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
