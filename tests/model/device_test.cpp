// A model on a device (Sequential::to), on the stand-in GPU: its ops are the
// CPU's, so training there must give the CPU's numbers exactly, while any host
// read of device memory, or a tensor left on the wrong side, crashes or throws.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "../../src/backend/ops.hpp"
#include "../backend/stand_in_gpu.hpp"
#include "../test_util.hpp"
#include "mlp/callbacks/training_monitor.hpp"
#include "mlp/core/error.hpp"
#include "mlp/mlp.hpp"

namespace mlp {
namespace {

const Device gpu = Device::cuda(0);

class ModelOnDevice : public ::testing::Test {
protected:
    void SetUp() override { testing::install_stand_in_gpu(); }
};

/// Three classes in 6 features, with a pattern a model can learn.
struct Data {
    Tensor x, y;
};
Data classes(std::int64_t rows, std::uint64_t seed) {
    Data d{test::random_tensor(rows, 6, seed, -1.0, 1.0, DType::f32), Tensor(Shape{rows}, DType::f32)};
    for (std::int64_t r = 0; r < rows; ++r) {
        const float s = d.x.data<float>()[r * 6] + d.x.data<float>()[r * 6 + 1];
        d.y.data<float>()[r] = s < -0.3f ? 0.0f : (s < 0.3f ? 1.0f : 2.0f);
    }
    return d;
}

/// A model with every kind of layer whose training path differs on a device.
Sequential every_layer(const Data& data) {
    Normalization norm;
    norm.adapt(data.x);
    Sequential model(6,
                     {norm, Dense(16, "relu"), BatchNormalization(), Dropout(0.2),
                      Residual({Dense(12, "tanh"), Dense(10, "gelu")}), Activation("elu"), Dense(3, "softmax")},
                     {.seed = 7});
    model.compile(Adam{.lr = 0.01, .clipnorm = 1.0}, "sparse_categorical_crossentropy", {"accuracy"});
    return model;
}

void expect_identical(const std::vector<Tensor>& a, const std::vector<Tensor>& b, const std::string& what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].device(), Device::cpu()) << what << ": get_weights gives host tensors";
        ASSERT_EQ(a[i].shape(), b[i].shape()) << what;
        for (std::int64_t k = 0; k < a[i].numel(); ++k)
            ASSERT_EQ(a[i].item(k), b[i].item(k)) << what << ", weight " << i << " element " << k;
    }
}

void expect_identical(const Tensor& a, const Tensor& b, const std::string& what) {
    expect_identical(std::vector<Tensor>{a}, std::vector<Tensor>{b}, what);
}

TEST_F(ModelOnDevice, TrainingThereGivesTheCpusNumbers) {
    const Data data = classes(300, 1);
    Sequential on_cpu = every_layer(data), on_gpu = every_layer(data);
    on_gpu.to(gpu);
    EXPECT_EQ(on_gpu.device(), gpu);
    EXPECT_EQ(on_gpu.parameters().device(), gpu);
    EXPECT_NE(on_gpu.summary_text().find("(float32, 6 inputs, on cuda:0)"), std::string::npos) << on_gpu.summary_text();
    const FitOptions options{
        .epochs = 3, .batch_size = 32, .validation_split = 0.2, .verbose = 0, .class_weight = {{2, 1.5}}};
    const History cpu_history = on_cpu.fit(data.x, data.y, options);
    const History gpu_history = on_gpu.fit(data.x, data.y, options);
    for (const char* key : {"loss", "accuracy", "val_loss", "val_accuracy"})
        EXPECT_EQ(gpu_history[key], cpu_history[key]) << key;
    expect_identical(on_gpu.get_weights(), on_cpu.get_weights(), "after fit");
    EXPECT_GT(cpu_history["accuracy"].back(), 0.6);  // it learned something worth comparing

    const Tensor predicted = on_gpu.predict(data.x);
    EXPECT_EQ(predicted.device(), Device::cpu());  // host x: host predictions
    expect_identical(predicted, on_cpu.predict(data.x), "predict");
    const Tensor there = on_gpu.predict(data.x.to(gpu), 64);  // device x: device predictions
    EXPECT_EQ(there.device(), gpu);
    // In batches of 64: the products' summation order may depend on their row count.
    expect_identical(there.to(Device::cpu()), on_cpu.predict(data.x, 64), "predict from device data");
    const Scores gpu_scores = on_gpu.evaluate(data.x, data.y), cpu_scores = on_cpu.evaluate(data.x, data.y);
    EXPECT_EQ(gpu_scores["loss"], cpu_scores["loss"]);
    EXPECT_EQ(gpu_scores["accuracy"], cpu_scores["accuracy"]);
}

