// Each loss: float64 gradient check, a value worked by hand, and stability.
#include "mlp/losses/loss.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "../test_util.hpp"
#include "mlp/check/gradients.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

namespace {
Tensor probabilities(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
    Tensor p = test::random_tensor(rows, cols, seed, 0.1, 1.0);
    for (std::int64_t r = 0; r < rows; ++r) {
        double s = 0;
        for (std::int64_t j = 0; j < cols; ++j) s += p.data<double>()[r * cols + j];
        for (std::int64_t j = 0; j < cols; ++j) p.data<double>()[r * cols + j] /= s;
    }
    return p;
}
Tensor one_hot(const Tensor& ids, std::int64_t classes) {
    Tensor y(Shape{ids.rows(), classes}, DType::f64);
    for (std::int64_t i = 0; i < ids.rows(); ++i)
        y.data<double>()[i * classes + static_cast<std::int64_t>(ids.item(i))] = 1;
    return y;
}
void expect_gradients_match(const Loss& loss, const Tensor& pred, const Tensor& target) {
    const auto report = check::gradients(loss, pred, target);
    EXPECT_TRUE(report.passed(1e-6)) << loss.name() << (loss.from_logits() ? " (logits)" : "") << "\n" << report.str();
    EXPECT_GT(report.tensors[0].analytic_norm, 0.0);
}
}  // namespace

TEST(LossGradients, Regression) {
    const Tensor pred = test::random_tensor(6, 3, 1, -2, 2);
    const Tensor target = test::random_tensor(6, 3, 2, -2, 2);
    expect_gradients_match(Loss("mse"), pred, target);
    expect_gradients_match(Loss("mae"), pred, target);  // random pairs are never equal: away from the kink
    expect_gradients_match(Loss("huber"), pred, target);
    expect_gradients_match(Loss("huber", {.delta = 0.3}), pred, target);
}

TEST(LossGradients, BinaryCrossentropy) {
    const Tensor target = test::random_tensor(8, 2, 3, 0, 1);  // soft targets are allowed
    expect_gradients_match(Loss("binary_crossentropy"), test::random_tensor(8, 2, 4, 0.05, 0.95), target);
    expect_gradients_match(Loss("binary_crossentropy", {.from_logits = true}), test::random_tensor(8, 2, 5, -4, 4),
                           target);
}

TEST(LossGradients, CategoricalCrossentropy) {
    const Tensor ids = test::class_ids(7, 4);
    expect_gradients_match(Loss("categorical_crossentropy"), probabilities(7, 4, 6), one_hot(ids, 4));
    expect_gradients_match(Loss("categorical_crossentropy", {.from_logits = true}), test::random_tensor(7, 4, 7, -3, 3),
                           one_hot(ids, 4));
    expect_gradients_match(Loss("sparse_categorical_crossentropy"), probabilities(7, 4, 8), ids);
    expect_gradients_match(Loss("sparse_categorical_crossentropy", {.from_logits = true}),
                           test::random_tensor(7, 4, 9, -3, 3), ids);
}

TEST(LossValues, WorkedByHand) {
    const Tensor p = Tensor::from<double>(Shape{2, 2}, {1.0, 2.0, 3.0, 5.0});
    const Tensor t = Tensor::from<double>(Shape{2, 2}, {0.0, 2.0, 1.0, 1.0});
    EXPECT_DOUBLE_EQ(Loss("mse").compute(p, t), (1.0 + 0.0 + 4.0 + 16.0) / 4);
    EXPECT_DOUBLE_EQ(Loss("mae").compute(p, t), (1.0 + 0.0 + 2.0 + 4.0) / 4);
    // Huber δ=1: ½·1², 0, 1·(2-½), 1·(4-½)
    EXPECT_DOUBLE_EQ(Loss("huber").compute(p, t), (0.5 + 0.0 + 1.5 + 3.5) / 4);

    const Tensor prob = Tensor::from<double>(Shape{2, 2}, {0.25, 0.75, 0.5, 0.5});
    const Tensor ids = Tensor::from<double>(Shape{2}, {1, 0});
    EXPECT_NEAR(Loss("sparse_categorical_crossentropy").compute(prob, ids), -(std::log(0.75) + std::log(0.5)) / 2,
                1e-12);
    const Tensor bin = Tensor::from<double>(Shape{2, 1}, {0.8, 0.1});
    const Tensor bt = Tensor::from<double>(Shape{2, 1}, {1, 0});
    EXPECT_NEAR(Loss("binary_crossentropy").compute(bin, bt), -(std::log(0.8) + std::log(0.9)) / 2, 1e-12);
}

TEST(LossValues, LogitFormsAgreeWithProbabilityForms) {
    const Tensor z = test::random_tensor(5, 3, 10, -3, 3);
    Tensor s(z.shape(), DType::f64), sig(z.shape(), DType::f64);
    for (std::int64_t r = 0; r < 5; ++r) {
        double sum = 0;
        for (int j = 0; j < 3; ++j) sum += std::exp(z.item(r * 3 + j));
        for (int j = 0; j < 3; ++j) s.data<double>()[r * 3 + j] = std::exp(z.item(r * 3 + j)) / sum;
    }
    for (std::int64_t i = 0; i < 15; ++i) sig.data<double>()[i] = 1 / (1 + std::exp(-z.item(i)));
    const Tensor ids = test::class_ids(5, 3);
    EXPECT_NEAR(Loss("sparse_categorical_crossentropy").compute(s, ids),
                Loss("sparse_categorical_crossentropy", {.from_logits = true}).compute(z, ids), 1e-12);
    const Tensor bt = test::random_tensor(5, 3, 11, 0, 1);
    EXPECT_NEAR(Loss("binary_crossentropy").compute(sig, bt),
                Loss("binary_crossentropy", {.from_logits = true}).compute(z, bt), 1e-12);
}

TEST(LossValues, FromLogitsStaysFiniteForHugeLogits) {
    const Tensor z = Tensor::from<float>(Shape{2, 3}, {1000.f, -1000.f, 0.f, -800.f, 900.f, 5.f});
    const Tensor ids = Tensor::from<float>(Shape{2}, {1, 1});
    Tensor grad(z.shape());
    const double loss = Loss("sparse_categorical_crossentropy", {.from_logits = true}).compute(z, ids, grad);
    EXPECT_TRUE(std::isfinite(loss));
    EXPECT_NEAR(loss, 2000.0 / 2, 1e-3);  // row 1: 1000 - (-1000); row 2: ~0
    for (float g : grad.values<float>()) EXPECT_TRUE(std::isfinite(g));
    const Tensor bt = Tensor::from<float>(Shape{2, 3}, {0, 1, 0, 1, 0, 1});
    EXPECT_TRUE(std::isfinite(Loss("binary_crossentropy", {.from_logits = true}).compute(z, bt, grad)));
}

TEST(LossErrors, NamesAndShapes) {
    EXPECT_THROW(Loss("hinge"), ConfigError);
    EXPECT_THROW(Loss("mse", {.from_logits = true}), ConfigError);
    EXPECT_THROW(Loss("huber", {.delta = -1}), ConfigError);
    const Tensor p(Shape{4, 3}), t(Shape{4, 2});
    try {
        Loss("mse").compute(p, t);
        FAIL();
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("(4, 3) but targets (4, 2)"), std::string::npos) << e.what();
    }
}

}  // namespace mlp
