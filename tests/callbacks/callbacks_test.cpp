// Callbacks: each does what its rule says on the epoch the rule says. Where a
// rule watches a value, the value is scripted: a model with learning rate 0
// never changes, so its validation loss is set by moving the validation targets.
#include <gtest/gtest.h>

#include <pty.h>
#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "mlp/callbacks/callbacks.hpp"
#include "mlp/callbacks/training_monitor.hpp"
#include "mlp/core/error.hpp"
#include "mlp/data/synthetic.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp {

namespace {

namespace fs = std::filesystem;

/// A frozen linear model (lr 0) whose val_loss at epoch e is script[e-1]:
/// validation targets are the model's predictions plus sqrt(script[e-1]).
struct ScriptedValidation {
    explicit ScriptedValidation(std::vector<double> script)
        : model(2, {Dense(1)}, {.seed = 1}), script(std::move(script)) {
        model.compile(SGD{.lr = 0.0}, "mse");
        x = test::random_tensor(16, 2, 1, -1, 1, DType::f32);
        y = Tensor(Shape{16, 1});
        base = model.predict(x);
        y_val = Tensor::copy_of(base);
    }
    /// Sets the validation targets for `epoch` (1-based) before it runs.
    LambdaCallback driver() {
        return {.on_epoch_begin = [this](TrainingState& s) {
            const double offset = std::sqrt(script[static_cast<std::size_t>(s.epoch - 1)]);
            for (std::int64_t i = 0; i < 16; ++i) y_val.data<float>()[i] = static_cast<float>(base.item(i) + offset);
        }};
    }
    History fit(std::vector<Callback> callbacks) {
        callbacks.insert(callbacks.begin(), driver());
        return model.fit(x, y,
                         {.epochs = static_cast<int>(script.size()),
                          .batch_size = 16,
                          .validation_data = ValidationData{x, y_val},
                          .verbose = 0,
                          .callbacks = callbacks});
    }
    Sequential model;
    std::vector<double> script;
    Tensor x, y, base, y_val;
};

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("mlp_callbacks_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

}  // namespace

TEST(EarlyStopping, StopsAfterPatienceEpochsWithoutImprovement) {
    ScriptedValidation s({5, 4, 3, 3.5, 3.2, 3.1, 2.0, 1.0});
    const History h = s.fit({EarlyStopping{.monitor = "val_loss", .patience = 3}});
    // best 3 at epoch 3; epochs 4, 5, 6 do not beat it: stop after epoch 6
    EXPECT_EQ(h.epochs(), 6u);
    EXPECT_NEAR(h["val_loss"][2], 3.0, 1e-4);
}

TEST(EarlyStopping, MinDeltaAndBaseline) {
    ScriptedValidation a({5, 4.95, 4.92, 4.85, 1});
    EXPECT_EQ(a.fit({EarlyStopping{.min_delta = 0.1, .patience = 2}}).epochs(), 3u);
    ScriptedValidation b({5, 4, 3, 2, 1});
    // every epoch improves, but none beats the baseline 0.5: stop at patience
    EXPECT_EQ(b.fit({EarlyStopping{.patience = 2, .baseline = 0.5}}).epochs(), 2u);
}

TEST(EarlyStopping, RestoresExactlyTheWeightsOfTheBestEpoch) {
    const data::Dataset data = data::moons(200, 0.3, 3);
    Sequential model(2, {Dense(16, "relu"), Dense(1, "sigmoid")}, {.seed = 2});
    model.compile(Adam{.lr = 0.05}, "binary_crossentropy");
    std::vector<std::vector<Tensor>> snapshots;
    const LambdaCallback record{.on_epoch_end = [&](TrainingState& s) { snapshots.push_back(s.model.get_weights()); }};
    const History h = model.fit(data.x, data.y,
                                {.epochs = 40,
                                 .batch_size = 16,
                                 .validation_split = 0.5,
                                 .verbose = 0,
                                 .callbacks = {record, EarlyStopping{.patience = 4, .restore_best_weights = true}}});
    const auto& val = h["val_loss"];
    const std::size_t best = static_cast<std::size_t>(std::min_element(val.begin(), val.end()) - val.begin());
    ASSERT_LT(best + 1, h.epochs()) << "the test needs a best epoch before the last";
    const auto now = model.get_weights();
    for (std::size_t i = 0; i < now.size(); ++i) EXPECT_TRUE(test::bit_identical(now[i], snapshots[best][i])) << i;
    EXPECT_FALSE(test::bit_identical(now[0], snapshots.back()[0]));
}

TEST(EarlyStopping, MonitorThatIsNeverRecordedIsAnErrorWhenFitStarts) {
    Sequential model(2, {Dense(1)});
    model.compile("sgd", "mse");
    const Tensor x = test::random_tensor(8, 2, 1, -1, 1, DType::f32), y(Shape{8, 1});
    try {
        model.fit(x, y, {.epochs = 1, .verbose = 0, .callbacks = {EarlyStopping{.monitor = "val_loss"}}});
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("val_loss"), std::string::npos) << m;
        EXPECT_NE(m.find("validation_split"), std::string::npos) << m;
    }
    EXPECT_THROW(model.fit(x, y, {.verbose = 0, .callbacks = {EarlyStopping{.monitor = "accuracy"}}}), ConfigError);
    EXPECT_THROW(Callback(EarlyStopping{.patience = -1}), ConfigError);
    EXPECT_THROW(Callback(EarlyStopping{.mode = "maximum"}), ConfigError);
}