TEST_F(ModelOnDevice, MovingMidTrainingKeepsTheOptimizersState) {
    const Data data = classes(200, 2);
    Sequential stays = every_layer(data), travels = every_layer(data);
    const FitOptions one{.epochs = 1, .batch_size = 50, .verbose = 0};
    stays.fit(data.x, data.y, one);
    travels.fit(data.x, data.y, one);
    travels.to(gpu);  // Adam's m and v, BatchNormalization's moving statistics go along
    for (int i = 0; i < 3; ++i) {
        const Data batch = classes(50, 10 + static_cast<std::uint64_t>(i));
        EXPECT_EQ(travels.train_on_batch(batch.x, batch.y), stays.train_on_batch(batch.x, batch.y));
    }
    travels.to(Device::cpu());
    stays.fit(data.x, data.y, one);
    travels.fit(data.x, data.y, one);
    expect_identical(travels.get_weights(), stays.get_weights(), "after a round trip");
    EXPECT_EQ(travels.optimizer().state().front().second.device(), Device::cpu());
}

TEST_F(ModelOnDevice, ATrainingSetTooLargeForTheDeviceIsSentBatchByBatch) {
    const Data data = classes(8000, 11);  // 192 KB of inputs
    Sequential on_cpu = every_layer(data), on_gpu = every_layer(data);
    on_gpu.to(gpu);
    const FitOptions options{.epochs = 2, .batch_size = 64, .verbose = 0, .class_weight = {{1, 2.0}}};
    const History a = on_cpu.fit(data.x, data.y, options);
    const History b = [&] {
        // A step takes about 100 KB (the caches for 64 rows): the model and its batches fit, the training set not.
        const testing::StandInMemoryLimit limit(170000);
        return on_gpu.fit(data.x, data.y, options);
    }();
    EXPECT_EQ(b["loss"], a["loss"]);
    expect_identical(on_gpu.get_weights(), on_cpu.get_weights(), "streamed batches");
}

TEST_F(ModelOnDevice, NothingIsLeftOnTheDeviceOnceTheModelsAreGone) {
    const std::size_t before = testing::stand_in_memory_in_use();
    {
        const Data data = classes(300, 12);
        Sequential model = every_layer(data);
        model.to(gpu);
        model.fit(data.x, data.y, {.epochs = 1, .batch_size = 32, .validation_split = 0.2, .verbose = 0});
        (void)model.predict(data.x);
        EXPECT_GT(testing::stand_in_memory_in_use(), before);
    }
    EXPECT_EQ(testing::stand_in_memory_in_use(), before);
}

TEST_F(ModelOnDevice, EveryOptimizersStateMovesWithTheModel) {
    const Data data = classes(120, 17);
    const std::vector<OptimizerOptions> optimizers{
        SGD{.lr = 0.05, .momentum = 0.9, .nesterov = true}, RMSprop{.lr = 0.01, .momentum = 0.5, .centered = true},
        Adagrad{.lr = 0.05, .initial_accumulator_value = 0.1}, AdamW{.lr = 0.01, .amsgrad = true}};
    for (const OptimizerOptions& optimizer : optimizers) {
        auto make = [&] {
            Sequential m(6, {Dense(8, "tanh"), Dense(3, "softmax")}, {.seed = 3});
            m.compile(optimizer, "sparse_categorical_crossentropy");
            return m;
        };
        Sequential stays = make(), travels = make();
        const FitOptions one{.epochs = 1, .batch_size = 20, .verbose = 0};
        stays.fit(data.x, data.y, one);
        travels.fit(data.x, data.y, one);
        travels.to(gpu);
        stays.fit(data.x, data.y, one);
        travels.fit(data.x, data.y, one);
        const std::string name = travels.optimizer().name();
        for (const auto& [arena, view] : travels.optimizer().state()) EXPECT_EQ(view.device(), gpu) << name;
        expect_identical(travels.get_weights(), stays.get_weights(), name + " after moving");
    }
}

