// SimpleRNN: float64 finite-difference checks of full BPTT, PyTorch's
// gradients for full and truncated BPTT, how the gradient fades along the
// sequence, a sequence task that trains, and the errors.
#include <gtest/gtest.h>

#include <cmath>

#include "../reference/fixture.hpp"
#include "../test_util.hpp"
#include "mlp/check/gradients.hpp"
#include "mlp/mlp.hpp"

namespace mlp {

namespace {
constexpr std::int64_t B = 3, T = 10, F = 2, U = 4;

/// scale * sin(1.7 k + phase) in double, as make_torch_rnn.py's formula64.
void fill64(const TensorView& t, double phase, double scale) {
    for (std::int64_t k = 0; k < t.numel(); ++k)
        t.data<double>()[k] = scale * std::sin(1.7 * static_cast<double>(k) + phase);
}
}  // namespace

class RnnGradients : public ::testing::TestWithParam<std::tuple<bool, const char*>> {};

TEST_P(RnnGradients, FullBpttMatchesFiniteDifferences) {
    const auto [sequences, activation] = GetParam();
    const SimpleRNN rnn(U, {.features = F, .return_sequences = sequences, .activation = activation});
    const auto report = check::gradients(rnn, test::random_tensor(B, T * F, 5));
    ASSERT_EQ(report.tensors.size(), 4u);  // kernel, recurrent kernel, bias, input
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
}

INSTANTIATE_TEST_SUITE_P(All, RnnGradients,
                         ::testing::Combine(::testing::Bool(), ::testing::Values("tanh", "sigmoid", "elu")),
                         [](const auto& info) {
                             return std::string(std::get<0>(info.param) ? "sequences_" : "last_") +
                                    std::get<1>(info.param);
                         });

TEST(Rnn, FullAndTruncatedBpttMatchPyTorch) {
    const auto fixture = test::read_fixture(MLP_REFERENCE_DIR "/torch_rnn.safetensors");
    for (const int truncate : {0, 3})
        for (const bool sequences : {false, true}) {
            const std::string c = "k" + std::to_string(truncate) + (sequences ? "_seq" : "_last");
            Sequential model(T * F,
                             {SimpleRNN(U, {.features = F, .return_sequences = sequences, .truncate = truncate})},
                             {.dtype = DType::f64});
            Layer& rnn = model.layer(0);
            fill64(rnn.parameters()[0].value, 0.3, 0.6);
            fill64(rnn.parameters()[1].value, 1.1, 0.4);
            fill64(rnn.parameters()[2].value, 2.0, 0.2);
            rnn.set_input_grad_needed(true);
            Tensor x(Shape{B, T * F}, DType::f64);
            fill64(x.view(), 0.7, 1.0);
            const TensorView out = rnn.forward(x.view(), true);
            EXPECT_LT(test::relative_error(out, fixture.at(c + ".out")), 1e-12) << c;
            Tensor r(out.shape(), DType::f64);
            fill64(r.view(), 1.9, 1.0);
            model.zero_grad();
            const TensorView dx = rnn.backward(r.view());
            EXPECT_LT(test::relative_error(dx, fixture.at(c + ".input")), 1e-12) << c;
            const char* names[] = {"kernel", "recurrent_kernel", "bias"};
            for (std::size_t i = 0; i < 3; ++i)
                EXPECT_LT(test::relative_error(rnn.parameters()[i].grad, fixture.at(c + "." + names[i])), 1e-12)
                    << c << " " << names[i];
        }
}

TEST(Rnn, TruncatingAtTheLengthOrMoreIsFullBptt) {
    const Tensor x = test::random_tensor(B, T * F, 6);
    auto gradients = [&](int truncate) {
        Sequential model(T * F, {SimpleRNN(U, {.features = F, .truncate = truncate}), Dense(1)},
                         {.seed = 2, .dtype = DType::f64});
        model.compile("sgd", Loss("mse"));
        model.compute_gradients(x, test::random_tensor(B, 1, 7));
        return Tensor::copy_of(model.gradients());
    };
    EXPECT_TRUE(test::bit_identical(gradients(T), gradients(0)));
    EXPECT_FALSE(test::bit_identical(gradients(3), gradients(0)));
}

TEST(Rnn, TheGradientFadesWithDistanceUnderTanh) {
    // Only h_T is scored: the gradient reaching h_t is a product of T - t factors σ'·W_hᵀ.
    const std::int64_t steps = 30;
    Sequential model(steps, {SimpleRNN(16, {.recurrent_init = "orthogonal:0.5"}), Dense(1)}, {.seed = 1});
    model.compile("sgd", Loss("mse"));
    model.compute_gradients(test::random_tensor(32, steps, 8, -1, 1, DType::f32),
                            test::random_tensor(32, 1, 9, -1, 1, DType::f32));
    const auto& norms = dynamic_cast<const SimpleRNN&>(model.layer(0)).state_gradient_norms();
    ASSERT_EQ(norms.size(), static_cast<std::size_t>(steps));
    for (std::size_t t = 1; t < norms.size(); ++t) EXPECT_LT(norms[t - 1], norms[t]) << "step " << t;
    EXPECT_LT(norms.front(), 1e-6 * norms.back());
}

TEST(Rnn, LearnsToPredictANoisySineOneStepAhead) {
    // Windows of 20 noisy samples of sin(0.3 t); the target is the next clean value.
    const std::int64_t n = 1000, window = 20;
    const data::Dataset task = data::sine_windows(n, window, 0.1, 3);
    const Tensor &x = task.x, &y = task.y;
    Sequential model(window, {SimpleRNN(16), Dense(1)}, {.seed = 4});
    model.compile(Adam{.lr = 1e-2, .global_clipnorm = 1.0}, Loss("mse"));
    const double before = model.evaluate(x, y)["loss"];
    model.fit(x.view().rows(0, 800), y.view().rows(0, 800), {.epochs = 30, .batch_size = 32, .verbose = 0});
    const double after = model.evaluate(x.view().rows(800, 200), y.view().rows(800, 200))["loss"];
    std::printf("held-out MSE %.4g (before training %.4g; the targets' variance is 0.5)\n", after, before);
    EXPECT_LT(after, 0.02);
    // (N, T, F) tensors are taken as they are.
    const TensorView sequences = x.view().reshaped(Shape{n, window, 1});
    EXPECT_TRUE(test::bit_identical(model.predict(sequences), model.predict(x)));
    EXPECT_EQ(model.evaluate(sequences, y)["loss"], model.evaluate(x, y)["loss"]);
}

TEST(Rnn, OrthogonalInitializerGivesOrthonormalColumnsTimesTheGain) {
    Random rng(5);
    for (const auto& [rows, cols] : {std::pair<std::int64_t, std::int64_t>{6, 6}, {7, 3}, {3, 7}}) {
        Tensor w(Shape{rows, cols}, DType::f64);
        Initializer("orthogonal:1.5")(w.view(), rows, cols, rng);
        const bool tall = rows >= cols;
        const std::int64_t n = tall ? cols : rows;
        for (std::int64_t a = 0; a < n; ++a)
            for (std::int64_t b = 0; b < n; ++b) {
                double dot = 0;  // columns (tall) or rows (wide)
                for (std::int64_t k = 0; k < (tall ? rows : cols); ++k)
                    dot += tall ? w.item(k * cols + a) * w.item(k * cols + b)
                                : w.item(a * cols + k) * w.item(b * cols + k);
                EXPECT_NEAR(dot, a == b ? 2.25 : 0.0, 1e-12) << rows << "x" << cols;
            }
    }
}

TEST(Rnn, SavesAndChecksItsShapes) {
    Sequential model(12, {SimpleRNN(5, {.features = 3, .return_sequences = true, .truncate = 2}), Dense(2)});
    model.compile("adam", Loss("mse"));
    EXPECT_EQ(model.layer(0).out_features(), 4 * 5);
    const Sequential back = Sequential::from_json(model.to_json());
    EXPECT_EQ(back.to_json(), model.to_json());
    EXPECT_THROW(Sequential(10, {SimpleRNN(5, {.features = 3})}), ShapeError);
    EXPECT_THROW(SimpleRNN(0), ConfigError);
    EXPECT_THROW(SimpleRNN(4, {.truncate = -1}), ConfigError);
    EXPECT_THROW(SimpleRNN(4, {.activation = "softmax"}), ConfigError);
}

}  // namespace mlp
