// DenseStack: float64 gradient checks for every activation it takes, with and
// without a first layer that changes the width and with and without bias; the
// same function, the same gradients and the same training as that many Dense
// layers; its saving and JSON; and the errors that name what is wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../../src/backend/ops.hpp"
#include "../test_util.hpp"
#include "mlp/check/gradients.hpp"
#include "mlp/core/error.hpp"
#include "mlp/mlp.hpp"

namespace mlp {
namespace {

constexpr const char* activations[] = {"linear", "relu", "leaky_relu:0.2", "elu:0.5", "sigmoid", "tanh"};

/// `depth` Dense layers of `units` and a linear Dense(3), holding `stacked`'s weights.
Sequential as_dense_layers(const Sequential& stacked, std::int64_t units, int depth, const char* f, bool use_bias) {
    Sequential plain(0, ModelOptions{.dtype = stacked.dtype()});
    for (int l = 0; l < depth; ++l) plain.add(Dense(units, f, {.use_bias = use_bias}));
    plain.add(Dense(3)).build(stacked.inputs());
    plain.set_weights(stacked.get_weights());
    return plain;
}

TEST(DenseStackGradients, EveryActivationWithEitherFirstLayer) {
    for (const char* f : activations)
        for (const std::int64_t in : {5, 6}) {  // 6: every layer square, all in the fused op
            const auto report = check::gradients(DenseStack(6, 3, f), test::random_tensor(7, in, 1, -2, 2));
            ASSERT_EQ(report.tensors.size(), 7u);  // three kernels, three biases, the input
            EXPECT_TRUE(report.passed(1e-6)) << f << ", " << in << " inputs\n" << report.str();
        }
}

TEST(DenseStackGradients, WithoutBiasAndOneLayerDeep) {
    for (const std::int64_t in : {4, 5}) {
        const auto no_bias =
            check::gradients(DenseStack(5, 4, "tanh", {.use_bias = false}), test::random_tensor(6, in, 2));
        ASSERT_EQ(no_bias.tensors.size(), 5u);
        EXPECT_TRUE(no_bias.passed(1e-6)) << no_bias.str();
        const auto single = check::gradients(DenseStack(5, 1, "elu"), test::random_tensor(6, in, 3));
        EXPECT_TRUE(single.passed(1e-6)) << single.str();
    }
}

TEST(DenseStackGradients, InAModelThatTrainsIt) {
    Sequential model(4, {DenseStack(6, 3, "tanh"), Dense(3, "softmax")}, {.seed = 3, .dtype = DType::f64});
    model.compile("sgd", Loss("sparse_categorical_crossentropy"));
    const auto report = check::gradients(model, test::random_tensor(9, 4, 4), test::class_ids(9, 3));
    EXPECT_TRUE(report.passed(1e-6)) << report.str();
    EXPECT_EQ(model.weight_names()[0], "dense_stack_1.kernel_1");
    EXPECT_EQ(model.weight_names()[5], "dense_stack_1.bias_3");
}

TEST(DenseStack, IsTheFunctionOfItsDenseLayers) {
    // The same weights give the same outputs, losses and updated weights as Dense layers, step after step.
    for (const char* f : activations)
        for (const std::int64_t in : {9, 16})
            for (const bool use_bias : {true, false}) {
                const std::string what =
                    std::string(f) + ", " + std::to_string(in) + " inputs" + (use_bias ? "" : ", no bias");
                Sequential stacked(in, {DenseStack(16, 4, f, {.use_bias = use_bias}), Dense(3)}, {.seed = 5});
                Sequential plain = as_dense_layers(stacked, 16, 4, f, use_bias);
                const Tensor x = test::random_tensor(37, in, 6, -1, 1, DType::f32);
                const Tensor y = test::random_tensor(37, 3, 7, -1, 1, DType::f32);
                EXPECT_LT(test::relative_error(stacked.predict(x), plain.predict(x)), 1e-6) << what;
                for (Sequential* m : {&stacked, &plain}) m->compile(Adam{.lr = 1e-2}, "mse");
                for (int step = 0; step < 3; ++step) {
                    const double a = stacked.train_on_batch(x, y), b = plain.train_on_batch(x, y);
                    EXPECT_NEAR(a, b, 1e-6 * std::max(1.0, std::abs(b))) << what << ", step " << step;
                }
                const auto wa = stacked.get_weights(), wb = plain.get_weights();
                ASSERT_EQ(wa.size(), wb.size());
                for (std::size_t i = 0; i < wa.size(); ++i)
                    EXPECT_LT(test::relative_error(wa[i], wb[i]), 1e-5) << what << ", weight " << i;
            }
}

TEST(DenseStack, InitializesAsDenseLayersWould) {
    Sequential model(10, {DenseStack(20, 3, "relu")}, {.seed = 1});
    const auto weights = model.get_weights();
    ASSERT_EQ(weights.size(), 6u);
    EXPECT_EQ(weights[0].shape(), (Shape{10, 20}));
    EXPECT_EQ(weights[2].shape(), (Shape{20, 20}));
    for (const std::size_t k : {0u, 2u, 4u}) {  // He normal: mean 0, variance 2 / fan_in
        double sum = 0, squares = 0;
        for (std::int64_t i = 0; i < weights[k].numel(); ++i) {
            sum += weights[k].item(i);
            squares += weights[k].item(i) * weights[k].item(i);
        }
        const double n = static_cast<double>(weights[k].numel()), fan_in = k == 0 ? 10 : 20;
        EXPECT_NEAR(squares / n, 2.0 / fan_in, 0.5 * 2.0 / fan_in) << "kernel " << k / 2 + 1;
        EXPECT_NEAR(sum / n, 0.0, 0.1) << "kernel " << k / 2 + 1;
    }
    for (const std::size_t b : {1u, 3u, 5u})
        for (std::int64_t i = 0; i < weights[b].numel(); ++i) EXPECT_EQ(weights[b].item(i), 0.0);
    EXPECT_NE(model.summary_text().find("3 x 20, relu, he_normal"), std::string::npos) << model.summary_text();
}

TEST(DenseStack, SavesLoadsAndDescribesItself) {
    Sequential model(5, {DenseStack(8, 3, "elu:0.5", {.bias_init = "ones"}), Dense(2, "softmax")}, {.seed = 2});
    model.compile("adam", "sparse_categorical_crossentropy");
    const Tensor x = test::random_tensor(11, 5, 8, -1, 1, DType::f32);
    model.train_on_batch(x, test::class_ids(11, 2).to(DType::f32));
    const std::string path = (std::filesystem::temp_directory_path() / "mlp_dense_stack_test.mlp").string();
    model.save(path);
    const Sequential back = Sequential::load(path);
    std::filesystem::remove(path);
    EXPECT_TRUE(test::bit_identical(back.predict(x), model.predict(x)));
    const auto& stack = dynamic_cast<const DenseStack&>(back.layer(0));
    EXPECT_EQ(stack.units(), 8);
    EXPECT_EQ(stack.depth(), 3);
    EXPECT_EQ(stack.activation().str(), "elu:0.5");
    EXPECT_EQ(stack.options().bias_init.name(), "ones");
    // The JSON names the depth; a fresh model from it has the same shapes.
    const std::string json = model.to_json();
    EXPECT_NE(json.find("\"depth\": 3"), std::string::npos) << json;
    EXPECT_EQ(Sequential::from_json(json).parameter_count(), model.parameter_count());
    // The diagram draws each of its layers as a column of units.
    const std::string svg = report::network_diagram(model);
    for (const char* column : {"dense_stack_1.1", "dense_stack_1.2", "dense_stack_1.3"})
        EXPECT_NE(svg.find(column), std::string::npos) << column;
}

TEST(DenseStack, RefusesWhatItCannotBeNamingIt) {
    const auto message = [](auto make) -> std::string {
        try {
            make();
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "accepted";
    };
    EXPECT_NE(message([] { DenseStack(8, 2, "gelu"); }).find("activation gelu"), std::string::npos);
    EXPECT_NE(message([] { DenseStack(8, 2, "softmax"); }).find("use Dense layers"), std::string::npos);
    EXPECT_NE(message([] { DenseStack(8, 0); }).find("depth must be positive, got 0"), std::string::npos);
    EXPECT_NE(message([] { DenseStack(0, 2); }).find("units must be positive"), std::string::npos);
    EXPECT_NE(
        message([] {
            Sequential::from_json(R"({"inputs":2,"layers":[{"type":"DenseStack","units":3,"depth":2,"dropout":1}]})");
        }).find("layer 1 (DenseStack): unknown key \"dropout\""),
        std::string::npos);
    EXPECT_NE(message([] {
                  Sequential::from_json(R"({"inputs":2,"layers":[{"type":"DenseStack","units":3,"depth":1e12}]})");
              }).find("depth"),
              std::string::npos);
}

TEST(DenseStackOp, ChecksEveryViewNamingTheLayer) {
    const Tensor x = test::random_tensor(4, 3, 1), w = test::random_tensor(3, 3, 2),
                 wide = test::random_tensor(3, 4, 3);
    Tensor a1(Shape{4, 3}, DType::f64), a2(Shape{4, 3}, DType::f64);
    const std::vector<TensorView> kernels{w, wide}, acts{a1, a2};
    try {
        backend::dense_stack_forward(x, kernels, {}, "relu", acts);
        ADD_FAILURE() << "a kernel of the wrong shape accepted";
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("dense_stack_forward: kernel 2 is (3, 4), expected (3, 3)"),
                  std::string::npos)
            << e.what();
    }
    const std::vector<TensorView> square{w, w};
    EXPECT_THROW(backend::dense_stack_forward(x, square, {}, "gelu", acts), ConfigError);
    const std::vector<TensorView> one{a1};
    EXPECT_THROW(backend::dense_stack_forward(x, square, {}, "relu", one), ShapeError);
}

TEST(DenseStackOp, InferenceMayReuseTwoBlocks) {
    // acts[l] = acts[l - 2], as inference passes them, gives what separate blocks give.
    const Tensor x = test::random_tensor(6, 4, 4);
    std::vector<Tensor> w;
    for (int l = 0; l < 5; ++l) w.push_back(test::random_tensor(4, 4, 10 + static_cast<std::uint64_t>(l)));
    const std::vector<TensorView> kernels(w.begin(), w.end());
    std::vector<Tensor> separate;
    for (int l = 0; l < 5; ++l) separate.emplace_back(Shape{6, 4}, DType::f64);
    backend::dense_stack_forward(x, kernels, {}, "tanh", std::vector<TensorView>(separate.begin(), separate.end()));
    Tensor p(Shape{6, 4}, DType::f64), q(Shape{6, 4}, DType::f64), y(Shape{6, 4}, DType::f64);
    backend::dense_stack_forward(x, kernels, {}, "tanh", std::vector<TensorView>{p, q, p, q, y});
    EXPECT_TRUE(test::bit_identical(y, separate.back()));
}

}  // namespace
}  // namespace mlp