TEST_F(ModelOnDevice, AModelThatDoesNotFitStaysWhereItWas) {
    const Data data = classes(200, 14);
    Sequential moved = every_layer(data), stays = every_layer(data);
    const FitOptions one{.epochs = 1, .batch_size = 50, .verbose = 0};
    moved.fit(data.x, data.y, one);
    stays.fit(data.x, data.y, one);
    // Room for the parameters, gradients and buffers (about 6 KB), not for Adam's state beside them.
    {
        const testing::StandInMemoryLimit limit(testing::stand_in_memory_in_use() + 8000);
        EXPECT_THROW(moved.to(gpu), DeviceMemoryError);
    }
    EXPECT_EQ(moved.device(), Device::cpu());
    EXPECT_EQ(moved.parameters().device(), Device::cpu());
    EXPECT_EQ(moved.optimizer().state().front().second.device(), Device::cpu());
    moved.fit(data.x, data.y, one);  // and trains on as if nothing had happened
    stays.fit(data.x, data.y, one);
    expect_identical(moved.get_weights(), stays.get_weights(), "after a failed move");
}

TEST_F(ModelOnDevice, ABuildDeferredUntilTheDataIsMadeThere) {
    const Data data = classes(100, 3);
    Sequential later(0, {.seed = 4});
    later.add(Dense(8, "tanh")).add(Dense(3, "softmax"));
    later.to(gpu);  // not built yet: built on the device by fit
    later.compile("sgd", "sparse_categorical_crossentropy");
    Sequential now(6, {Dense(8, "tanh"), Dense(3, "softmax")}, {.seed = 4});
    now.compile("sgd", "sparse_categorical_crossentropy");
    later.fit(data.x, data.y, {.epochs = 2, .verbose = 0});
    now.fit(data.x, data.y, {.epochs = 2, .verbose = 0});
    EXPECT_EQ(later.parameters().device(), gpu);
    expect_identical(later.get_weights(), now.get_weights(), "a deferred build");
}

TEST_F(ModelOnDevice, GradientsAndWeightsGoThroughTheHost) {
    const Data data = classes(40, 5);
    Sequential model(6, {Dense(5, "sigmoid"), Dense(3)}, {.seed = 1, .dtype = DType::f64});
    model.compile("sgd", Loss("sparse_categorical_crossentropy", {.from_logits = true}));
    Sequential reference(6, {Dense(5, "sigmoid"), Dense(3)}, {.seed = 1, .dtype = DType::f64});
    reference.compile("sgd", Loss("sparse_categorical_crossentropy", {.from_logits = true}));
    model.to(gpu);
    EXPECT_EQ(model.compute_gradients(data.x, data.y, true), reference.compute_gradients(data.x, data.y, true));
    expect_identical(Tensor::copy_of(model.gradients(), Device::cpu()), Tensor::copy_of(reference.gradients()),
                     "gradients");
    EXPECT_EQ(model.input_gradient().device(), gpu);
    const check::Report report = check::gradients(model, data.x, data.y);  // a model is checked where it is
    EXPECT_TRUE(report.passed(1e-6)) << report.str();

    std::vector<Tensor> weights = reference.get_weights();
    for (Tensor& w : weights) w.values<double>()[0] = 0.5;
    model.set_weights(weights);
    reference.set_weights(weights);
    expect_identical(model.get_weights(), reference.get_weights(), "set_weights");

    const std::string file = ::testing::TempDir() + "mlp_device_weights.safetensors";
    reference.fit(data.x, data.y, {.epochs = 1, .verbose = 0});
    reference.save_weights(file);  // from the host into the model on the device
    model.load_weights(file);
    expect_identical(model.get_weights(), reference.get_weights(), "load_weights");
    model.save_weights(file);  // and back
    reference.set_weights(weights);
    reference.load_weights(file);
    expect_identical(reference.get_weights(), model.get_weights(), "save_weights from the device");
    std::remove(file.c_str());
}

