// Float64 central-difference checks of every layer and activation: the
// parameter gradients and the input gradient of backward().
#include <gtest/gtest.h>

#include <cmath>

#include "../test_util.hpp"
#include "mlp/check/gradients.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp {

namespace {
const char* const activations[] = {"linear",     "step", "sign", "piecewise_linear", "sigmoid",  "tanh",
                                   "relu",       "leaky_relu", "leaky_relu:0.2", "elu", "elu:0.5", "gelu",
                                   "softmax"};

/// Inputs in [-2, 2] kept at least 0.05 away from the kinks at 0 and ±1/2.
Tensor away_from_kinks(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
    Tensor x = test::random_tensor(rows, cols, seed, -2.0, 2.0);
    for (double& v : x.values<double>())
        for (double kink : {0.0, 0.5, -0.5})
            if (std::abs(v - kink) < 0.05) v = kink + (v < kink ? -0.05 : 0.05);
    return x;
}
}  // namespace

class ActivationGradients : public ::testing::TestWithParam<const char*> {};

TEST_P(ActivationGradients, ActivationLayerMatchesFiniteDifferences) {
    const auto report = check::gradients(Activation(GetParam()), away_from_kinks(6, 7, 1));
    EXPECT_TRUE(report.passed(1e-6)) << GetParam() << "\n" << report.str();
}

TEST_P(ActivationGradients, DenseWithActivationMatchesFiniteDifferences) {
    // Pre-activations of a random layer land on a kink with probability ~0.
    const auto report = check::gradients(Dense(5, GetParam()), test::random_tensor(6, 4, 2));
    ASSERT_EQ(report.tensors.size(), 3u);  // kernel, bias, input
    EXPECT_TRUE(report.passed(1e-6)) << GetParam() << "\n" << report.str();
}

INSTANTIATE_TEST_SUITE_P(All, ActivationGradients, ::testing::ValuesIn(activations),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (auto& c : name)
                                 if (c == ':' || c == '.') c = '_';
                             return name;
                         });

TEST(ActivationGradients, StepAndSignHaveZeroGradientAlmostEverywhere) {
    for (const char* name : {"step", "sign"}) {
        const auto report = check::gradients(Activation(name), away_from_kinks(4, 5, 3));
        ASSERT_EQ(report.tensors.size(), 1u);
        EXPECT_EQ(report.tensors[0].analytic_norm, 0.0) << name;
        EXPECT_EQ(report.tensors[0].numeric_norm, 0.0) << name;
    }
}

TEST(DenseGradients, WithoutBias) {
    const auto report = check::gradients(Dense(3, "tanh", {.use_bias = false}), test::random_tensor(5, 4, 4));
    ASSERT_EQ(report.tensors.size(), 2u);  // kernel, input
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
}

TEST(DenseGradients, TheCheckCanFail) {
    // A coarse epsilon makes the numeric derivative of tanh wrong: the check must say so.
    const auto report = check::gradients(Dense(3, "tanh"), test::random_tensor(5, 4, 4), {.epsilon = 0.5});
    EXPECT_GT(report.max_relative_error(), 1e-4) << report.str();
}

}  // namespace mlp
