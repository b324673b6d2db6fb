// Residual blocks: float64 gradient checks (identity and projected shortcuts,
// with BatchNormalization inside, and in a whole model), the scaled
// initialization of the block's last layer, and what the block computes.
#include <gtest/gtest.h>

#include "../test_util.hpp"
#include "mlp/check/gradients.hpp"
#include "mlp/mlp.hpp"

namespace mlp {

TEST(ResidualGradients, IdentityShortcut) {
    const auto report = check::gradients(Residual({Dense(6, "tanh"), Dense(5)}), test::random_tensor(7, 5, 1));
    ASSERT_EQ(report.tensors.size(), 5u);  // two kernels, two biases, input
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
}

TEST(ResidualGradients, ProjectedShortcutWhenTheWidthChanges) {
    const Residual block({Dense(6, "relu"), Dense(3, "elu")});
    const auto report = check::gradients(block, test::random_tensor(7, 5, 2));
    ASSERT_EQ(report.tensors.size(), 6u);  // ... and the projection's kernel
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
}

TEST(ResidualGradients, WithBatchNormalizationInside) {
    const auto report = check::gradients(Residual({Dense(4, "linear"), BatchNormalization(), Activation("tanh")}),
                                         test::random_tensor(8, 4, 3));
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
}

TEST(ResidualGradients, StackedInAModel) {
    Sequential model(4,
                     {Dense(6, "tanh"), Residual({Dense(6, "tanh"), Dense(6)}, {.init_scale = 0.5}),
                      Residual({Dense(8, "sigmoid"), Dense(5, "tanh")}), Dense(3, "softmax")},
                     {.seed = 3, .dtype = DType::f64});
    model.compile("sgd", Loss("sparse_categorical_crossentropy"));
    const auto report = check::gradients(model, test::random_tensor(9, 4, 4), test::class_ids(9, 3));
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
    EXPECT_EQ(model.weight_names()[2], "residual_1.dense_1.kernel");
}

TEST(Residual, AddsTheInputToTheBlocksOutput) {
    // A block whose last layer starts at zero is the identity.
    Sequential identity(3, {Residual({Dense(4, "relu"), Dense(3, "linear", {.init = "zeros"})})});
    const Tensor x = test::random_tensor(5, 3, 5, -1, 1, DType::f32);
    EXPECT_TRUE(test::bit_identical(identity.predict(x), x));
    // Otherwise y = F(x) + x, in training and in inference alike.
    Sequential model(3, {Residual({Dense(4, "tanh"), Dense(3, "tanh")})}, {.seed = 1});
    Sequential plain(3, {Dense(4, "tanh"), Dense(3, "tanh")}, {.seed = 1});  // the same draws: the same F
    const Tensor y = model.predict(x), f = plain.predict(x);
    for (std::int64_t i = 0; i < x.numel(); ++i) EXPECT_FLOAT_EQ(y.item(i), f.item(i) + x.item(i));
}

TEST(Residual, InitScaleShrinksTheBlocksLastKernelOnly) {
    Sequential full(4, {Residual({Dense(4, "relu"), Dense(4)})}, {.seed = 9});
    Sequential scaled(4, {Residual({Dense(4, "relu"), Dense(4)}, {.init_scale = 0.25})}, {.seed = 9});
    const auto a = full.get_weights(), b = scaled.get_weights();
    ASSERT_EQ(a.size(), 4u);
    EXPECT_TRUE(test::bit_identical(a[0], b[0]));  // first kernel untouched
    for (std::int64_t i = 0; i < a[2].numel(); ++i) EXPECT_FLOAT_EQ(b[2].item(i), 0.25 * a[2].item(i));
}

TEST(Residual, ConfigRoundTripAndErrors) {
    Sequential model(5, {Residual({Dense(8, "relu"), Dropout(0.1), Dense(3)}, {.init_scale = 0.5}), Dense(2)});
    model.compile("adam", Loss("mse"));
    const Sequential back = Sequential::from_json(model.to_json());
    EXPECT_EQ(back.to_json(), model.to_json());
    EXPECT_EQ(back.weight_names(), model.weight_names());
    EXPECT_NE(model.summary_text().find("residual_1 (Residual)"), std::string::npos);
    EXPECT_THROW(Residual({}), ConfigError);
    EXPECT_THROW(Residual({Dense(2)}, {.init_scale = 0}), ConfigError);
    try {
        Sequential::from_json(R"({"inputs": 3, "layers": [{"type": "Residual", "layers": [{"type": "Dense"}]}]})");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("layer 1 (Residual), layer 1"), std::string::npos) << e.what();
    }
}

}  // namespace mlp
