// Gradient clipping, learning-rate schedules and optimizer options.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "../test_util.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp {

namespace {
/// A one-layer linear model whose gradient for (x, y) we know: with x = e_i rows
/// and zero weights, dL/dW = -2 y / N per entry under mse.
Sequential linear_model(const OptimizerOptions& options) {
    Sequential model(2, {Dense(2, "linear", {.init = "zeros", .use_bias = false})}, {.dtype = DType::f64});
    model.compile(options, "mse");
    return model;
}
}  // namespace

TEST(Clipping, ByValueByTensorNormAndByGlobalNorm) {
    // x = I, y = [[3, 0], [0, 4]] -> dL/dW = -(2/4) y = [[-1.5, 0], [0, -2]] (mse means over 4 entries)
    const Tensor x = Tensor::from(Shape{2, 2}, std::vector<double>{1, 0, 0, 1});
    const Tensor y = Tensor::from(Shape{2, 2}, std::vector<double>{3, 0, 0, 4});
    auto step_with = [&](const OptimizerOptions& o) {
        Sequential m = linear_model(o);
        m.train_on_batch(x, y);
        return Tensor::copy_of(m.layer(0).parameters()[0].value);
    };
    const Tensor plain = step_with(SGD{.lr = 1});
    EXPECT_DOUBLE_EQ(plain.item(0), 1.5);
    EXPECT_DOUBLE_EQ(plain.item(3), 2.0);
    const Tensor by_value = step_with(SGD{.lr = 1, .clipvalue = 1.0});
    EXPECT_DOUBLE_EQ(by_value.item(0), 1.0);
    EXPECT_DOUBLE_EQ(by_value.item(3), 1.0);
    const Tensor by_norm = step_with(SGD{.lr = 1, .clipnorm = 1.0});  // norm 2.5 -> scaled by 0.4
    EXPECT_DOUBLE_EQ(by_norm.item(0), 0.6);
    EXPECT_DOUBLE_EQ(by_norm.item(3), 0.8);
    const Tensor global = step_with(SGD{.lr = 1, .global_clipnorm = 5.0});  // below the limit: unchanged
    EXPECT_TRUE(test::bit_identical(global, plain));
    EXPECT_THROW(linear_model(Adam{.clipnorm = -1}), ConfigError);
}

TEST(Schedules, FormulasAtKnownSteps) {
    const ScheduleClock at0{.epoch = 0, .step = 0, .steps_per_epoch = 10, .epochs = 10};
    auto at = [](int epoch, std::int64_t step) {
        return ScheduleClock{.epoch = epoch, .step = step, .steps_per_epoch = 10, .epochs = 10};
    };
    const Schedule step_decay = StepDecay{.epochs = 3, .factor = 0.5};
    EXPECT_DOUBLE_EQ(step_decay(1.0, at(2, 25)), 1.0);
    EXPECT_DOUBLE_EQ(step_decay(1.0, at(3, 30)), 0.5);
    EXPECT_DOUBLE_EQ(step_decay(1.0, at(7, 70)), 0.25);
    const Schedule exponential = ExponentialDecay{.decay_steps = 10, .decay_rate = 0.5};
    EXPECT_NEAR(exponential(2.0, at(0, 5)), 2.0 * std::sqrt(0.5), 1e-15);
    const Schedule stairs = ExponentialDecay{.decay_steps = 10, .decay_rate = 0.5, .staircase = true};
    EXPECT_DOUBLE_EQ(stairs(2.0, at(0, 15)), 1.0);
    const Schedule cosine = CosineDecay{};  // over the whole fit: 100 steps
    EXPECT_DOUBLE_EQ(cosine(1.0, at0), 1.0);
    EXPECT_NEAR(cosine(1.0, at(5, 50)), 0.5, 1e-15);
    EXPECT_NEAR(cosine(1.0, at(9, 100)), 0.0, 1e-15);
    const Schedule warm_cosine = CosineDecay{.decay_steps = 20, .alpha = 0.1, .warmup_steps = 4};
    EXPECT_DOUBLE_EQ(warm_cosine(1.0, at(0, 1)), 0.5);
    EXPECT_NEAR(warm_cosine(1.0, at(1, 14)), 0.1 + 0.9 * 0.5, 1e-15);
    const Schedule restarts = CosineDecayRestarts{.first_decay_steps = 10, .t_mul = 2.0, .m_mul = 0.5};
    EXPECT_NEAR(restarts(1.0, at(0, 5)), 0.5, 1e-12);   // halfway through the first period
    EXPECT_NEAR(restarts(1.0, at(1, 10)), 0.5, 1e-12);  // restart at half the height
    EXPECT_NEAR(restarts(1.0, at(2, 20)), 0.5 * 0.5 * (1 + std::cos(std::numbers::pi * 0.5)), 1e-12);
    const Schedule warmup = LinearWarmup{.warmup_steps = 4, .start_factor = 0.2};
    EXPECT_DOUBLE_EQ(warmup(1.0, at(0, 0)), 0.2);
    EXPECT_DOUBLE_EQ(warmup(1.0, at(0, 2)), 0.6);
    EXPECT_DOUBLE_EQ(warmup(1.0, at(0, 9)), 1.0);
    const Schedule user([](int epoch, std::int64_t) { return epoch < 2 ? 0.1 : 0.01; });
    EXPECT_DOUBLE_EQ(user(5.0, at(3, 30)), 0.01);
    EXPECT_THROW(Schedule(StepDecay{.epochs = 0}), ConfigError);
    EXPECT_THROW(Schedule([](int, std::int64_t) { return -1.0; })(1.0, at0), ConfigError);
}