TEST_F(ModelOnDevice, SavedThereLoadsAnywhereAndResumes) {
    const Data data = classes(120, 6);
    const std::string file = ::testing::TempDir() + "mlp_device_model.safetensors";
    Sequential model = every_layer(data);
    model.to(gpu);
    model.fit(data.x, data.y, {.epochs = 2, .batch_size = 40, .verbose = 0, .checkpoint = file});
    Sequential loaded = Sequential::load(file);  // the checkpoint after epoch 2, on the host
    EXPECT_EQ(loaded.device(), Device::cpu());
    expect_identical(loaded.get_weights(), model.get_weights(), "the checkpoint");
    expect_identical(loaded.predict(data.x), model.predict(data.x), "predictions of the loaded model");
    // Resumed on the device, as it would have gone on: 2 more epochs either way.
    Sequential resumed = Sequential::load(file);
    resumed.to(gpu);
    resumed.fit(data.x, data.y, {.epochs = 4, .batch_size = 40, .verbose = 0, .resume = true});
    model.fit(data.x, data.y, {.epochs = 4, .batch_size = 40, .verbose = 0, .resume = true});
    expect_identical(resumed.get_weights(), model.get_weights(), "resumed on the device");
    std::remove(file.c_str());
}

TEST_F(ModelOnDevice, CallbacksWorkAsOnTheCpu) {
    const Data data = classes(300, 16);
    const std::string dir = ::testing::TempDir();
    auto train = [&](Sequential& model, const std::string& name) {
        return model.fit(data.x, data.y,
                         {.epochs = 6,
                          .batch_size = 32,
                          .validation_split = 0.3,
                          .verbose = 0,
                          .callbacks = {EarlyStopping{.patience = 1, .restore_best_weights = true},
                                        ReduceLROnPlateau{.factor = 0.5, .patience = 1},
                                        ModelCheckpoint{.filepath = dir + name, .save_best_only = true}}});
    };
    Sequential on_cpu = every_layer(data), on_gpu = every_layer(data);
    on_gpu.to(gpu);
    const History a = train(on_cpu, "mlp_best_cpu.safetensors"), b = train(on_gpu, "mlp_best_gpu.safetensors");
    EXPECT_EQ(b["val_loss"], a["val_loss"]);
    EXPECT_EQ(b["learning_rate"], a["learning_rate"]);
    expect_identical(on_gpu.get_weights(), on_cpu.get_weights(), "the restored best weights");
    expect_identical(Sequential::load(dir + "mlp_best_gpu.safetensors").get_weights(),
                     Sequential::load(dir + "mlp_best_cpu.safetensors").get_weights(), "the best checkpoint");
    std::remove((dir + "mlp_best_cpu.safetensors").c_str());
    std::remove((dir + "mlp_best_gpu.safetensors").c_str());
}

