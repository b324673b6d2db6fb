// Save -> load round trips for every layer type, and checkpoints that resume
// training bit-identically: after whole epochs and after Ctrl-C mid-epoch.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

#include "../test_util.hpp"
#include "mlp/mlp.hpp"

namespace mlp {

namespace {

namespace fs = std::filesystem;

std::string scratch(const std::string& name) {
    return (fs::temp_directory_path() / ("mlp_checkpoint_test_" + std::to_string(getpid()) + "_" + name)).string();
}

Tensor labels(std::int64_t n) { return test::class_ids(n, 3); }

/// Every layer type (blocks and a recurrent layer included), with Dropout and
/// BatchNorm so that masks and moving statistics must resume too.
Sequential every_layer_model(DType dtype, const Tensor& x) {
    Normalization norm("standardize");
    norm.adapt(x);
    Sequential model(5,
                     {norm, Dense(16, "relu", {.kernel_regularizer = l2(1e-3)}), BatchNormalization(), Dropout(0.25),
                      Dense(8), Activation("tanh"), Residual({Dense(8, "relu"), BatchNormalization(), Dense(8)}),
                      Residual({Dense(6, "tanh"), Dropout(0.2)}, {.init_scale = 0.5}),
                      SimpleRNN(4, {.features = 2, .return_sequences = true, .truncate = 2}), Normalization("minmax"),
                      Dense(3, "softmax")},
                     {.seed = 7, .dtype = dtype});
    // Metrics with running states of two kinds: means and a confusion matrix.
    model.compile(Adam{.lr = 3e-3, .clipnorm = 1.0}, "sparse_categorical_crossentropy", {"accuracy", "f1", "top_k_accuracy:2"});
    return model;
}

FitOptions recipe(int epochs) {
    return {.epochs = epochs,
            .batch_size = 16,
            .validation_split = 0.25,
            .verbose = 0,
            .lr_schedule = ExponentialDecay{.decay_steps = 7, .decay_rate = 0.9}};
}

void expect_same_history(const History& a, const History& b) {
    ASSERT_EQ(a.keys(), b.keys());
    for (const auto& key : a.keys()) EXPECT_EQ(a[key], b[key]) << key;
}

void expect_same_weights(const Sequential& a, const Sequential& b) {
    const auto wa = a.get_weights(), wb = b.get_weights();
    ASSERT_EQ(wa.size(), wb.size());
    for (std::size_t i = 0; i < wa.size(); ++i) EXPECT_TRUE(test::bit_identical(wa[i], wb[i])) << a.weight_names()[i];
}

}  // namespace

class RoundTrip : public ::testing::TestWithParam<DType> {};

TEST_P(RoundTrip, EveryLayerTypePredictsBitIdentically) {
    const Tensor x = test::random_tensor(96, 5, 3, -3, 5, GetParam()), y = labels(96);
    Sequential model = every_layer_model(GetParam(), x);
    model.fit(x, y, recipe(2));
    const std::string path = scratch("every_layer.safetensors");
    model.save(path);
    const Sequential loaded = Sequential::load(path);
    EXPECT_TRUE(test::bit_identical(loaded.predict(x), model.predict(x)));
    EXPECT_EQ(loaded.summary_text(), model.summary_text());
    expect_same_weights(loaded, model);
    // the same without the optimizer: smaller, and still predicting the same
    const std::string lean = scratch("lean.safetensors");
    model.save(lean, {.include_optimizer = false});
    EXPECT_LT(fs::file_size(lean), fs::file_size(path));
    EXPECT_TRUE(test::bit_identical(Sequential::load(lean).predict(x), model.predict(x)));
    fs::remove(path);
    fs::remove(lean);
}

INSTANTIATE_TEST_SUITE_P(Dtypes, RoundTrip, ::testing::Values(DType::f32, DType::f64),
                         [](const auto& info) { return to_string(info.param); });

TEST(Checkpoint, TenEpochsEqualFiveThenFiveMore) {
    const Tensor x = test::random_tensor(120, 5, 11, -2, 2, DType::f32), y = labels(120);
    Sequential straight = every_layer_model(DType::f32, x);
    const History full = straight.fit(x, y, recipe(10));

    const std::string path = scratch("half.safetensors");
    Sequential first = every_layer_model(DType::f32, x);
    FitOptions half = recipe(5);
    half.checkpoint = path;
    first.fit(x, y, half);
    Sequential resumed = Sequential::load(path);
    EXPECT_EQ(resumed.progress().epoch, 5);
    FitOptions rest = recipe(10);
    rest.resume = true;
    const History history = resumed.fit(x, y, rest);

    expect_same_weights(resumed, straight);
    EXPECT_EQ(resumed.optimizer().iterations(), straight.optimizer().iterations());
    ASSERT_EQ(history.epochs(), 10u);  // the first five came back with the checkpoint
    EXPECT_EQ(history["val_loss"], full["val_loss"]);
    EXPECT_EQ(history["learning_rate"], full["learning_rate"]);
    fs::remove(path);
}

TEST(Checkpoint, CallbacksStateResumesExactly) {
    // EarlyStopping keeps its best value and weights, ReduceLROnPlateau its
    // best value, wait and cooldown: without them a resumed run restores
    // another epoch's weights and keeps another learning rate.
    const Tensor x = test::random_tensor(120, 5, 13, -2, 2, DType::f32), y = labels(120);
    auto options = [](int epochs) {
        FitOptions o{.epochs = epochs, .batch_size = 16, .validation_split = 0.25, .verbose = 0};
        o.callbacks = {EarlyStopping{.monitor = "val_loss", .patience = 100, .restore_best_weights = true},
                       ReduceLROnPlateau{.monitor = "val_loss", .factor = 0.5, .patience = 1, .cooldown = 1}};
        return o;
    };
    auto model = [&] {
        Sequential m(5, {Dense(32, "relu"), Dense(3, "softmax")}, {.seed = 3});
        m.compile(Adam{.lr = 0.05}, "sparse_categorical_crossentropy");  // a high rate, so the plateau comes
        return m;
    };
    Sequential straight = model();
    const History full = straight.fit(x, y, options(12));

    const std::string path = scratch("callbacks.safetensors");
    Sequential first = model();
    FitOptions half = options(6);
    half.checkpoint = path;
    first.fit(x, y, half);
    Sequential resumed = Sequential::load(path);
    FitOptions rest = options(12);
    rest.resume = true;
    const History history = resumed.fit(x, y, rest);

    EXPECT_EQ(history["learning_rate"], full["learning_rate"]);
    EXPECT_LT(full["learning_rate"].back(), 0.05);  // the plateau did lower it
    expect_same_weights(resumed, straight);         // the same best epoch restored
    fs::remove(path);
}

TEST(Checkpoint, InterruptFinishesTheBatchAndResumesExactly) {
    const Tensor x = test::random_tensor(120, 5, 12, -2, 2, DType::f32), y = labels(120);
    Sequential straight = every_layer_model(DType::f32, x);
    straight.fit(x, y, recipe(4));

    const std::string path = scratch("interrupted.safetensors");
    Sequential model = every_layer_model(DType::f32, x);
    bool ended = false;
    FitOptions options = recipe(4);
    options.checkpoint = path;
    options.callbacks = {LambdaCallback{.on_batch_end =
                                            [](TrainingState& s) {
                                                if (s.epoch == 3 && s.batch == 2)
                                                    std::raise(SIGINT);  // as Ctrl-C would
                                            },
                                        .on_train_end = [&](TrainingState&) { ended = true; }}};
    const History partial = model.fit(x, y, options);
    EXPECT_TRUE(ended);
    EXPECT_EQ(partial.epochs(), 2u);  // epoch 3 did not finish
    EXPECT_TRUE(model.progress().interrupted);
    EXPECT_EQ(model.progress().batch, 2);
    ASSERT_TRUE(fs::exists(path));

    Sequential resumed = Sequential::load(path);
    FitOptions rest = recipe(4);
    rest.resume = true;
    const History whole = resumed.fit(x, y, rest);
    expect_same_weights(resumed, straight);
    // Epoch 3's loss and metrics cover its batches before the interruption too.
    expect_same_history(whole, straight.progress().history);
    fs::remove(path);
}

TEST(Checkpoint, StopRequestedStopsAsCtrlCDoes) {
    const Tensor x = test::random_tensor(120, 5, 12, -2, 2, DType::f32), y = labels(120);
    Sequential straight = every_layer_model(DType::f32, x);
    straight.fit(x, y, recipe(4));

    Sequential model = every_layer_model(DType::f32, x);
    int asked = 0;
    FitOptions options = recipe(4);
    options.stop_requested = [&] { return ++asked == 9; };
    const History partial = model.fit(x, y, options);
    EXPECT_EQ(asked, 9);
    EXPECT_TRUE(model.progress().interrupted);
    // 90 training rows in batches of 16: 6 a epoch, so the 9th is the 3rd of epoch 2.
    EXPECT_EQ(model.progress().step, 9);
    EXPECT_EQ(partial.epochs(), 1u);
    EXPECT_EQ(model.progress().batch, 3);
    FitOptions rest = recipe(4);
    rest.resume = true;
    const History whole = model.fit(x, y, rest);
    expect_same_weights(model, straight);
    expect_same_history(whole, straight.progress().history);
}

TEST(Checkpoint, FitWithoutResumeStartsOver) {
    const Tensor x = test::random_tensor(60, 5, 13, -2, 2, DType::f32), y = labels(60);
    Sequential a = every_layer_model(DType::f32, x);
    a.fit(x, y, recipe(2));
    const History again = a.fit(x, y, recipe(1));
    EXPECT_EQ(again.epochs(), 1u);
    EXPECT_EQ(a.progress().epoch, 1);
}

}  // namespace mlp