TEST(Schedules, FitAppliesThePerStepRateAndRestoresTheBase) {
    Sequential model = linear_model(SGD{.lr = 0.1});
    const Tensor x = test::random_tensor(40, 2, 1), y = test::random_tensor(40, 2, 2);
    std::vector<double> seen;
    const LambdaCallback spy{
        .on_batch_end = [&](TrainingState& s) { seen.push_back(s.model.optimizer().learning_rate()); }};
    const History h = model.fit(x, y,
                                {.epochs = 2,
                                 .batch_size = 10,
                                 .verbose = 0,
                                 .callbacks = {spy},
                                 .lr_schedule = ExponentialDecay{.decay_steps = 1, .decay_rate = 0.5}});
    ASSERT_EQ(seen.size(), 8u);
    for (std::size_t i = 0; i < 8; ++i) EXPECT_NEAR(seen[i], 0.1 * std::pow(0.5, static_cast<double>(i)), 1e-15);
    EXPECT_NEAR(h["learning_rate"][1], seen.back(), 1e-15);
    EXPECT_DOUBLE_EQ(model.optimizer().learning_rate(), 0.1);
}

TEST(Optimizers, NamesAndBadOptions) {
    for (const char* name : {"sgd", "momentum", "nesterov", "adam", "amsgrad", "adamw", "rmsprop", "adagrad"})
        EXPECT_NO_THROW(Optimizer::make(optimizer_from_name(name))) << name;
    try {
        optimizer_from_name("adamm");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("adamw, rmsprop, adagrad"), std::string::npos) << e.what();
    }
    EXPECT_THROW(Optimizer::make(RMSprop{.rho = 1.0}), ConfigError);
    EXPECT_THROW(Optimizer::make(Adagrad{.epsilon = 0}), ConfigError);
    EXPECT_THROW(Optimizer::make(AdamW{.weight_decay = -1}), ConfigError);
    EXPECT_EQ(Optimizer::make(AdamW{})->name(), "AdamW");
    EXPECT_EQ(Optimizer::make(Adam{.amsgrad = true})->name(), "Adam (amsgrad)");
}

TEST(Optimizers, StateRoundTripsThroughLoadState) {
    const Tensor x = test::random_tensor(16, 2, 3), y = test::random_tensor(16, 2, 4);
    Sequential a = linear_model(RMSprop{.lr = 0.01, .momentum = 0.5, .centered = true});
    Sequential b = linear_model(RMSprop{.lr = 0.01, .momentum = 0.5, .centered = true});
    for (int i = 0; i < 3; ++i) a.train_on_batch(x, y);
    b.set_weights(a.get_weights());
    b.optimizer().load_state(a.optimizer().state(), a.optimizer().iterations());
    a.train_on_batch(x, y);
    b.train_on_batch(x, y);
    EXPECT_TRUE(test::bit_identical(a.parameters(), b.parameters()));
    EXPECT_EQ(b.optimizer().iterations(), 4);
}

}  // namespace mlp