TEST_F(ModelOnDevice, WritesTheCpusReport) {
    const Data data = classes(300, 15);
    data::Dataset test{.x = data.x, .y = data.y, .classes = 3};
    Sequential on_cpu = every_layer(data), on_gpu = every_layer(data);
    on_gpu.to(gpu);
    const auto cpu_monitor = std::make_shared<TrainingMonitor>(data.x.rows(0, 32));
    const auto gpu_monitor = std::make_shared<TrainingMonitor>(data.x.rows(0, 32));
    const FitOptions options{.epochs = 2, .batch_size = 32, .validation_split = 0.2, .verbose = 0};
    FitOptions cpu_options = options, gpu_options = options;
    cpu_options.callbacks = {cpu_monitor};
    gpu_options.callbacks = {gpu_monitor};
    const History a = on_cpu.fit(data.x, data.y, cpu_options), b = on_gpu.fit(data.x, data.y, gpu_options);
    const std::string cpu_page =
        report::training_report(on_cpu, a, {.monitor = cpu_monitor.get(), .test = &test}).str();
    const std::string gpu_page =
        report::training_report(on_gpu, b, {.monitor = gpu_monitor.get(), .test = &test}).str();
    EXPECT_GT(cpu_page.size(), 10000u);
    EXPECT_EQ(gpu_page, cpu_page);
}

TEST_F(ModelOnDevice, ExportsTheSameOnnxFileAsTheCpu) {
    const Data data = classes(100, 13);
    Sequential on_cpu = every_layer(data), on_gpu = every_layer(data);
    on_gpu.to(gpu);
    const std::string a = ::testing::TempDir() + "mlp_cpu.onnx", b = ::testing::TempDir() + "mlp_gpu.onnx";
    try {
        on_cpu.export_onnx(a);
    } catch (const ConfigError& e) {
        GTEST_SKIP() << e.what();  // a build without ONNX
    }
    on_gpu.export_onnx(b);
    auto bytes = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    EXPECT_EQ(bytes(b), bytes(a));
    std::remove(a.c_str());
    std::remove(b.c_str());
}

TEST_F(ModelOnDevice, RecurrentAndMonitoredTraining) {
    const Tensor x = test::random_tensor(64, 12, 8, -1.0, 1.0, DType::f32);  // 6 steps of 2 features
    Tensor y(Shape{64, 1}, DType::f32);
    for (std::int64_t r = 0; r < 64; ++r) y.data<float>()[r] = x.data<float>()[r * 12] - x.data<float>()[r * 12 + 10];
    auto make = [] {
        Sequential m(12, {SimpleRNN(8, {.features = 2}), Dense(1)}, {.seed = 2});
        m.compile(RMSprop{.lr = 0.01, .momentum = 0.5, .centered = true}, "mse");
        return m;
    };
    Sequential on_cpu = make(), on_gpu = make();
    on_gpu.to(gpu);
    const auto cpu_monitor = std::make_shared<TrainingMonitor>(x.rows(0, 8));
    const auto gpu_monitor = std::make_shared<TrainingMonitor>(x.rows(0, 8));
    const History a = on_cpu.fit(x, y, {.epochs = 2, .batch_size = 16, .verbose = 0, .callbacks = {cpu_monitor}});
    const History b = on_gpu.fit(x, y, {.epochs = 2, .batch_size = 16, .verbose = 0, .callbacks = {gpu_monitor}});
    EXPECT_EQ(b["loss"], a["loss"]);
    ASSERT_EQ(gpu_monitor->layers().size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(gpu_monitor->layers()[i].gradient_norm, cpu_monitor->layers()[i].gradient_norm);
        EXPECT_EQ(gpu_monitor->layers()[i].mean, cpu_monitor->layers()[i].mean);
    }
    expect_identical(on_gpu.predict(x), on_cpu.predict(x), "SimpleRNN");
}

/// Dense layers only (a DenseStack among them): every step of theirs can be recorded on the device.
Sequential dense_only(std::uint64_t seed) {
    Sequential model(6,
                     {Dense(16, "relu"), DenseStack(16, 3, "tanh"), Residual({Dense(16, "tanh")}), Dense(3, "softmax")},
                     {.seed = seed});
    model.compile(Adam{.lr = 0.01}, "sparse_categorical_crossentropy", {"accuracy"});
    return model;
}

