// One training step of 784-128-64-10 (ReLU, softmax + sparse cross-entropy,
// batch 32) against PyTorch: output, loss, every gradient, and the weights
// after one SGD-momentum and one Adam step. The fixture comes from
// make_torch_step.py beside this file; the inputs come from the same formulas.
#include <gtest/gtest.h>

#include <cmath>

#include "../test_util.hpp"
#include "fixture.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp {

namespace {

using test::fill_formula;

constexpr std::int64_t sizes[] = {784, 128, 64, 10};
constexpr std::int64_t batch = 32;

Sequential reference_model() {
    Sequential model(784, {Dense(128, "relu"), Dense(64, "relu"), Dense(10, "softmax")});
    for (std::size_t l = 0; l < 3; ++l) {
        const auto params = model.layer(l).parameters();
        fill_formula(params[0].value, static_cast<double>(l + 1), 1.0 / std::sqrt(static_cast<double>(sizes[l])));
        fill_formula(params[1].value, static_cast<double>(l + 11), 0.1);
    }
    return model;
}

class TorchStep : public ::testing::Test {
protected:
    void SetUp() override {
        fixture = test::read_fixture(MLP_REFERENCE_DIR "/torch_step.safetensors");
        x = Tensor(Shape{batch, 784});
        fill_formula(x, 0.3, 0.5);
        for (float& v : x.values<float>()) v += 0.5f;
        y = Tensor(Shape{batch});
        for (std::int64_t i = 0; i < batch; ++i) y.data<float>()[i] = static_cast<float>((7 * i) % 10);
    }
    void expect_close(const std::string& what, const TensorView& ours, const std::string& key) {
        const Tensor& theirs = fixture.at(key);
        ASSERT_EQ(ours.numel(), theirs.numel()) << key;
        const double error = test::relative_error(ours, theirs);
        EXPECT_LT(error, 1e-5) << what << " " << key;
        std::printf("  %-28s relative error %.2e\n", key.c_str(), error);
    }
    void expect_weights(const Sequential& model, const std::string& prefix) {
        for (std::size_t l = 0; l < 3; ++l)
            for (const auto& p : model.layer(l).parameters())
                expect_close("weights", p.value, prefix + model.layer(l).name() + "." + p.name);
    }

    std::map<std::string, Tensor> fixture;
    Tensor x, y;
};

}  // namespace

TEST_F(TorchStep, ForwardLossAndGradients) {
    Sequential model = reference_model();
    model.compile(SGD{.lr = 0.1, .momentum = 0.9}, "sparse_categorical_crossentropy");
    const double loss = model.compute_gradients(x, y);
    EXPECT_NEAR(loss, fixture.at("loss").item(0), 1e-5 * fixture.at("loss").item(0));
    expect_close("output", model.predict(x), "output");
    for (std::size_t l = 0; l < 3; ++l)
        for (const auto& p : model.layer(l).parameters())
            expect_close("gradient", p.grad, "grad." + model.layer(l).name() + "." + p.name);
}

TEST_F(TorchStep, OneSgdMomentumStep) {
    Sequential model = reference_model();
    model.compile(SGD{.lr = 0.1, .momentum = 0.9}, "sparse_categorical_crossentropy");
    model.train_on_batch(x, y);
    expect_weights(model, "sgd.");
}

TEST_F(TorchStep, OneAdamStep) {
    Sequential model = reference_model();
    model.compile(Adam{.lr = 1e-3}, "sparse_categorical_crossentropy");
    model.train_on_batch(x, y);
    expect_weights(model, "adam.");
}

}  // namespace mlp
