// Sequential: summary, errors on bad input, warnings, determinism, thread-safe inference.
#include "mlp/model/sequential.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

#include "../test_util.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/threads.hpp"
#include "mlp/core/warning.hpp"
#include "mlp/data/synthetic.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp {

namespace {
Sequential fashion_shaped(std::uint64_t seed = 0) {
    return Sequential(784, {Dense(128, "relu"), Dense(64, "relu"), Dense(10, "softmax")}, {.seed = seed});
}

Tensor ids(std::int64_t n, std::int64_t classes) {
    Tensor y(Shape{n});
    for (std::int64_t i = 0; i < n; ++i) y.data<float>()[i] = static_cast<float>(i % classes);
    return y;
}

/// Runs f and returns the message of the exception of type E it throws.
template <class E, class F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    ADD_FAILURE() << "no exception thrown";
    return "";
}

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

/// Collects warnings while alive.
struct WarningLog {
    WarningLog() {
        previous = set_warning_handler([this](const std::string& m) { messages.push_back(m); });
    }
    ~WarningLog() { set_warning_handler(previous); }
    std::vector<std::string> messages;
    WarningHandler previous;
};
}  // namespace

TEST(Summary, CountsParametersOf784_128_64_10) {
    Sequential model = fashion_shaped();
    EXPECT_EQ(model.parameter_count(), 109386);
    const std::string text = model.summary_text();
    EXPECT_CONTAINS(text, "Total params: 109,386");
    EXPECT_CONTAINS(text, "dense_1 (Dense)");
    EXPECT_CONTAINS(text, "(None, 128)");
    EXPECT_CONTAINS(text, "100,480");
    EXPECT_CONTAINS(text, "relu, he_normal");  // the initializer the activation chose
    EXPECT_CONTAINS(text, "softmax, glorot_uniform");
}

TEST(Initialization, DefaultsFollowTheActivationAndHaveTheRightScale) {
    Sequential model(400, {Dense(300, "relu"), Dense(200, "tanh")});
    auto variance = [](const TensorView& w) {
        double s = 0;
        for (std::int64_t i = 0; i < w.numel(); ++i) s += w.item(i) * w.item(i);
        return s / static_cast<double>(w.numel());
    };
    EXPECT_NEAR(variance(model.layer(0).parameters()[0].value), 2.0 / 400, 0.1 * 2.0 / 400);          // He
    EXPECT_NEAR(variance(model.layer(1).parameters()[0].value), 2.0 / (300 + 200), 0.1 * 2.0 / 500);  // Glorot
    EXPECT_EQ(variance(model.layer(0).parameters()[1].value), 0.0);                                   // zero biases
}

TEST(Initialization, UserFunctionAndNamedInitializers) {
    Initializer mine(
        [](const TensorView& w, std::int64_t fan_in, std::int64_t, Random&) {
            for (std::int64_t i = 0; i < w.numel(); ++i) w.data<float>()[i] = static_cast<float>(fan_in);
        },
        "fan_in_everywhere");
    Sequential model(3, {Dense(2, "tanh", {.init = mine, .bias_init = Initializer::constant(0.5)})});
    EXPECT_EQ(model.layer(0).parameters()[0].value.item(5), 3.0);
    EXPECT_EQ(model.layer(0).parameters()[1].value.item(1), 0.5);
    EXPECT_CONTAINS(model.summary_text(), "fan_in_everywhere");
    EXPECT_THROW(Initializer("kaiming"), ConfigError);
    EXPECT_NO_THROW(Initializer("xavier_uniform"));
    EXPECT_NO_THROW(Initializer("lecun_normal"));
}

TEST(BadInput, WrongFeatureCountNamesTheShapes) {
    Sequential model = fashion_shaped();
    model.compile(Adam{}, "sparse_categorical_crossentropy", {"accuracy"});
    const Tensor x(Shape{8, 783});
    const std::string m = message_of<ShapeError>([&] { model.fit(x, ids(8, 10), {.verbose = 0}); });
    EXPECT_CONTAINS(m, "(N, 784)");
    EXPECT_CONTAINS(m, "(8, 783)");
    EXPECT_CONTAINS(message_of<ShapeError>([&] { model.predict(x); }), "(8, 783)");
}

