// BatchNormalization and the optimizers against PyTorch: the fixture comes from
// make_torch_toolkit.py beside this file, the inputs from the same formulas.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../test_util.hpp"
#include "fixture.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/batch_normalization.hpp"

namespace mlp {

namespace {

using test::fill_formula;

class TorchToolkit : public ::testing::Test {
protected:
    void SetUp() override { fixture = test::read_fixture(MLP_REFERENCE_DIR "/torch_toolkit.safetensors"); }
    void expect_close(const TensorView& ours, const std::string& key, double tolerance = 1e-5) {
        const Tensor& theirs = fixture.at(key);
        ASSERT_EQ(ours.numel(), theirs.numel()) << key;
        const double error = test::relative_error(ours, theirs);
        EXPECT_LT(error, tolerance) << key;
        std::printf("  %-36s relative error %.2e\n", key.c_str(), error);
    }
    std::map<std::string, Tensor> fixture;
};

Tensor batch_input(int step) {
    Tensor x(Shape{32, 16});
    fill_formula(x, 0.1 + step, 2.0);
    for (float& v : x.values<float>()) v += 0.7f;
    return x;
}

/// BatchNormalization(16) with PyTorch's γ and β, three training steps; the
/// first with backward under L = Σ y ⊙ r.
void run_batchnorm(Sequential& model, Tensor& y, Tensor& dx) {
    Layer& bn = model.layer(0);
    fill_formula(bn.parameters()[0].value, 0.5, 0.5);
    for (std::int64_t i = 0; i < 16; ++i) bn.parameters()[0].value.data<float>()[i] += 1.0f;
    fill_formula(bn.parameters()[1].value, 1.5, 0.3);
    bn.set_input_grad_needed(true);
    model.zero_grad();
    for (int step = 0; step < 3; ++step) {
        const Tensor x = batch_input(step);
        const TensorView out = bn.forward(x, true);
        if (step == 0) {
            y = Tensor::copy_of(out);
            Tensor r(Shape{32, 16});
            fill_formula(r, 2.5, 1.0);
            dx = Tensor::copy_of(bn.backward(r));
        }
    }
}

}  // namespace

TEST_F(TorchToolkit, BatchNormalizationTrainingStepAndRunningStatistics) {
    Sequential model(16, {BatchNormalization({.momentum = 0.99, .epsilon = 1e-3, .unbiased_moving_variance = true})});
    Tensor y, dx;
    run_batchnorm(model, y, dx);
    const auto& bn = dynamic_cast<const BatchNormalization&>(model.layer(0));
    expect_close(y, "bn.y");
    expect_close(dx, "bn.dx");
    expect_close(bn.parameters()[0].grad, "bn.dgamma");
    expect_close(bn.parameters()[1].grad, "bn.dbeta");
    expect_close(bn.moving_mean(), "bn.running_mean");
    expect_close(bn.moving_variance(), "bn.running_var_unbiased");
}

TEST_F(TorchToolkit, BatchNormalizationKerasMovingVarianceIsBiased) {
    Sequential model(16, {BatchNormalization()});  // Keras's defaults: momentum 0.99, epsilon 1e-3
    Tensor y, dx;
    run_batchnorm(model, y, dx);
    const auto& bn = dynamic_cast<const BatchNormalization&>(model.layer(0));
    expect_close(bn.moving_mean(), "bn.running_mean");
    expect_close(bn.moving_variance(), "bn.running_var_biased");
    // and it differs from PyTorch's unbiased one by the factor B/(B-1) in its updates
    EXPECT_GT(test::relative_error(bn.moving_variance(), fixture.at("bn.running_var_unbiased")), 1e-4);
}

class TorchOptimizer : public TorchToolkit,
                       public ::testing::WithParamInterface<std::pair<const char*, OptimizerOptions>> {};

TEST_P(TorchOptimizer, FiveStepsMatchPyTorch) {
    const auto& [name, options] = GetParam();
    auto optimizer = Optimizer::make(options);
    Tensor params(Shape{64}), grads(Shape{64});
    fill_formula(params, 0.2, 1.0);
    for (int step = 1; step <= 5; ++step) {
        fill_formula(grads, 0.9 * step, 1.0 / step);
        optimizer->step(params, grads);
        expect_close(params, std::string(name) + ".step" + std::to_string(step), 1e-6);
    }
    EXPECT_EQ(optimizer->iterations(), 5);
    EXPECT_FALSE(optimizer->state().empty());
}

INSTANTIATE_TEST_SUITE_P(
    All, TorchOptimizer,
    ::testing::Values(
        std::pair<const char*, OptimizerOptions>{"sgd_momentum", SGD{.lr = 1e-2, .momentum = 0.9}},
        std::pair<const char*, OptimizerOptions>{"sgd_nesterov", SGD{.lr = 1e-2, .momentum = 0.9, .nesterov = true}},
        std::pair<const char*, OptimizerOptions>{"adam", Adam{.lr = 1e-2}},
        std::pair<const char*, OptimizerOptions>{"adamw", AdamW{.lr = 1e-2, .weight_decay = 0.1}},
        std::pair<const char*, OptimizerOptions>{"amsgrad", Adam{.lr = 1e-2, .amsgrad = true}},
        std::pair<const char*, OptimizerOptions>{"rmsprop", RMSprop{.lr = 1e-2}},
        std::pair<const char*, OptimizerOptions>{"rmsprop_centered", RMSprop{.lr = 1e-2, .centered = true}},
        std::pair<const char*, OptimizerOptions>{"rmsprop_centered_momentum",
                                                 RMSprop{.lr = 1e-2, .momentum = 0.9, .centered = true}},
        std::pair<const char*, OptimizerOptions>{"adagrad", Adagrad{.lr = 0.1, .initial_accumulator_value = 0.1}}),
    [](const auto& info) { return std::string(info.param.first); });

/// The largest per-element relative error |ours - theirs| / |theirs|.
double max_element_error(const TensorView& ours, const TensorView& theirs) {
    double worst = 0;
    for (std::int64_t i = 0; i < theirs.numel(); ++i)
        worst = std::max(worst, std::abs(ours.item(i) - theirs.item(i)) / std::abs(theirs.item(i)));
    return worst;
}

TEST_F(TorchToolkit, Float32AdamAndRmspropRoundOneMinusBetaOnce) {
    // From parameters at zero, the first step is the update itself, so an
    // error of 1 - β rounded in float (1.3e-5 in β₂'s term) shows per element.
    const std::pair<const char*, OptimizerOptions> cases[] = {{"adam", Adam{.lr = 1e-3}},
                                                              {"rmsprop", RMSprop{.lr = 1e-2}}};
    for (const auto& [name, options] : cases) {
        auto optimizer = Optimizer::make(options);
        Tensor params(Shape{64}), grads(Shape{64});  // zeroed
        for (int step = 1; step <= 3; ++step) {
            fill_formula(grads, 0.9 * step, 1.0 / step);
            optimizer->step(params, grads);
            if (step == 1) {
                const std::string key = std::string("f32.") + name + ".step1";
                const double error = max_element_error(params, fixture.at(key));
                EXPECT_LT(error, 5e-7) << key;
                std::printf("  %-36s max element error %.2e\n", key.c_str(), error);
            }
        }
        const auto state = optimizer->state();
        const auto& [moment, ours] = state[name == std::string("adam") ? 1 : 0];
        const std::string key = std::string("f32.") + name + "." + (moment == "v" ? "exp_avg_sq" : moment) + ".step3";
        const double error = max_element_error(ours, fixture.at(key));
        EXPECT_LT(error, 5e-7) << key;
        std::printf("  %-36s max element error %.2e\n", key.c_str(), error);
    }
}

}  // namespace mlp