TEST(ReduceLROnPlateau, LowersTheRateOnTheEpochTheRuleSays) {
    // improvements at epochs 1-2, then flat: patience 2 -> reduce at the end of epoch 4;
    // cooldown 1 is spent at epoch 5, which then counts as waiting (Keras's rule)
    // -> reduce again at epoch 6. History shows the rate each epoch ran with.
    ScriptedValidation s({5, 4, 4, 4, 4, 4, 4, 4});
    s.model.optimizer().set_learning_rate(1.0);  // the model itself is frozen by lr 0 below
    Tensor zero(Shape{16, 2});
    const History h =
        s.model.fit(zero, s.y,  // zero inputs: with bias 0 the gradient of the kernel is 0
                    {.epochs = 8,
                     .batch_size = 16,
                     .validation_data = ValidationData{s.x, s.y_val},
                     .verbose = 0,
                     .callbacks = {s.driver(), ReduceLROnPlateau{.factor = 0.5, .patience = 2, .cooldown = 1}}});
    const auto& lr = h["learning_rate"];
    ASSERT_EQ(lr.size(), 8u);
    const std::vector<double> expected{1, 1, 1, 1, 0.5, 0.5, 0.25, 0.25};
    for (std::size_t e = 0; e < 8; ++e) EXPECT_DOUBLE_EQ(lr[e], expected[e]) << "epoch " << e + 1;
}

TEST(ModelCheckpoint, SaveBestOnlyWritesOnlyOnImprovement) {
    ScriptedValidation s({5, 6, 4, 4.5, 3});
    const fs::path pattern = scratch("ckpt-{epoch:02d}-{val_loss:.2f}.safetensors");
    s.fit({ModelCheckpoint{.filepath = pattern.string(), .save_best_only = true}});
    std::vector<std::string> written;
    for (const auto& f : fs::directory_iterator(pattern.parent_path()))
        if (f.path().filename().string().rfind("ckpt-", 0) == 0) written.push_back(f.path().filename().string());
    std::sort(written.begin(), written.end());
    EXPECT_EQ(written, (std::vector<std::string>{"ckpt-01-5.00.safetensors", "ckpt-03-4.00.safetensors",
                                                 "ckpt-05-3.00.safetensors"}));
    // what it wrote loads back into the same model
    const Sequential loaded = Sequential::load((pattern.parent_path() / "ckpt-05-3.00.safetensors").string());
    EXPECT_TRUE(test::bit_identical(loaded.predict(s.x), s.model.predict(s.x)));
    fs::remove_all(pattern.parent_path());
}

TEST(ModelCheckpoint, BadPatternsAreErrors) {
    EXPECT_THROW(Callback(ModelCheckpoint{.filepath = "a{epoch"}), ConfigError);
    EXPECT_THROW(Callback(ModelCheckpoint{.filepath = "a{epoch:%n}"}), ConfigError);
    ScriptedValidation s({1, 2});
    EXPECT_THROW(s.fit({ModelCheckpoint{.filepath = "x-{accuracy}.safetensors"}}), ConfigError);
}

TEST(CSVLogger, WritesOneRowPerEpoch) {
    ScriptedValidation s({3, 2, 1});
    const fs::path file = scratch("log.csv");
    s.fit({CSVLogger{.filename = file.string()}});
    std::ifstream in(file);
    std::string header, line;
    std::getline(in, header);
    EXPECT_EQ(header, "epoch,loss,val_loss,learning_rate");
    int rows = 0;
    while (std::getline(in, line)) ++rows;
    EXPECT_EQ(rows, 3);
    fs::remove_all(file.parent_path());
}