TEST(BadInput, WrongLabelCountAndOutOfRangeLabels) {
    Sequential model = fashion_shaped();
    model.compile(Adam{}, "sparse_categorical_crossentropy");
    const Tensor x(Shape{8, 784});
    EXPECT_CONTAINS(message_of<ShapeError>([&] { model.fit(x, ids(7, 10), {.verbose = 0}); }),
                    "x has 8 rows but y has 7");
    Tensor y = ids(8, 10);
    y.data<float>()[3] = 10;
    const std::string m = message_of<DataError>([&] { model.fit(x, y, {.verbose = 0}); });
    EXPECT_CONTAINS(m, "y[3] = 10");
    EXPECT_CONTAINS(m, "[0, 10)");
    EXPECT_CONTAINS(m, "dense_3");
}

TEST(BadInput, UncompiledModelAndBadOptions) {
    Sequential model = fashion_shaped();
    const Tensor x(Shape{8, 784});
    EXPECT_CONTAINS(message_of<ConfigError>([&] { model.fit(x, ids(8, 10)); }), "not compiled");
    model.compile(Adam{}, "sparse_categorical_crossentropy");
    EXPECT_CONTAINS(message_of<ConfigError>([&] { model.fit(x, ids(8, 10), {.batch_size = 0}); }),
                    "batch_size must be >= 1, got 0");
    FitOptions no_buckets;
    no_buckets.bucket_mb = 0;
    EXPECT_CONTAINS(message_of<ConfigError>([&] { model.fit(x, ids(8, 10), no_buckets); }),
                    "bucket_mb must be a positive number of MB, got 0");
    EXPECT_CONTAINS(message_of<ConfigError>([&] { model.compile(Adam{.lr = -1}, "mse"); }),
                    "Adam: lr must be >= 0, got -1");
    EXPECT_CONTAINS(message_of<ConfigError>([&] { model.compile(SGD{.momentum = 1.5}, "mse"); }), "momentum");
    EXPECT_CONTAINS(message_of<ConfigError>([&] { Dense(0); }), "units must be positive, got 0");
    EXPECT_CONTAINS(message_of<ConfigError>([&] { Dense(3, "relux"); }), "unknown activation 'relux'");
}

TEST(BadInput, NanOrInfInTheData) {
    Sequential model = fashion_shaped();
    model.compile(Adam{}, "sparse_categorical_crossentropy");
    Tensor x(Shape{8, 784});
    x.data<float>()[2 * 784 + 5] = std::nanf("");
    EXPECT_CONTAINS(message_of<DataError>([&] { model.fit(x, ids(8, 10), {.verbose = 0}); }),
                    "x has NaN at row 2, column 5");
    x.data<float>()[2 * 784 + 5] = INFINITY;
    EXPECT_CONTAINS(message_of<DataError>([&] { model.predict(x); }), "Inf at row 2");
}

TEST(BadInput, NanInALaterPredictionBatchNamesItsRowInTheData) {
    Sequential model = fashion_shaped();
    Tensor x(Shape{1000, 784});
    x.data<float>()[700 * 784 + 9] = std::nanf("");
    EXPECT_CONTAINS(message_of<DataError>([&] { model.predict(x, 256); }), "x has NaN at row 700, column 9");
}

TEST(BadInput, EvaluateNamesAnInfInXOnce) {
    // evaluate scans x once, before predicting: the error is evaluate's.
    Sequential model = fashion_shaped();
    model.compile(Adam{}, "sparse_categorical_crossentropy");
    Tensor x(Shape{600, 784});
    x.data<float>()[300 * 784 + 2] = std::numeric_limits<float>::infinity();
    EXPECT_CONTAINS(message_of<DataError>([&] { model.evaluate(x, ids(600, 10), 256); }),
                    "evaluate: x has Inf at row 300, column 2");
}

TEST(BadInput, DivergingTrainingStopsWithEpochAndBatch) {
    const auto d = data::moons(200, 0.1, 0);
    Sequential model(2, {Dense(16, "relu"), Dense(1)});
    model.compile(SGD{.lr = 1e6}, "mse");
    Tensor y = d.y;
    const std::string m = message_of<NumericError>([&] { model.fit(d.x, y, {.epochs = 50, .verbose = 0}); });
    EXPECT_CONTAINS(m, "at epoch ");
    EXPECT_CONTAINS(m, ", batch ");
    EXPECT_CONTAINS(m, "lower the learning rate");
}

