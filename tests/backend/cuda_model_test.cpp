// Models on a real GPU (the CUDA backend) against the same models on the CPU:
// where a GPU is; skipped elsewhere with the runtime's reason. The plumbing
// (every tensor on the right side) is checked everywhere by model_device_test
// on the stand-in GPU; this checks the kernels' numbers in whole models.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "../test_util.hpp"
#include "mlp/cuda/cuda.hpp"
#include "mlp/mlp.hpp"

namespace mlp {
namespace {

const Device gpu = Device::cuda(0);

#define REQUIRE_GPU()                                                              \
    do {                                                                           \
        if (cuda::enable() == 0) GTEST_SKIP() << "no GPU here: " << cuda_status(); \
    } while (0)

/// ||a - b|| / ||b|| over a tensor's elements.
double relative_error(const Tensor& a, const Tensor& b) {
    double diff = 0, norm = 0;
    for (std::int64_t i = 0; i < b.numel(); ++i) {
        diff += (a.item(i) - b.item(i)) * (a.item(i) - b.item(i));
        norm += b.item(i) * b.item(i);
    }
    return norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
}

/// The Fashion-MNIST recipe's model (scripts/main.sh): 784-256-128-10, ReLU, softmax, Adam.
Sequential fashion_mnist_model() {
    Sequential model(784, {Dense(256, "relu"), Dense(128, "relu"), Dense(10, "softmax")}, {.seed = 0});
    model.compile(Adam{.lr = 1e-3}, "sparse_categorical_crossentropy", {"accuracy"});
    return model;
}

TEST(CudaModel, OneFashionMnistStepEqualsTheCpusToFloat32Rounding) {
    REQUIRE_GPU();
    const Tensor x = test::random_tensor(128, 784, 1, 0.0, 1.0, DType::f32);
    const Tensor y = test::class_ids(128, 10).to(DType::f32);
    Sequential on_cpu = fashion_mnist_model(), on_gpu = fashion_mnist_model();
    on_gpu.to(gpu);
    const double cpu_loss = on_cpu.train_on_batch(x, y), gpu_loss = on_gpu.train_on_batch(x, y);
    EXPECT_NEAR(gpu_loss, cpu_loss, 1e-5 * std::abs(cpu_loss));
    const std::vector<Tensor> cpu_weights = on_cpu.get_weights(), gpu_weights = on_gpu.get_weights();
    const std::vector<std::string> names = on_cpu.weight_names();
    for (std::size_t i = 0; i < names.size(); ++i)
        EXPECT_LT(relative_error(gpu_weights[i], cpu_weights[i]), 1e-5) << names[i];
    const Tensor gpu_grads = Tensor::copy_of(on_gpu.gradients(), Device::cpu());
    EXPECT_LT(relative_error(gpu_grads, Tensor::copy_of(on_cpu.gradients())), 1e-5) << "the gradient arena";
}

TEST(CudaModel, TrainingStepsAllocateNothingAfterTheFirst) {
    REQUIRE_GPU();
    const Tensor x = test::random_tensor(128, 784, 7, 0.0, 1.0, DType::f32);
    const Tensor y = test::class_ids(128, 10).to(DType::f32);
    Sequential model = fashion_mnist_model();
    model.to(gpu);
    model.train_on_batch(x, y);
    const cuda::MemoryUse first = cuda::memory_use();
    for (int i = 0; i < 5; ++i) model.train_on_batch(x, y);
    const cuda::MemoryUse later = cuda::memory_use();
    EXPECT_EQ(later.in_use, first.in_use);
    EXPECT_EQ(later.in_use + later.cached, first.in_use + first.cached);  // nothing new from CUDA
}

TEST(CudaModel, TrainingThereFollowsTheCpu) {
    REQUIRE_GPU();
    const Tensor x = test::random_tensor(2000, 20, 2, -1.0, 1.0, DType::f32);
    Tensor y(Shape{2000}, DType::f32);
    for (std::int64_t r = 0; r < 2000; ++r) y.data<float>()[r] = x.data<float>()[r * 20] > x.data<float>()[r * 20 + 1];
    auto make = [] {
        Sequential m(20,
                     {Dense(64, "relu"), BatchNormalization(), Dropout(0.1), Dense(32, "gelu"), Dense(2, "softmax")},
                     {.seed = 3});
        m.compile(Adam{.lr = 3e-3}, "sparse_categorical_crossentropy", {"accuracy"});
        return m;
    };
    Sequential on_cpu = make(), on_gpu = make();
    on_gpu.to(gpu);
    const FitOptions options{.epochs = 5, .batch_size = 64, .validation_split = 0.2, .verbose = 0};
    const History a = on_cpu.fit(x, y, options), b = on_gpu.fit(x, y, options);
    EXPECT_NEAR(b["val_accuracy"].back(), a["val_accuracy"].back(), 0.02);
    EXPECT_GT(b["val_accuracy"].back(), 0.9);
    EXPECT_NEAR(b["loss"].front(), a["loss"].front(), 1e-4 * a["loss"].front());
}

TEST(CudaModel, RecordedStepsTrainAsTheCpu) {
    REQUIRE_GPU();
    // Dense layers only: after the first steps, each step is a CUDA graph replayed.
    const Tensor x = test::random_tensor(1000, 784, 3, 0.0, 1.0, DType::f32);
    const Tensor y = test::class_ids(1000, 10).to(DType::f32);
    Sequential on_cpu = fashion_mnist_model(), on_gpu = fashion_mnist_model();
    on_gpu.to(gpu);
    const FitOptions options{.epochs = 2, .batch_size = 128, .verbose = 0};
    const History a = on_cpu.fit(x, y, options), b = on_gpu.fit(x, y, options);
    for (std::size_t e = 0; e < 2; ++e) EXPECT_NEAR(b["loss"][e], a["loss"][e], 1e-5 * a["loss"][e]) << "epoch " << e;
    for (std::size_t e = 0; e < 2; ++e) EXPECT_NEAR(b["accuracy"][e], a["accuracy"][e], 0.002) << "epoch " << e;
    const std::vector<Tensor> cpu_weights = on_cpu.get_weights(), gpu_weights = on_gpu.get_weights();
    for (std::size_t i = 0; i < cpu_weights.size(); ++i)
        EXPECT_LT(relative_error(gpu_weights[i], cpu_weights[i]), 1e-4) << on_cpu.weight_names()[i];
}

TEST(CudaModel, AFusedDenseStackTrainsAsTheCpuRecordedOrNot) {
    REQUIRE_GPU();
    // 64 wide, 8 deep: its forward and backward are the fused kernels; after
    // the first steps, fit replays each step as a CUDA graph.
    const Tensor x = test::random_tensor(1000, 64, 5, -1.0, 1.0, DType::f32);
    const Tensor y = test::random_tensor(1000, 64, 6, -1.0, 1.0, DType::f32);
    auto make = [] {
        Sequential m(64, {DenseStack(64, 8, "relu"), Dense(64)}, {.seed = 4});
        m.compile(Adam{.lr = 1e-3}, "mse");
        return m;
    };
    Sequential on_cpu = make(), on_gpu = make();
    on_gpu.to(gpu);
    EXPECT_NEAR(on_gpu.train_on_batch(x.rows(0, 200), y.rows(0, 200)),
                on_cpu.train_on_batch(x.rows(0, 200), y.rows(0, 200)), 1e-5);
    const FitOptions options{.epochs = 3, .batch_size = 100, .shuffle = false, .verbose = 0};
    const History a = on_cpu.fit(x, y, options), b = on_gpu.fit(x, y, options);
    for (std::size_t e = 0; e < 3; ++e) EXPECT_NEAR(b["loss"][e], a["loss"][e], 1e-4 * a["loss"][e]) << "epoch " << e;
    const std::vector<Tensor> cpu_weights = on_cpu.get_weights(), gpu_weights = on_gpu.get_weights();
    for (std::size_t i = 0; i < cpu_weights.size(); ++i)
        EXPECT_LT(relative_error(gpu_weights[i], cpu_weights[i]), 1e-4) << on_cpu.weight_names()[i];
    EXPECT_LT(relative_error(on_gpu.predict(x), on_cpu.predict(x)), 1e-5);
    // After 2·3 + 3 parameters, the stack's start off 16-byte boundaries: the
    // kernels read weights and biases a float at a time, so they still fuse.
    auto make_odd = [] {
        Sequential m(2, {Dense(3, "tanh"), Dense(64, "relu"), DenseStack(64, 4, "elu"), Dense(1)}, {.seed = 6});
        m.compile(SGD{.lr = 1e-2}, "mse");
        return m;
    };
    Sequential odd_cpu = make_odd(), odd_gpu = make_odd();
    odd_gpu.to(gpu);
    const Tensor x2 = test::random_tensor(300, 2, 7, -1.0, 1.0, DType::f32);
    const Tensor y2 = test::random_tensor(300, 1, 8, -1.0, 1.0, DType::f32);
    for (int step = 0; step < 3; ++step)
        EXPECT_NEAR(odd_gpu.train_on_batch(x2, y2), odd_cpu.train_on_batch(x2, y2), 1e-5) << "step " << step;
    const std::vector<Tensor> odd_cpu_weights = odd_cpu.get_weights(), odd_gpu_weights = odd_gpu.get_weights();
    for (std::size_t i = 0; i < odd_cpu_weights.size(); ++i)
        EXPECT_LT(relative_error(odd_gpu_weights[i], odd_cpu_weights[i]), 1e-4) << odd_cpu.weight_names()[i];
}

TEST(CudaModel, TensorCoreProductsTrainAsFloat32DoesToTheirRounding) {
    REQUIRE_GPU();
    const Tensor x = test::random_tensor(2000, 20, 2, -1.0, 1.0, DType::f32);
    Tensor y(Shape{2000}, DType::f32);
    for (std::int64_t r = 0; r < 2000; ++r) y.data<float>()[r] = x.data<float>()[r * 20] > x.data<float>()[r * 20 + 1];
    const FitOptions options{.epochs = 5, .batch_size = 64, .validation_split = 0.2, .verbose = 0};
    auto fit_with = [&](cuda::MatmulPrecision precision) {
        Sequential m(20, {Dense(64, "relu"), Dense(32, "relu"), Dense(2, "softmax")}, {.seed = 3});
        m.compile(Adam{.lr = 3e-3}, "sparse_categorical_crossentropy", {"accuracy"});
        m.to(gpu);
        cuda::set_matmul_precision(precision);
        const History h = m.fit(x, y, options);
        cuda::set_matmul_precision(cuda::MatmulPrecision::float32);
        return h;
    };
    const History float32 = fit_with(cuda::MatmulPrecision::float32);
    for (const auto precision : {cuda::MatmulPrecision::tf32, cuda::MatmulPrecision::bf16}) {
        const History h = fit_with(precision);
        EXPECT_NEAR(h["loss"].front(), float32["loss"].front(), 2e-2 * float32["loss"].front())
            << cuda::matmul_precision_name(precision);
        EXPECT_NEAR(h["val_accuracy"].back(), float32["val_accuracy"].back(), 0.03)
            << cuda::matmul_precision_name(precision);
    }
}

TEST(CudaModel, PredictFromFourThreadsEqualsOneThread) {
    REQUIRE_GPU();
    Sequential model = fashion_mnist_model();
    model.to(gpu);
    const Tensor x = test::random_tensor(3000, 784, 4, 0.0, 1.0, DType::f32);
    const Tensor alone = model.predict(x, 256);
    std::vector<Tensor> results(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t)
        threads.emplace_back([&, t] { results[t] = model.predict(x, 256); });
    for (auto& thread : threads) thread.join();
    for (const Tensor& r : results)
        for (std::int64_t i = 0; i < alone.numel(); ++i) ASSERT_EQ(r.item(i), alone.item(i)) << "element " << i;
}

}  // namespace
}  // namespace mlp
