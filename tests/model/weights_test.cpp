// Sample and class weights in fit, and the model's weights and files.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>

#include "../test_util.hpp"
#include "mlp/core/error.hpp"
#include "mlp/mlp.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dropout.hpp"

namespace mlp {

namespace fs = std::filesystem;

namespace {
Tensor labels(std::int64_t n) {
    Tensor y(Shape{n}, DType::f64);
    for (std::int64_t i = 0; i < n; ++i) y.data<double>()[i] = static_cast<double>(i % 3);
    return y;
}
std::string scratch(const std::string& name) {
    return (fs::temp_directory_path() / ("mlp_weights_" + std::to_string(::getpid()) + "_" + name)).string();
}
}  // namespace

TEST(SampleWeights, WeighEachSamplesLossAsKerasDoes) {
    const Tensor x = test::random_tensor(6, 3, 1), y = labels(6);
    const std::vector<double> w{1, 0, 2, 0.5, 1, 3};
    Sequential model(3, {Dense(3, "softmax")}, {.dtype = DType::f64});
    model.compile(SGD{.lr = 0}, "sparse_categorical_crossentropy");
    // Σ wᵢ Lᵢ / N, from per-sample losses
    double expected = 0;
    for (std::int64_t i = 0; i < 6; ++i)
        expected += w[static_cast<std::size_t>(i)] * model.evaluate(x.rows(i, 1), y.rows(i, 1)).loss() / 6;
    const Tensor sw = Tensor::from(Shape{6}, w);
    const History h =
        model.fit(x, y, {.epochs = 1, .batch_size = 6, .shuffle = false, .verbose = 0, .sample_weight = sw});
    EXPECT_NEAR(h["loss"][0], expected, 1e-12);
}

TEST(ClassWeights, EqualSampleWeightsOfTheSameClasses) {
    const Tensor x = test::random_tensor(30, 3, 2), y = labels(30);
    Tensor sw(Shape{30}, DType::f64);
    for (std::int64_t i = 0; i < 30; ++i) sw.data<double>()[i] = i % 3 == 2 ? 4.0 : 1.0;
    auto train = [&](const FitOptions& options) {
        Sequential m(3, {Dense(4, "tanh"), Dense(3, "softmax")}, {.seed = 7, .dtype = DType::f64});
        m.compile(Adam{.lr = 0.01}, "sparse_categorical_crossentropy");
        m.fit(x, y, options);
        return Tensor::copy_of(m.parameters());
    };
    const Tensor by_class = train({.epochs = 3, .batch_size = 8, .verbose = 0, .class_weight = {{2, 4.0}}});
    const Tensor by_sample = train({.epochs = 3, .batch_size = 8, .verbose = 0, .sample_weight = sw});
    const Tensor unweighted = train({.epochs = 3, .batch_size = 8, .verbose = 0});
    EXPECT_TRUE(test::bit_identical(by_class, by_sample));
    EXPECT_FALSE(test::bit_identical(by_class, unweighted));
}

TEST(SampleWeights, BadWeightsAreErrors) {
    const Tensor x = test::random_tensor(6, 3, 1), y = labels(6);
    Sequential model(3, {Dense(3, "softmax")});
    model.compile("sgd", "sparse_categorical_crossentropy");
    const Tensor short_w(Shape{5}, DType::f64);
    EXPECT_THROW(model.fit(x, y, {.verbose = 0, .sample_weight = short_w}), ShapeError);
    const Tensor negative = Tensor::from(Shape{6}, std::vector<double>{1, 1, -1, 1, 1, 1});
    EXPECT_THROW(model.fit(x, y, {.verbose = 0, .sample_weight = negative}), DataError);
    Sequential regression(3, {Dense(1)});
    regression.compile("sgd", "mse");
    EXPECT_THROW(regression.fit(x, test::random_tensor(6, 1, 2), {.verbose = 0, .class_weight = {{0, 2.0}}}),
                 ConfigError);
}

TEST(ModelFile, RoundTripPredictsBitIdentically) {
    Sequential model(5,
                     {Dense(16, "relu", {.kernel_regularizer = l2(1e-3), .kernel_constraint = MaxNorm{.max_value = 3}}),
                      BatchNormalization(), Dropout(0.2), Dense(8, "leaky_relu:0.2"), Dense(3, "softmax")},
                     {.seed = 4});
    model.compile(AdamW{.lr = 3e-3, .weight_decay = 1e-3, .clipnorm = 1.0}, "sparse_categorical_crossentropy",
                  {"accuracy", "f1"});
    const Tensor x = test::random_tensor(64, 5, 3, -2, 2, DType::f32), y = labels(64);
    model.fit(x, y, {.epochs = 3, .batch_size = 16, .verbose = 0});
    const std::string path = scratch("model.safetensors");
    model.save(path);
    const Sequential loaded = Sequential::load(path);
    EXPECT_TRUE(test::bit_identical(loaded.predict(x), model.predict(x)));
    EXPECT_EQ(loaded.summary_text(), model.summary_text());
    EXPECT_EQ(loaded.metric_names(), model.metric_names());
    // weights alone load into a model of the same architecture
    const std::string weights = scratch("weights.safetensors");
    model.save_weights(weights);
    Sequential twin(
        5, {Dense(16, "relu"), BatchNormalization(), Dropout(0.2), Dense(8, "leaky_relu:0.2"), Dense(3, "softmax")});
    twin.load_weights(weights);
    EXPECT_TRUE(test::bit_identical(twin.predict(x), model.predict(x)));
    Sequential other(5, {Dense(8, "relu"), Dense(3, "softmax")});
    EXPECT_THROW(other.load_weights(weights), Error);
    fs::remove(path);
    fs::remove(weights);
}

TEST(Weights, LayersAreNamedAsKerasNamesThem) {
    Sequential model(6, {SimpleRNN(4, {.features = 2}), Dense(3), BatchNormalization(), Dense(2), Dropout(0.1),
                         Activation("relu"), Residual({Dense(2)})});
    std::vector<std::string> names;
    for (std::size_t i = 0; i < model.size(); ++i) names.push_back(model.layer(i).name());
    EXPECT_EQ(names, (std::vector<std::string>{"simple_rnn_1", "dense_1", "batch_normalization_1", "dense_2",
                                               "dropout_1", "activation_1", "residual_1"}));
}

TEST(Weights, SetWeightsChecksShapes) {
    Sequential model(3, {Dense(2), BatchNormalization()});
    auto w = model.get_weights();
    EXPECT_EQ(w.size(), 6u);  // kernel, bias, gamma, beta, moving mean, moving variance
    EXPECT_EQ(model.weight_names()[4], "batch_normalization_1.moving_mean");
    w[0] = Tensor(Shape{2, 2});
    try {
        model.set_weights(w);
        FAIL();
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("dense_1.kernel"), std::string::npos) << e.what();
    }
}

}  // namespace mlp