TEST(Warnings, LossThatDoesNotSuitTheOutput) {
    WarningLog log;
    Sequential a(4, {Dense(1, "sigmoid")});
    a.compile(SGD{}, "mse");
    ASSERT_EQ(a.warnings().size(), 1u);
    EXPECT_CONTAINS(a.warnings()[0], "use binary_crossentropy");

    Sequential b(4, {Dense(3, "softmax")});
    b.compile(SGD{}, "binary_crossentropy");
    ASSERT_EQ(b.warnings().size(), 1u);
    EXPECT_CONTAINS(b.warnings()[0], "categorical_crossentropy");

    Sequential c(4, {Dense(3)});
    c.compile(SGD{}, "categorical_crossentropy");
    ASSERT_EQ(c.warnings().size(), 1u);
    EXPECT_CONTAINS(c.warnings()[0], "add softmax");
    EXPECT_CONTAINS(c.warnings()[0], "from_logits");

    Sequential fine(4, {Dense(3, "softmax")});
    fine.compile(SGD{}, "sparse_categorical_crossentropy");
    EXPECT_TRUE(fine.warnings().empty());
    EXPECT_EQ(log.messages.size(), 3u);  // each went to the handler too
}

TEST(Determinism, SameSeedGivesBitIdenticalWeights) {
    const auto d = data::moons(500, 0.2, 1);
    auto train = [&](std::uint64_t seed) {
        Sequential model(2, {Dense(32, "relu"), Dense(16, "tanh"), Dense(1, "sigmoid")}, {.seed = seed});
        model.compile(Adam{.lr = 1e-2}, "binary_crossentropy", {"accuracy"});
        model.fit(d.x, d.y, {.epochs = 5, .batch_size = 16, .verbose = 0});
        return Tensor::copy_of(model.parameters());
    };
    const Tensor a = train(7), b = train(7), c = train(8);
    EXPECT_TRUE(test::bit_identical(a, b));
    EXPECT_FALSE(test::bit_identical(a, c));
}

TEST(Inference, FourThreadsGiveBitIdenticalResultsToOne) {
    Sequential model = fashion_shaped(3);
    model.compile(Adam{}, "sparse_categorical_crossentropy");
    const Tensor x = test::random_tensor(2000, 784, 5, 0, 1, DType::f32);
    model.fit(x, ids(2000, 10), {.epochs = 1, .batch_size = 100, .verbose = 0});
    const Tensor expected = model.predict(x, 256);
    std::vector<Tensor> results(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int repeat = 0; repeat < 3; ++repeat) results[static_cast<std::size_t>(t)] = model.predict(x, 256);
        });
    for (auto& t : threads) t.join();
    for (const auto& r : results) EXPECT_TRUE(test::bit_identical(r, expected));
}

TEST(Inference, FourThreadsEvaluatingGiveTheScoresOfOne) {
    Sequential model = fashion_shaped(3);
    model.compile(Adam{}, "sparse_categorical_crossentropy", {"accuracy", "f1", "auc"});
    const Tensor x = test::random_tensor(1500, 784, 8, 0, 1, DType::f32), y = ids(1500, 10);
    model.fit(x, y, {.epochs = 1, .batch_size = 100, .verbose = 0});
    const Scores expected = model.evaluate(x, y, 256);
    std::vector<Scores> results(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int repeat = 0; repeat < 3; ++repeat) results[static_cast<std::size_t>(t)] = model.evaluate(x, y, 256);
        });
    for (auto& t : threads) t.join();
    for (const auto& r : results) {
        ASSERT_EQ(r.items().size(), expected.items().size());
        for (std::size_t i = 0; i < r.items().size(); ++i) EXPECT_EQ(r.items()[i], expected.items()[i]);
    }
}

