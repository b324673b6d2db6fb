// Dropout, BatchNormalization, weight penalties and max-norm: float64 gradient
// checks, and the behaviour each promises in training and in inference.
#include <gtest/gtest.h>

#include <cmath>

#include "../test_util.hpp"
#include "mlp/check/gradients.hpp"
#include "mlp/core/error.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dropout.hpp"

namespace mlp {

namespace {
constexpr ModelOptions f64{.seed = 5, .dtype = DType::f64};

}  // namespace

TEST(DropoutGradients, FixedMaskMatchesFiniteDifferences) {
    Dropout dropout(0.4);
    dropout.freeze_mask(true);
    const auto report = check::gradients(dropout, test::random_tensor(8, 6, 1));
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
    EXPECT_GT(report.tensors[0].analytic_norm, 0.0);
}

TEST(DropoutBehaviour, DropsAboutRateAndScalesSurvivors) {
    Sequential model(1000, {Dropout(0.3)}, {.seed = 1});
    Layer& layer = model.layer(0);
    Tensor x(Shape{50, 1000});
    for (float& v : x.values<float>()) v = 2.0f;
    const TensorView y = layer.forward(x, true);
    std::int64_t dropped = 0;
    for (std::int64_t i = 0; i < y.numel(); ++i) {
        const double v = y.item(i);
        if (v == 0)
            ++dropped;
        else
            EXPECT_NEAR(v, 2.0 / 0.7, 1e-6);
    }
    EXPECT_NEAR(static_cast<double>(dropped) / static_cast<double>(y.numel()), 0.3, 0.01);
    // inference is the identity
    const Tensor out = model.predict(x);
    EXPECT_TRUE(test::bit_identical(out, x));
    // each training forward draws a new mask; the same seed draws the same masks
    const Tensor first = Tensor::copy_of(y);
    const Tensor second = Tensor::copy_of(layer.forward(x, true));
    EXPECT_FALSE(test::bit_identical(first, second));
    Sequential again(1000, {Dropout(0.3)}, {.seed = 1});
    EXPECT_TRUE(test::bit_identical(again.layer(0).forward(x, true), first));
}

TEST(DropoutBehaviour, RateOutsideRangeIsAnError) {
    EXPECT_THROW(Dropout(1.0), ConfigError);
    EXPECT_THROW(Dropout(-0.1), ConfigError);
    try {
        Dropout d(1.5);
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("[0, 1)"), std::string::npos) << e.what();
    }
}

TEST(BatchNormGradients, TrainingModeMatchesFiniteDifferences) {
    const Tensor x = test::random_tensor(9, 5, 2, -3.0, 3.0);
    for (const BatchNormOptions& options :
         {BatchNormOptions{}, BatchNormOptions{.center = false}, BatchNormOptions{.scale = false}}) {
        const auto report = check::gradients(BatchNormalization(options), x);
        EXPECT_TRUE(report.passed(1e-6)) << report.str();
    }
}

TEST(BatchNormBehaviour, InferenceUsesMovingStatistics) {
    Sequential model(3, {BatchNormalization({.momentum = 0.0})}, {.seed = 0, .dtype = DType::f64});
    const Tensor x = test::random_tensor(64, 3, 4, 1.0, 5.0);
    const Tensor train_out = Tensor::copy_of(model.layer(0).forward(x, true));
    // momentum 0: the moving statistics are the last batch's (biased variance),
    // so inference on that batch gives training's output up to rounding
    const Tensor infer_out = model.predict(x);
    EXPECT_LT(test::relative_error(infer_out, train_out), 1e-12);
    // and the training output is standardized per feature
    for (std::int64_t j = 0; j < 3; ++j) {
        double mean = 0, sq = 0;
        for (std::int64_t r = 0; r < 64; ++r) mean += train_out.item(r * 3 + j) / 64;
        for (std::int64_t r = 0; r < 64; ++r) sq += std::pow(train_out.item(r * 3 + j) - mean, 2) / 64;
        EXPECT_NEAR(mean, 0.0, 1e-12);
        EXPECT_NEAR(sq, 1.0, 1e-2);  // ε = 1e-3 shrinks it a little
    }
    EXPECT_EQ(model.summary_text().find("Non-trainable params: 6") != std::string::npos, true) << model.summary_text();
}

TEST(ModelGradients, DenseBatchNormDropoutWithPenaltiesMatchesFiniteDifferences) {
    Sequential model(
        4,
        {Dense(7, "relu", {.kernel_regularizer = l1_l2(1e-2, 1e-2), .bias_regularizer = l2(0.1)}), BatchNormalization(),
         Dropout(0.25), Dense(6, "tanh", {.kernel_regularizer = l2(0.05)}), Dense(3, "softmax")},
        f64);
    model.compile(SGD{}, "sparse_categorical_crossentropy");
    dynamic_cast<Dropout&>(model.layer(2)).freeze_mask(true);
    const auto report = check::gradients(model, test::random_tensor(12, 4, 6), test::class_ids(12, 3));
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
}

TEST(Regularizers, PenaltyIsAddedToTheLoss) {
    Sequential plain(3, {Dense(2, "linear")}, f64);
    Sequential penalized(3, {Dense(2, "linear", {.kernel_regularizer = l1_l2(0.1, 0.2)})}, f64);
    plain.compile(SGD{}, "mse");
    penalized.compile(SGD{}, "mse");
    const Tensor x = test::random_tensor(5, 3, 7), y = test::random_tensor(5, 2, 8);
    const TensorView w = penalized.layer(0).parameters()[0].value;
    double abs_sum = 0, sq_sum = 0;
    for (std::int64_t i = 0; i < w.numel(); ++i) {
        abs_sum += std::abs(w.item(i));
        sq_sum += w.item(i) * w.item(i);
    }
    const double expected = plain.evaluate(x, y).loss() + 0.1 * abs_sum + 0.2 * sq_sum;
    EXPECT_NEAR(penalized.evaluate(x, y).loss(), expected, 1e-12);
    EXPECT_NEAR(penalized.compute_gradients(x, y), expected, 1e-12);
}

TEST(Regularizers, MaxNormKeepsEachUnitsIncomingWeightsBounded) {
    Sequential model(20, {Dense(8, "relu", {.kernel_constraint = MaxNorm{.max_value = 0.5}}), Dense(1)}, f64);
    model.compile(SGD{.lr = 0.5}, "mse");
    const Tensor x = test::random_tensor(32, 20, 9), y = test::random_tensor(32, 1, 10, 5.0, 10.0);
    for (int i = 0; i < 5; ++i) model.train_on_batch(x, y);
    const TensorView w = model.layer(0).parameters()[0].value;
    for (std::int64_t j = 0; j < 8; ++j) {
        double sq = 0;
        for (std::int64_t r = 0; r < 20; ++r) sq += w.item(r * 8 + j) * w.item(r * 8 + j);
        EXPECT_LE(std::sqrt(sq), 0.5 + 1e-9) << "unit " << j;
    }
}

}  // namespace mlp