TEST_F(ModelOnDevice, StepsAreRecordedOnceAShapeRepeatsAndReplayedToTheCpusNumbers) {
    const Data data = classes(100, 11);
    Sequential on_cpu = dense_only(3), on_gpu = dense_only(3);
    on_gpu.to(gpu);
    const std::size_t replays = testing::stand_in_replays(), failed = testing::stand_in_failed_recordings();
    // 100 rows in batches of 32: three full batches and one of 4, per epoch.
    const FitOptions options{.epochs = 3, .batch_size = 32, .verbose = 0};
    const History cpu_history = on_cpu.fit(data.x, data.y, options);
    const History gpu_history = on_gpu.fit(data.x, data.y, options);
    // A step after one of another shape runs as it is (the layers set their
    // buffers' shapes then): each epoch's first batch and its batch of 4. The
    // second batch of the first epoch is recorded; the second and third batches
    // of each epoch are replays.
    EXPECT_EQ(testing::stand_in_replays() - replays, 2u + 2u + 2u);
    EXPECT_EQ(testing::stand_in_failed_recordings(), failed);
    for (const char* key : {"loss", "accuracy"}) EXPECT_EQ(gpu_history[key], cpu_history[key]) << key;
    expect_identical(on_gpu.get_weights(), on_cpu.get_weights(), "recorded steps");
    // train_on_batch: the second batch of 16 is recorded and replayed; a larger
    // batch drops the recordings (the buffers may grow); 16 rows are then
    // recorded anew and replayed twice.
    for (const std::int64_t rows : {16, 16, 64, 16, 16, 16}) {
        const double cpu_loss = on_cpu.train_on_batch(data.x.rows(0, rows), data.y.rows(0, rows));
        EXPECT_EQ(on_gpu.train_on_batch(data.x.rows(0, rows), data.y.rows(0, rows)), cpu_loss) << rows << " rows";
    }
    EXPECT_EQ(testing::stand_in_replays() - replays, 6u + 1u + 2u);
    expect_identical(on_gpu.get_weights(), on_cpu.get_weights(), "train_on_batch");
}

TEST_F(ModelOnDevice, DropoutDrawsANewMaskAtEachReplay) {
    const Data data = classes(100, 12);
    auto make = [] {
        Sequential model(
            6, {Dense(16, "relu"), Dropout(0.3), Residual({Dropout(0.2), Dense(16, "tanh")}), Dense(3, "softmax")},
            {.seed = 5});
        model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
        return model;
    };
    Sequential on_cpu = make(), on_gpu = make();
    on_gpu.to(gpu);
    const std::size_t replays = testing::stand_in_replays();
    const FitOptions options{.epochs = 3, .batch_size = 25, .verbose = 0};
    const History cpu_history = on_cpu.fit(data.x, data.y, options);
    const History gpu_history = on_gpu.fit(data.x, data.y, options);
    // 4 batches of 25 an epoch, all one shape: the first step runs as it is,
    // the second is recorded, and it and all the later ones are replays.
    EXPECT_EQ(testing::stand_in_replays() - replays, 11u);
    for (const char* key : {"loss", "accuracy"}) EXPECT_EQ(gpu_history[key], cpu_history[key]) << key;
    expect_identical(on_gpu.get_weights(), on_cpu.get_weights(), "replayed dropout");
    // The host's count of masks kept up with the replays: a checkpoint resumes the same draws.
    EXPECT_EQ(on_gpu.layer(1).draws(), on_cpu.layer(1).draws());
    EXPECT_EQ(on_gpu.layer(1).draws(), 12u);
    EXPECT_EQ(on_gpu.layer(2).draws(), 12u);
}

TEST_F(ModelOnDevice, StepsThatReadBackAreNotRecorded) {
    const Data data = classes(100, 12);
    const std::size_t replays = testing::stand_in_replays(), failed = testing::stand_in_failed_recordings();
    Sequential model(6, {Dense(8, "relu"), BatchNormalization(), Dense(3, "softmax")});
    model.compile("adam", "sparse_categorical_crossentropy");
    model.to(gpu);
    model.fit(data.x, data.y, {.epochs = 2, .batch_size = 25, .verbose = 0});
    EXPECT_EQ(testing::stand_in_replays(), replays);
    EXPECT_EQ(testing::stand_in_failed_recordings(), failed);  // not even tried
}