TEST(Inference, OneSampleAtATimeMatchesTheBatch) {
    // One row goes through matrix-vector products, a batch through matrix
    // products: the sums are ordered differently, the results agree closely.
    Sequential model = fashion_shaped(4);
    const Tensor x = test::random_tensor(40, 784, 6, 0, 1, DType::f32);
    const Tensor batch = model.predict(x, 64), one_by_one = model.predict(x, 1);
    ASSERT_EQ(one_by_one.shape(), batch.shape());
    for (std::int64_t i = 0; i < batch.numel(); ++i) EXPECT_NEAR(one_by_one.item(i), batch.item(i), 1e-5) << i;
}

TEST(Inference, PredictMatchesTheTrainingForwardPass) {
    Sequential model(5, {Dense(7, "gelu"), Activation("tanh"), Dense(3, "softmax")}, {.seed = 1});
    model.compile(SGD{}, "sparse_categorical_crossentropy");
    const Tensor x = test::random_tensor(9, 5, 2, -1, 1, DType::f32);
    const Tensor p = model.predict(x, 4);  // batches of 4, 4 and 1
    for (std::int64_t r = 0; r < 9; ++r) {
        double s = 0;
        for (int j = 0; j < 3; ++j) s += p.item(r * 3 + j);
        EXPECT_NEAR(s, 1.0, 1e-6);  // softmax rows
    }
    const Tensor p1 = model.predict(x, 1024);
    EXPECT_TRUE(test::bit_identical(p, p1));
}

TEST(Fit, HistoryValidationAndSaving) {
    const auto d = data::moons(400, 0.1, 2);
    Sequential model(2, {Dense(16, "relu"), Dense(1, "sigmoid")});
    model.compile(Adam{.lr = 1e-2}, "binary_crossentropy", {"accuracy"});
    const History h = model.fit(d.x, d.y, {.epochs = 4, .batch_size = 32, .validation_split = 0.25, .verbose = 0});
    EXPECT_EQ(h.epochs(), 4u);
    EXPECT_EQ(h.keys(), (std::vector<std::string>{"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"}));
    EXPECT_LT(h["loss"].back(), h["loss"].front());
    EXPECT_THROW(h["val_auc"], ConfigError);

    const auto dir = std::filesystem::temp_directory_path() / "mlp_history_test";
    std::filesystem::create_directories(dir);
    h.save((dir / "h.csv").string());
    h.save((dir / "h.json").string());
    std::ifstream csv(dir / "h.csv");
    std::string header;
    std::getline(csv, header);
    EXPECT_EQ(header, "epoch,loss,accuracy,val_loss,val_accuracy,learning_rate");
    std::ifstream json(dir / "h.json");
    const std::string text((std::istreambuf_iterator<char>(json)), std::istreambuf_iterator<char>());
    EXPECT_CONTAINS(text, "\"val_accuracy\"");
    std::filesystem::remove_all(dir);
}

TEST(Fit, ValidationDataAndEvaluateAgree) {
    const auto d = data::moons(300, 0.1, 3);
    const auto v = data::moons(100, 0.1, 4);
    Sequential model(2, {Dense(8, "tanh"), Dense(1, "sigmoid")});
    model.compile(Adam{.lr = 1e-2}, "binary_crossentropy", {"accuracy"});
    const History h = model.fit(d.x, d.y, {.epochs = 2, .validation_data = ValidationData{v.x, v.y}, .verbose = 0});
    const Scores s = model.evaluate(v.x, v.y);
    EXPECT_NEAR(h["val_loss"].back(), s.loss(), 1e-9);
    EXPECT_NEAR(h["val_accuracy"].back(), s["accuracy"], 1e-12);
}

TEST(Fit, StochasticMiniBatchAndFullBatchAllTrain) {
    const auto d = data::xor_gate();
    for (std::int64_t batch : {1, 2, 4, 100}) {
        Sequential model(2, {Dense(8, "tanh"), Dense(1, "sigmoid")}, {.seed = 1});
        model.compile(SGD{.lr = 0.5, .momentum = 0.9}, "binary_crossentropy");
        const History h = model.fit(d.x, d.y, {.epochs = 30, .batch_size = batch, .verbose = 0});
        EXPECT_LT(h["loss"].back(), h["loss"].front()) << "batch " << batch;
    }
}

}  // namespace mlp
