// Once the first batch has run, a training step allocates no heap memory:
// this file replaces the global operator new and aligned_alloc (the
// tensors' allocator, which the library then calls here) to count allocations.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "../test_util.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dropout.hpp"

namespace {
std::atomic<long> allocations{0};
}

// The replacements pair malloc with free on purpose; GCC cannot see that
// through the inlined operator new and delete of the test framework.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

// The executable's definition comes first for the library too; posix_memalign
// is the C library's own (or the sanitizer's), freed by free alike.
extern "C" void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    void* p = nullptr;
    return posix_memalign(&p, alignment, size) == 0 ? p : nullptr;
}

namespace mlp {

namespace {
long allocations_during(const std::function<void()>& f) {
    const long before = allocations.load();
    f();
    return allocations.load() - before;
}
}  // namespace

TEST(Allocation, TrainingStepsAllocateNothingAfterTheFirstBatch) {
    struct Case {
        OptimizerOptions optimizer;
        const char* loss;
    };
    for (const Case& c :
         {Case{Adam{}, "sparse_categorical_crossentropy"},
          Case{SGD{.lr = 0.01, .momentum = 0.9, .nesterov = true}, "sparse_categorical_crossentropy"}}) {
        Sequential model(784, {Dense(128, "relu"), Dense(64, "relu"), Activation("tanh"), Dense(10, "softmax")});
        model.compile(c.optimizer, c.loss, {"accuracy"});
        const Tensor x = test::random_tensor(64, 784, 1, 0, 1, DType::f32);
        Tensor y(Shape{64});
        for (std::int64_t i = 0; i < 64; ++i) y.data<float>()[i] = static_cast<float>(i % 10);
        model.train_on_batch(x, y);  // the first batch sizes every buffer
        const long n = allocations_during([&] {
            for (int step = 0; step < 100; ++step) {
                // A smaller last batch, as at the end of an epoch, reuses the buffers too.
                const std::int64_t rows = step % 10 == 9 ? 17 : 64;
                model.train_on_batch(x.rows(0, rows), y.rows(0, rows));
            }
        });
        EXPECT_EQ(n, 0) << c.loss;
    }
}

TEST(Allocation, TheCounterSeesTheLibrarysAllocations) {
    // A tensor's storage comes from aligned_alloc inside libmlp, not from operator new.
    EXPECT_EQ(allocations_during([] { const Tensor t(Shape{100, 10}); }), 1);
    EXPECT_EQ(allocations_during([] {
                  for (int i = 0; i < 100; ++i) const Tensor t(Shape{64});
              }),
              100);
    EXPECT_GT(allocations_during([] { std::vector<int> v(100); }), 0);
}

TEST(Allocation, FitAllocatesPerCallNotPerStep) {
    Sequential model(20, {Dense(32, "relu"), Dropout(0.2), Dense(4, "softmax")});
    model.compile(Adam{}, "sparse_categorical_crossentropy", {"accuracy"});
    const Tensor x = test::random_tensor(640, 20, 4, -1, 1, DType::f32);
    Tensor y(Shape{640});
    for (std::int64_t i = 0; i < 640; ++i) y.data<float>()[i] = static_cast<float>(i % 4);
    auto fit_rows = [&](std::int64_t rows) {
        return allocations_during(
            [&] { model.fit(x.rows(0, rows), y.rows(0, rows), {.epochs = 1, .batch_size = 16, .verbose = 0}); });
    };
    fit_rows(640);  // sizes the model's own buffers
    const long four_steps = fit_rows(64), forty_steps = fit_rows(640);
    EXPECT_GT(four_steps, 0);  // the call's own: order, batch buffers, metrics, History
    EXPECT_EQ(forty_steps, four_steps) << "36 more steps allocated";
}

TEST(Allocation, RegressionAndBinaryLossesToo) {
    for (const char* loss : {"mse", "huber", "binary_crossentropy"}) {
        Sequential model(
            20, {Dense(32, "elu"), Dense(3, std::string(loss) == "binary_crossentropy" ? "sigmoid" : "linear")});
        model.compile(Adam{}, loss);
        const Tensor x = test::random_tensor(32, 20, 2, -1, 1, DType::f32);
        const Tensor y = test::random_tensor(32, 3, 3, 0, 1, DType::f32);
        model.train_on_batch(x, y);
        EXPECT_EQ(allocations_during([&] {
                      for (int step = 0; step < 100; ++step) model.train_on_batch(x, y);
                  }),
                  0)
            << loss;
    }
}

TEST(Allocation, RegularizedTrainingToo) {
    // Dropout, BatchNormalization, penalties, max-norm, clipping and every optimizer.
    for (const OptimizerOptions& optimizer :
         {OptimizerOptions{AdamW{.clipnorm = 1}}, OptimizerOptions{RMSprop{.momentum = 0.9, .centered = true}},
          OptimizerOptions{Adagrad{.global_clipnorm = 1}}, OptimizerOptions{Adam{.amsgrad = true, .clipvalue = 0.1}}}) {
        Sequential model(
            20,
            {Dense(32, "relu", {.kernel_regularizer = l1_l2(1e-4, 1e-3), .kernel_constraint = MaxNorm{.max_value = 2}}),
             BatchNormalization(), Dropout(0.3), Dense(4, "softmax")});
        model.compile(optimizer, "sparse_categorical_crossentropy");
        const Tensor x = test::random_tensor(32, 20, 2, -1, 1, DType::f32);
        Tensor y(Shape{32});
        for (std::int64_t i = 0; i < 32; ++i) y.data<float>()[i] = static_cast<float>(i % 4);
        model.train_on_batch(x, y);
        EXPECT_EQ(allocations_during([&] {
                      for (int step = 0; step < 20; ++step) model.train_on_batch(x, y);
                  }),
                  0)
            << model.optimizer().name();
    }
}

}  // namespace mlp
