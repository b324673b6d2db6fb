// Whole models of 3+ layers, each loss, checked against finite differences in float64.
#include <gtest/gtest.h>

#include "../test_util.hpp"
#include "mlp/check/gradients.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/warning.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dropout.hpp"
#include "mlp/nn/residual.hpp"

namespace mlp {

namespace {
constexpr ModelOptions f64{.seed = 3, .dtype = DType::f64};

void expect_model_passes(Sequential& model, const Tensor& x, const Tensor& y) {
    const auto report = check::gradients(model, x, y);
    ASSERT_EQ(report.tensors.size(), 2 * model.size() + 1) << report.str();  // kernel+bias per Dense, + input
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
}
}  // namespace

TEST(ModelGradients, SoftmaxWithSparseCrossentropyFused) {
    Sequential model(4, {Dense(8, "tanh"), Dense(6, "relu"), Dense(3, "softmax")}, f64);
    model.compile(SGD{}, "sparse_categorical_crossentropy");
    EXPECT_TRUE(model.fused_loss());
    expect_model_passes(model, test::random_tensor(10, 4, 1), test::class_ids(10, 3));
}

TEST(ModelGradients, SoftmaxWithCategoricalCrossentropy) {
    Sequential model(4, {Dense(8, "gelu"), Dense(6, "elu"), Dense(3, "softmax")}, f64);
    model.compile(Adam{}, "categorical_crossentropy");
    Tensor y(Shape{10, 3}, DType::f64);
    for (std::int64_t i = 0; i < 10; ++i) y.data<double>()[i * 3 + i % 3] = 1;
    expect_model_passes(model, test::random_tensor(10, 4, 2), y);
}

TEST(ModelGradients, SigmoidWithBinaryCrossentropy) {
    Sequential model(3, {Dense(7, "leaky_relu:0.1"), Dense(5, "sigmoid"), Dense(2, "sigmoid")}, f64);
    model.compile(SGD{}, "binary_crossentropy");
    EXPECT_TRUE(model.fused_loss());
    expect_model_passes(model, test::random_tensor(9, 3, 3), test::random_tensor(9, 2, 4, 0, 1));
}

TEST(ModelGradients, RegressionLosses) {
    for (const char* loss : {"mse", "mae", "huber"}) {
        Sequential model(3, {Dense(6, "tanh"), Dense(5, "relu"), Dense(2)}, f64);
        model.compile(SGD{}, loss);
        expect_model_passes(model, test::random_tensor(8, 3, 5), test::random_tensor(8, 2, 6, -2, 2));
    }
}

TEST(ModelGradients, OneUnitLayersAndOneSampleBatches) {
    // A layer of one unit, or a batch of one row, makes each product a
    // matrix-vector product: forward, dW and dx all take that path.
    Sequential model(3, {Dense(1, "tanh"), Dense(4, "relu"), Dense(1)}, f64);
    model.compile(SGD{}, "mse");
    expect_model_passes(model, test::random_tensor(6, 3, 8), test::random_tensor(6, 1, 9, -1, 1));
    expect_model_passes(model, test::random_tensor(1, 3, 10), test::random_tensor(1, 1, 11, -1, 1));
}

TEST(ModelGradients, StandaloneActivationLayers) {
    Sequential model(4, {Dense(6), Activation("tanh"), Dense(5), Activation("relu"), Dense(3), Activation("softmax")},
                     f64);
    model.compile(SGD{}, "sparse_categorical_crossentropy");
    EXPECT_TRUE(model.fused_loss());  // the softmax layer is fused with the loss too
    const auto report = check::gradients(model, test::random_tensor(10, 4, 7), test::class_ids(10, 3));
    EXPECT_EQ(report.tensors.size(), 7u);  // 3 kernels, 3 biases, input
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
}

TEST(ModelGradients, LinearOutputWithLossFromLogits) {
    Sequential model(4, {Dense(6, "tanh"), Dense(5, "relu"), Dense(3)}, f64);
    model.compile(SGD{}, Loss("sparse_categorical_crossentropy", {.from_logits = true}));
    EXPECT_FALSE(model.fused_loss());
    expect_model_passes(model, test::random_tensor(10, 4, 8), test::class_ids(10, 3));
}

TEST(ModelGradients, DropoutKeepsItsMasksThroughTheCheck) {
    // Each evaluation would draw new masks and differentiate a new function
    // (relative errors near 1); the check holds them as the first pass drew them.
    Sequential model(
        4, {Dense(12, "tanh"), Dropout(0.4), Residual({Dense(12, "relu"), Dropout(0.3)}), Dense(3, "softmax")}, f64);
    model.compile(SGD{}, "sparse_categorical_crossentropy");
    std::vector<std::pair<std::string, std::int64_t>> seen;
    const auto report = check::gradients(model, test::random_tensor(10, 4, 1), test::class_ids(10, 3),
                                         {.progress = [&](const std::string& tensor, std::int64_t done, std::int64_t) {
                                             seen.emplace_back(tensor, done);
                                         }});
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
    ASSERT_EQ(seen.size(), report.tensors.size());  // small tensors: one call each, at the end
    EXPECT_EQ(seen.front(), std::make_pair(std::string("dense_1.kernel"), std::int64_t{48}));
}

TEST(ModelGradients, RefusesFloat32Models) {
    Sequential model(2, {Dense(2, "tanh"), Dense(1)});
    model.compile(SGD{}, "mse");
    EXPECT_THROW(check::gradients(model, test::random_tensor(2, 2, 1), test::random_tensor(2, 1, 2)), ConfigError);
}

}  // namespace mlp
