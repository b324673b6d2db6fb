// Writes one small model per layer type and activation, residual and dense-stack models and
// a trained Fashion-MNIST model, each as NAME.onnx beside NAME.x.npy (1,000 rows)
// and NAME.y.npy (what predict gives), for the ONNX checker and ONNX Runtime
// to compare against (check_onnx.py, run_onnx.js).
//   export_models_main DIR
#include <mlp/mlp.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

mlp::Tensor inputs(std::int64_t rows, std::int64_t features, std::uint64_t seed, mlp::DType dtype) {
    mlp::Random rng(seed);
    mlp::Tensor x(mlp::Shape{rows, features}, mlp::DType::f64);
    for (std::int64_t i = 0; i < rows * features; ++i) x.data<double>()[i] = rng.normal(0.0, 1.5);
    return x.to(dtype);
}

void write(const std::string& dir, const std::string& name, mlp::Sequential& model, std::uint64_t seed) {
    const mlp::Tensor x = inputs(1000, model.inputs(), seed, model.dtype());
    model.export_onnx(dir + "/" + name + ".onnx");
    mlp::data::save_npy(dir + "/" + name + ".x.npy", x.view());
    mlp::data::save_npy(dir + "/" + name + ".y.npy", model.predict(x.view()).view());
    std::printf("%s: %s\n", name.c_str(), model.layer(0).label().c_str());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    std::filesystem::create_directories(dir);
    std::uint64_t seed = 1;
    // Every activation, in a Dense layer and as an Activation layer.
    for (const char* f : {"linear", "step", "sign", "piecewise_linear", "sigmoid", "tanh", "relu", "leaky_relu:0.2",
                          "elu:0.7", "gelu", "softmax"}) {
        mlp::Sequential dense(5, {mlp::Dense(7, f), mlp::Dense(3, "linear")}, {.seed = seed});
        std::string name = f;
        for (char& c : name)
            if (c == ':' || c == '.') c = '_';
        write(dir, "dense_" + name, dense, seed++);
        mlp::Sequential layer(5, {mlp::Dense(7), mlp::Activation(f), mlp::Dense(2)}, {.seed = seed});
        write(dir, "activation_" + name, layer, seed++);
    }
    // Dropout (gone at inference), BatchNormalization with trained statistics, Normalization.
    const mlp::data::Dataset moons = mlp::data::moons(512, 0.2, 3);
    mlp::Normalization norm("standardize");
    norm.adapt(moons.x.view());
    mlp::Sequential regular(
        2, {norm, mlp::Dense(16, "relu"), mlp::BatchNormalization(), mlp::Dropout(0.3), mlp::Dense(1, "sigmoid")},
        {.seed = seed});
    regular.compile(mlp::Adam{.lr = 1e-2}, "binary_crossentropy");
    regular.fit(moons.x.view(), moons.y.view(), {.epochs = 3, .batch_size = 32, .verbose = 0});
    write(dir, "normalization_batchnorm_dropout", regular, seed++);
    mlp::Sequential no_affine(
        4,
        {mlp::Dense(6, "tanh"), mlp::BatchNormalization({.center = false, .scale = false}), mlp::Dense(2, "softmax")},
        {.seed = seed});
    write(dir, "batchnorm_without_affine", no_affine, seed++);
    mlp::Sequential no_bias(4, {mlp::Dense(6, "relu", {.use_bias = false}), mlp::Dense(2)}, {.seed = seed});
    write(dir, "dense_without_bias", no_bias, seed++);
    // Residual blocks, one keeping the width, one projecting it.
    mlp::Sequential residual(0, mlp::ModelOptions{.seed = seed});
    residual.add(mlp::Dense(8, "relu"))
        .add(mlp::Residual({mlp::Dense(8, "relu"), mlp::Dense(8)}))
        .add(mlp::Residual({mlp::Dense(12, "gelu")}))
        .add(mlp::Dense(3, "softmax"));
    residual.build(4);
    write(dir, "residual", residual, seed++);
    // DenseStack: a width-changing first layer then square ones, and a stack without bias that keeps the width.
    mlp::Sequential stack(5, {mlp::DenseStack(8, 3, "tanh"), mlp::Dense(2)}, {.seed = seed});
    write(dir, "dense_stack", stack, seed++);
    mlp::Sequential square(6, {mlp::DenseStack(6, 2, "leaky_relu:0.2", {.use_bias = false})}, {.seed = seed});
    write(dir, "dense_stack_square_without_bias", square, seed++);
    // SimpleRNN: the last state, and every state; each activation the RNN operator takes.
    for (const char* f : {"tanh", "relu", "sigmoid"}) {
        mlp::Sequential last(12, {mlp::SimpleRNN(5, {.features = 3, .activation = f}), mlp::Dense(2)}, {.seed = seed});
        write(dir, std::string("rnn_last_") + f, last, seed++);
    }
    mlp::Sequential every(
        12, {mlp::SimpleRNN(4, {.features = 2, .return_sequences = true, .use_bias = false}), mlp::Dense(3, "softmax")},
        {.seed = seed});
    write(dir, "rnn_sequences_without_bias", every, seed++);
    // Float64 weights and inputs.
    mlp::Sequential f64(3, {mlp::Dense(5, "tanh"), mlp::Dense(2, "softmax")}, {.seed = seed, .dtype = mlp::DType::f64});
    write(dir, "float64", f64, seed++);
    // The Fashion-MNIST model, 784-256-128-10, trained (one epoch on 6,000 images), run on real test images.
    const auto train = mlp::data::load_named("fashion-mnist", "train");
    const auto test = mlp::data::load_named("fashion-mnist", "test");
    mlp::Sequential fashion(784, {mlp::Dense(256, "relu"), mlp::Dense(128, "relu"), mlp::Dense(10, "softmax")},
                            {.seed = seed});
    fashion.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy");
    fashion.fit(train.x.rows(0, 6000), train.y.rows(0, 6000), {.epochs = 1, .batch_size = 128, .verbose = 0});
    const mlp::TensorView images = test.x.view().rows(0, 1000);
    fashion.export_onnx(dir + "/fashion.onnx");
    mlp::data::save_npy(dir + "/fashion.x.npy", images);
    mlp::data::save_npy(dir + "/fashion.y.npy", fashion.predict(images).view());
    std::printf("fashion: trained, %s\n", fashion.layer(0).label().c_str());
    return 0;
}