TEST(TerminateOnNaN, EndsTrainingAndKeepsHistory) {
    Sequential model(1, {Dense(1)});
    model.compile(SGD{.lr = 1e30}, "mse");
    Tensor x(Shape{4, 1}), y(Shape{4, 1});
    for (int i = 0; i < 4; ++i) x.data<float>()[i] = y.data<float>()[i] = 1e10f;
    EXPECT_THROW(model.fit(x, y, {.epochs = 5, .batch_size = 1, .verbose = 0}), NumericError);
    Sequential again(1, {Dense(1)});
    again.compile(SGD{.lr = 1e30}, "mse");
    const History h = again.fit(x, y, {.epochs = 5, .batch_size = 1, .verbose = 0, .callbacks = {TerminateOnNaN{}}});
    EXPECT_EQ(h.epochs(), 1u);
}

TEST(LearningRateScheduler, SetsTheRateEachEpoch) {
    ScriptedValidation s({1, 1, 1, 1});
    const History h = s.fit({LearningRateScheduler{.schedule = [](int epoch, double) { return 0.1 * (epoch + 1); }}});
    const std::vector<double> expected{0.1, 0.2, 0.3, 0.4};
    for (std::size_t e = 0; e < 4; ++e) EXPECT_NEAR(h["learning_rate"][e], expected[e], 1e-12);
    const LearningRateScheduler same{.schedule = [](int, double lr) { return lr; }};
    EXPECT_THROW(s.model.fit(s.x, s.y, {.verbose = 0, .callbacks = {same}, .lr_schedule = StepDecay{}}), ConfigError);
}

TEST(LambdaCallback, SeesEveryHookAndCanStopTraining) {
    ScriptedValidation s({1, 1, 1, 1, 1});
    std::string calls;
    const LambdaCallback spy{.on_train_begin = [&](TrainingState&) { calls += "T"; },
                             .on_epoch_begin = [&](TrainingState&) { calls += "E"; },
                             .on_batch_begin = [&](TrainingState&) { calls += "b"; },
                             .on_batch_end =
                                 [&](TrainingState& st) {
                                     calls += "B";
                                     EXPECT_TRUE(st.logs.contains("loss"));
                                 },
                             .on_epoch_end =
                                 [&](TrainingState& st) {
                                     calls += "e";
                                     if (st.epoch == 2) st.stop_training = true;
                                 },
                             .on_train_end = [&](TrainingState&) { calls += "t"; }};
    const History h = s.fit({spy});
    EXPECT_EQ(calls, "TEbBeEbBet");
    EXPECT_EQ(h.epochs(), 2u);
}

TEST(ProgressBar, OneLinePerEpochWhenNotATerminal) {
    ScriptedValidation s({1, 1, 1});
    std::FILE* out = std::tmpfile();
    s.fit({ProgressBar{.verbose = 1, .out = out}});
    std::rewind(out);
    std::string text(4096, '\0');
    text.resize(std::fread(text.data(), 1, text.size(), out));
    std::fclose(out);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;
    EXPECT_EQ(text.find('\r'), std::string::npos) << text;
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_NE(text.find("Epoch 3/3"), std::string::npos) << text;
    EXPECT_NE(text.find("val_loss: 1.0000"), std::string::npos) << text;
}

TEST(ProgressBar, RedrawsInPlaceOnATerminal) {
    int master = -1, slave = -1;
    ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
    std::FILE* out = ::fdopen(slave, "w");
    const data::Dataset data = data::moons(256, 0.2, 1);
    Sequential model(2, {Dense(8, "relu"), Dense(1, "sigmoid")});
    model.compile("adam", "binary_crossentropy", {"accuracy"});
    model.fit(data.x, data.y, {.epochs = 2, .batch_size = 32, .callbacks = {ProgressBar{.out = out}}});
    std::fclose(out);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = ::read(master, buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
    ::close(master);
    EXPECT_NE(text.find("Epoch 1/2"), std::string::npos) << text;
    EXPECT_NE(text.find("8/8 [==============================]"), std::string::npos) << text;
    EXPECT_NE(text.find('\r'), std::string::npos);
    EXPECT_NE(text.find("ms/step - loss: "), std::string::npos) << text;
    EXPECT_NE(text.find("accuracy: "), std::string::npos) << text;
}

TEST(ProgressBar, WritesThroughItsSinkInsteadOfAFile) {
    const data::Dataset data = data::moons(256, 0.2, 1);
    Sequential model(2, {Dense(8, "relu"), Dense(1, "sigmoid")});
    model.compile("adam", "binary_crossentropy");
    std::string lines, bar;
    model.fit(data.x, data.y,
              {.epochs = 2, .batch_size = 32, .callbacks = {ProgressBar{.write = [&](const std::string& t) {
                                                  lines += t;
                                              }}}});
    EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 2) << lines;
    EXPECT_EQ(lines.find('\r'), std::string::npos) << lines;
    model.fit(data.x, data.y,
              {.epochs = 1,
               .batch_size = 32,
               .callbacks = {ProgressBar{.force_terminal = true, .write = [&](const std::string& t) { bar += t; }}}});
    EXPECT_NE(bar.find("8/8 [==============================]"), std::string::npos) << bar;
    // fit's own display, sent elsewhere: not one of the callbacks, whose places checkpoints keep.
    std::string own;
    model.fit(data.x, data.y,
              {.epochs = 3, .batch_size = 32, .verbose = 2, .progress = ProgressBar{.write = [&](const std::string& t) {
                                                                own += t;
                                                            }}});
    EXPECT_EQ(std::count(own.begin(), own.end(), '\n'), 3) << own;
    EXPECT_NE(own.find("Epoch 3/3"), std::string::npos) << own;
}

}  // namespace mlp