/// A layer that claims its steps can be recorded but asks the host for its
/// input's norm in forward: its recording fails, and training runs as it is.
class NormReader : public LayerBase<NormReader> {
public:
    std::string type() const override { return "NormReader"; }
    std::int64_t output_features(std::int64_t in_features) const override { return in_features; }

private:
    TensorView do_forward(const TensorView& x, bool) override {
        norm_ = backend::squared_norm(x);
        return x;
    }
    TensorView do_backward(const TensorView& dy) override { return dy; }
    void do_infer(const TensorView& x, const TensorView& y) const override { backend::copy(x, y); }
    double norm_ = 0.0;
};

TEST_F(ModelOnDevice, AStepThatCannotBeRecordedRunsAsItIs) {
    const Data data = classes(100, 13);
    auto make = [] {
        Sequential model(6, {Dense(8, "relu"), NormReader(), Dense(3, "softmax")}, {.seed = 4});
        model.compile("adam", "sparse_categorical_crossentropy");
        return model;
    };
    Sequential on_cpu = make(), on_gpu = make();
    on_gpu.to(gpu);
    const std::size_t replays = testing::stand_in_replays(), failed = testing::stand_in_failed_recordings();
    const FitOptions options{.epochs = 2, .batch_size = 25, .verbose = 0};
    EXPECT_EQ(on_gpu.fit(data.x, data.y, options)["loss"], on_cpu.fit(data.x, data.y, options)["loss"]);
    EXPECT_EQ(testing::stand_in_replays(), replays);
    EXPECT_EQ(testing::stand_in_failed_recordings(), failed + 1);  // tried once for the one shape
    expect_identical(on_gpu.get_weights(), on_cpu.get_weights(), "unrecorded steps");
}

/// What a callback saw of each batch, in the order fit called it: "b3" as
/// batch 3 began; "e3" as it ended, with that batch's step count and logs.
class BatchDiary : public CallbackBase {
public:
    explicit BatchDiary(bool can_lag) : can_lag_(can_lag) {}
    void on_batch_begin(TrainingState& state) override { order.push_back("b" + std::to_string(state.batch)); }
    void on_batch_end(TrainingState& state) override {
        order.push_back("e" + std::to_string(state.batch));
        ends.push_back({static_cast<double>(state.epoch), static_cast<double>(state.batch),
                        static_cast<double>(state.step), state.logs["loss"], state.logs["accuracy"]});
    }
    bool batch_end_can_lag() const override { return can_lag_; }
    std::vector<std::string> order;
    std::vector<std::vector<double>> ends;

private:
    bool can_lag_;
};

TEST_F(ModelOnDevice, EachStepIsReadBackTwoStepsLateWithItsOwnFigures) {
    const Data data = classes(100, 14);
    Sequential on_cpu = dense_only(8), on_gpu = dense_only(8), waiting = dense_only(8);
    on_gpu.to(gpu);
    waiting.to(gpu);
    auto cpu_diary = std::make_shared<BatchDiary>(true), gpu_diary = std::make_shared<BatchDiary>(true);
    auto waiting_diary = std::make_shared<BatchDiary>(false);
    // 100 rows in batches of 30: three of 30 and one of 10 an epoch.
    auto fit = [&](Sequential& model, const std::shared_ptr<BatchDiary>& diary) {
        return model.fit(data.x, data.y, {.epochs = 2, .batch_size = 30, .verbose = 0, .callbacks = {diary}});
    };
    const History cpu_history = fit(on_cpu, cpu_diary);
    const History gpu_history = fit(on_gpu, gpu_diary);
    const History waiting_history = fit(waiting, waiting_diary);
    const std::vector<std::string> as_it_ends = {"b1", "e1", "b2", "e2", "b3", "e3", "b4", "e4"};
    const std::vector<std::string> two_late = {"b1", "b2", "b3", "e1", "b4", "e2", "e3", "e4"};
    std::vector<std::string> twice(as_it_ends);
    twice.insert(twice.end(), as_it_ends.begin(), as_it_ends.end());
    EXPECT_EQ(cpu_diary->order, twice) << "the CPU reads each step as it ends";
    EXPECT_EQ(waiting_diary->order, twice) << "a callback that cannot wait gets each batch as it ends";
    twice.assign(two_late.begin(), two_late.end());
    twice.insert(twice.end(), two_late.begin(), two_late.end());
    EXPECT_EQ(gpu_diary->order, twice) << "on a GPU the host queues two more steps before it reads one";
    // Late or not, each batch's end sees that batch's step count, loss and metrics.
    EXPECT_EQ(gpu_diary->ends, cpu_diary->ends);
    EXPECT_EQ(waiting_diary->ends, cpu_diary->ends);
    for (const char* key : {"loss", "accuracy"}) {
        EXPECT_EQ(gpu_history[key], cpu_history[key]) << key;
        EXPECT_EQ(waiting_history[key], cpu_history[key]) << key;
    }
    expect_identical(on_gpu.get_weights(), on_cpu.get_weights(), "steps read late");
}