namespace mlp {

TEST(TrainingMonitor, ADeadUnitIsOneThatPassesNoGradientNotOneBelowZero) {
    // Every unit's pre-activation is about -100 on every sample: the ReLUs pass
    // no gradient, the leaky ReLUs pass alpha times it and can recover, and
    // saturated piecewise-linear units are as dead as the ReLUs.
    const Tensor x = test::random_tensor(16, 3, 22, -1, 1, DType::f32);
    const Tensor y(Shape{16});
    const DenseOptions negative{.bias_init = Initializer("constant:-100")};
    for (const auto& [activation, dead] :
         std::vector<std::pair<std::string, double>>{{"relu", 1}, {"leaky_relu", 0}, {"piecewise_linear", 1}}) {
        Sequential model(3, {Dense(5, activation, negative), Dense(2, "softmax")}, {.seed = 3});
        model.compile(SGD{.lr = 0.1}, "sparse_categorical_crossentropy");
        auto monitor = std::make_shared<TrainingMonitor>(x);
        model.fit(x, y, {.epochs = 1, .verbose = 0, .callbacks = {monitor}});
        EXPECT_EQ(monitor->layers()[0].dead_fraction, std::vector<double>{dead}) << activation;
        EXPECT_EQ(monitor->layers()[0].gradient_norm[0] > 0, dead == 0) << activation;
    }
}

TEST(TrainingMonitor, RecordsGradientNormsAndDeadUnitsPerEpoch) {
    const Tensor x = test::random_tensor(64, 3, 21, -1, 1, DType::f32);
    Tensor y(Shape{64});  // unbalanced, so that the output bias keeps a gradient
    for (std::int64_t i = 0; i < 64; ++i) y.data<float>()[i] = i % 4 == 0 ? 1.0f : 0.0f;
    // The second hidden layer starts dead: a bias of -100 keeps every ReLU at 0.
    Sequential model(
        3, {Dense(8, "tanh"), Dense(6, "relu", {.bias_init = Initializer("constant:-100")}), Dense(2, "softmax")},
        {.seed = 2});
    model.compile(SGD{.lr = 0.1}, "sparse_categorical_crossentropy");
    auto monitor = std::make_shared<TrainingMonitor>(x.rows(0, 32));
    model.fit(x, y, {.epochs = 3, .batch_size = 64, .verbose = 0, .callbacks = {monitor}});
    ASSERT_EQ(monitor->layers().size(), 3u);
    EXPECT_EQ(monitor->epochs(), 3);
    const LayerStatistics& dead = monitor->layers()[1];
    EXPECT_EQ(dead.dead_fraction, (std::vector<double>{1, 1, 1}));
    EXPECT_EQ(dead.gradient_norm[2], 0.0);                  // no gradient flows through dead units
    EXPECT_EQ(monitor->layers()[0].gradient_norm[2], 0.0);  // nor below them
    const LayerStatistics& tanh = monitor->layers()[0];
    EXPECT_EQ(tanh.dead_fraction, (std::vector<double>{0, 0, 0}));  // tanh' is never 0
    EXPECT_GT(tanh.stddev[0], 0.0);
    // The output layer's gradient norm is the norm of its part of the gradient arena after the last step.
    const Layer& out = model.layer(2);
    double squares = 0;
    for (const auto& p : out.parameters())
        for (std::int64_t k = 0; k < p.grad.numel(); ++k) squares += p.grad.item(k) * p.grad.item(k);
    EXPECT_DOUBLE_EQ(monitor->layers()[2].gradient_norm.back(), std::sqrt(squares));
    EXPECT_GT(monitor->layers()[2].gradient_norm.back(), 0.0);
    EXPECT_THROW(model.fit(x.rows(0, 8).reshaped(Shape{8, 3}), y.rows(0, 8),
                           {.verbose = 0, .callbacks = {std::make_shared<TrainingMonitor>(Tensor(Shape{4, 5}))}}),
                 ShapeError);
}

}  // namespace mlp