TEST_F(ModelOnDevice, ALossReadLateStillNamesItsBatch) {
    const Data data = classes(200, 15);
    auto make = [] {
        Sequential model(6, {Dense(8, "relu"), Dense(1)}, {.seed = 2});
        model.compile(SGD{.lr = 1e18}, "mse");
        return model;
    };
    Sequential on_cpu = make(), on_gpu = make();
    on_gpu.to(gpu);
    auto failure = [&](Sequential& model) -> std::string {
        try {
            model.fit(data.x, data.y, {.epochs = 1, .batch_size = 10, .verbose = 0});
        } catch (const NumericError& e) {
            return e.what();
        }
        return "no error";
    };
    const std::string on_the_cpu = failure(on_cpu);
    EXPECT_NE(on_the_cpu.find("the loss became"), std::string::npos) << on_the_cpu;
    EXPECT_EQ(failure(on_gpu), on_the_cpu);
}

TEST_F(ModelOnDevice, StoppingMidEpochCountsEveryStepTaken) {
    const Data data = classes(200, 16);
    Sequential on_cpu = dense_only(9), on_gpu = dense_only(9);
    on_gpu.to(gpu);
    auto interrupted = [&](Sequential& model) {
        int asked = 0;
        model.fit(data.x, data.y,
                  {.epochs = 3, .batch_size = 20, .verbose = 0, .stop_requested = [&] { return ++asked == 14; }});
        return model.progress();
    };
    const TrainingProgress cpu_progress = interrupted(on_cpu), gpu_progress = interrupted(on_gpu);
    EXPECT_TRUE(gpu_progress.interrupted);
    EXPECT_EQ(gpu_progress.epoch, 1);
    EXPECT_EQ(gpu_progress.batch, 4);
    EXPECT_EQ(gpu_progress.step, cpu_progress.step);
    EXPECT_EQ(gpu_progress.epoch_logs, cpu_progress.epoch_logs);  // the loss and metrics of the 4 steps taken
    const FitOptions rest{.epochs = 3, .batch_size = 20, .verbose = 0, .resume = true};
    EXPECT_EQ(on_gpu.fit(data.x, data.y, rest)["loss"], on_cpu.fit(data.x, data.y, rest)["loss"]);
    expect_identical(on_gpu.get_weights(), on_cpu.get_weights(), "resumed after a stop");
}

TEST_F(ModelOnDevice, AnAbsentGpuIsRefusedAndTheModelStays) {
    const Data data = classes(40, 9);
    Sequential model(6, {Dense(3, "softmax")});
    model.compile("sgd", "sparse_categorical_crossentropy");
    model.to(gpu);
    EXPECT_THROW(model.to(Device::cuda(1)), ConfigError);  // the stand-in has one GPU
    EXPECT_EQ(model.device(), gpu);
}

}  // namespace
}  // namespace mlp
