// The backend's ops one by one, at the shapes of one training step of
// bench/compare.sh's configurations (a) 784-128-64-10 and (b) 784-256-128-10,
// batch 128: where a step's time goes. Google Benchmark; the last argument of
// each case is the thread count.
//   build/bench/kernels [--benchmark_filter=Adam] [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <mlp/mlp.hpp>

#include <numeric>
#include <vector>

#include "backend/ops.hpp"
#include "fashion_mlp.hpp"

namespace {

mlp::Tensor random_tensor(mlp::Shape shape, std::uint64_t seed) {
    mlp::Tensor t(shape, mlp::DType::f32);
    mlp::Random rng(seed);
    for (std::int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = static_cast<float>(rng.uniform() - 0.5);
    return t;
}

/// c (m, n) = a (m, k) · b (k, n), with either factor stored transposed as in
/// Dense's three products: forward x·W, weight gradient xᵀ·dz, input gradient dz·Wᵀ.
void Gemm(benchmark::State& state) {
    const auto m = state.range(0), k = state.range(1), n = state.range(2);
    const bool ta = state.range(3) != 0, tb = state.range(4) != 0;
    mlp::set_num_threads(static_cast<int>(state.range(5)));
    const auto a = random_tensor(ta ? mlp::Shape{k, m} : mlp::Shape{m, k}, 1);
    const auto b = random_tensor(tb ? mlp::Shape{n, k} : mlp::Shape{k, n}, 2);
    mlp::Tensor c(mlp::Shape{m, n}, mlp::DType::f32);
    for (auto _ : state) mlp::backend::gemm(a, ta, b, tb, c, 1.0, 1.0);
    state.counters["GFLOP/s"] =
        benchmark::Counter(2.0 * static_cast<double>(m * k * n), benchmark::Counter::kIsIterationInvariantRate,
                           benchmark::Counter::kIs1000);
}
// The eight products of one step of (a), then the larger ones of (b); m, k, n
// as in c (m, n) = op(a) (m, k) · op(b) (k, n).
BENCHMARK(Gemm)
    ->ArgNames({"m", "k", "n", "ta", "tb", "thr"})
    ->ArgsProduct({{128}, {784}, {128}, {0}, {0}, {1, 2}})  // (a) forward x·W1
    ->ArgsProduct({{128}, {128}, {64}, {0}, {0}, {1, 2}})   // x·W2
    ->ArgsProduct({{128}, {64}, {10}, {0}, {0}, {1, 2}})    // x·W3
    ->ArgsProduct({{64}, {128}, {10}, {1}, {0}, {1, 2}})    // backward xᵀ·dz of layer 3
    ->ArgsProduct({{128}, {10}, {64}, {0}, {1}, {1, 2}})    // dz·W3ᵀ
    ->ArgsProduct({{128}, {128}, {64}, {1}, {0}, {1, 2}})   // xᵀ·dz of layer 2
    ->ArgsProduct({{128}, {64}, {128}, {0}, {1}, {1, 2}})   // dz·W2ᵀ
    ->ArgsProduct({{784}, {128}, {128}, {1}, {0}, {1, 2}})  // xᵀ·dz of layer 1
    ->ArgsProduct({{128}, {784}, {256}, {0}, {0}, {1, 2}})  // (b) forward x·W1
    ->ArgsProduct({{128}, {256}, {128}, {0}, {0}, {1, 2}})  // x·W2
    ->ArgsProduct({{256}, {128}, {128}, {1}, {0}, {1, 2}})  // xᵀ·dz of layer 2
    ->ArgsProduct({{128}, {128}, {256}, {0}, {1}, {1, 2}})  // dz·W2ᵀ
    ->ArgsProduct({{784}, {128}, {256}, {1}, {0}, {1, 2}})  // xᵀ·dz of layer 1
    ->ArgsProduct({{1}, {784}, {256}, {0}, {0}, {1, 2}})    // one sample through (b)'s first layer
    ->ArgsProduct({{1}, {256}, {128}, {0}, {0}, {1, 2}});   // and its second

/// A weight gradient as a step starts it: zeroed, then dW += xᵀ·dz (written 0),
/// or dW = xᵀ·dz with beta = 0 and no zeroing (written 1), as Dense does now.
/// m, n: the weight's shape; k: the batch.
void WeightGradient(benchmark::State& state) {
    const auto m = state.range(0), k = state.range(1), n = state.range(2);
    const bool written = state.range(3) != 0;
    mlp::set_num_threads(static_cast<int>(state.range(4)));
    const auto x = random_tensor(mlp::Shape{k, m}, 1), dz = random_tensor(mlp::Shape{k, n}, 2);
    mlp::Tensor dw(mlp::Shape{m, n}, mlp::DType::f32);
    for (auto _ : state) {
        if (!written) mlp::backend::fill(dw, 0.0);
        mlp::backend::gemm(x, true, dz, false, dw, 1.0, written ? 0.0 : 1.0);
    }
}
BENCHMARK(WeightGradient)
    ->ArgNames({"m", "k", "n", "written", "thr"})
    ->ArgsProduct({{784}, {128}, {128}, {0, 1}, {2}})      // (a)'s first layer
    ->ArgsProduct({{1024}, {256}, {1024}, {0, 1}, {2}})    // (c)'s second
    ->ArgsProduct({{4096}, {1024}, {4096}, {0, 1}, {2}});  // (d)'s second

/// One Adam update of every parameter: (a) has 109,386, (b) 235,146.
void Adam(benchmark::State& state) {
    const auto n = state.range(0);
    mlp::set_num_threads(static_cast<int>(state.range(1)));
    auto p = random_tensor(mlp::Shape{n}, 1), g = random_tensor(mlp::Shape{n}, 2);
    mlp::Tensor m(mlp::Shape{n}, mlp::DType::f32), v(mlp::Shape{n}, mlp::DType::f32);
    mlp::backend::AdamStep h;
    for (auto _ : state) {
        mlp::backend::adam_step(p, g, m, v, {}, h);
        ++h.step;
    }
    state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(Adam)->ArgNames({"n", "thr"})->ArgsProduct({{109386, 235146}, {1, 2}});

/// z += b, a = ReLU(z) over a hidden layer's output, then its backward.
void BiasRelu(benchmark::State& state) {
    const auto rows = state.range(0), cols = state.range(1);
    mlp::set_num_threads(static_cast<int>(state.range(2)));
    auto z = random_tensor(mlp::Shape{rows, cols}, 1);
    const auto bias = random_tensor(mlp::Shape{cols}, 2);
    mlp::Tensor a(z.shape(), mlp::DType::f32);
    const mlp::ActivationFunction relu("relu");
    for (auto _ : state) mlp::backend::bias_activate(z, bias, relu, a);
    state.SetItemsProcessed(state.iterations() * rows * cols);
}
BENCHMARK(BiasRelu)->ArgNames({"rows", "cols", "thr"})->ArgsProduct({{128}, {256}, {1, 2}});

void ReluBackward(benchmark::State& state) {
    const auto rows = state.range(0), cols = state.range(1);
    mlp::set_num_threads(static_cast<int>(state.range(2)));
    const auto z = random_tensor(mlp::Shape{rows, cols}, 1), da = random_tensor(mlp::Shape{rows, cols}, 2);
    mlp::Tensor dz(z.shape(), mlp::DType::f32);
    const mlp::ActivationFunction relu("relu");
    for (auto _ : state) mlp::backend::activate_backward(relu, z, z, da, dz);
    state.SetItemsProcessed(state.iterations() * rows * cols);
}
BENCHMARK(ReluBackward)->ArgNames({"rows", "cols", "thr"})->ArgsProduct({{128}, {256}, {1, 2}});

/// A shuffled mini-batch: 128 random rows of a Fashion-MNIST-sized (60000, 784) set.
void GatherRows(benchmark::State& state) {
    const auto rows = state.range(0);
    mlp::set_num_threads(static_cast<int>(state.range(1)));
    const auto data = random_tensor(mlp::Shape{60000, 784}, 1);
    std::vector<std::int64_t> order(60000);
    std::iota(order.begin(), order.end(), 0);
    mlp::Random rng(3);
    for (std::int64_t i = 59999; i > 0; --i)
        std::swap(order[static_cast<std::size_t>(i)], order[rng.below(static_cast<std::uint64_t>(i + 1))]);
    mlp::Tensor batch(mlp::Shape{rows, 784}, mlp::DType::f32);
    std::size_t at = 0;
    for (auto _ : state) {
        if (at + static_cast<std::size_t>(rows) > order.size()) at = 0;
        mlp::backend::gather_rows(data, std::span(order).subspan(at, static_cast<std::size_t>(rows)), batch);
        at += static_cast<std::size_t>(rows);
    }
    state.SetBytesProcessed(state.iterations() * rows * 784 * 4);
}
BENCHMARK(GatherRows)->ArgNames({"rows", "thr"})->ArgsProduct({{128}, {1, 2}});

/// Softmax cross-entropy of 10 classes from the logits, with its gradient.
void SoftmaxCrossEntropy(benchmark::State& state) {
    const auto rows = state.range(0);
    mlp::set_num_threads(static_cast<int>(state.range(1)));
    const auto logits = random_tensor(mlp::Shape{rows, 10}, 1);
    mlp::Tensor labels(mlp::Shape{rows}, mlp::DType::f32), grad(logits.shape(), mlp::DType::f32);
    for (std::int64_t r = 0; r < rows; ++r) labels.data<float>()[r] = static_cast<float>(r % 10);
    for (auto _ : state)
        benchmark::DoNotOptimize(mlp::backend::sparse_categorical_crossentropy_logits(logits, labels, grad));
    state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(SoftmaxCrossEntropy)->ArgNames({"rows", "thr"})->ArgsProduct({{128}, {1, 2}});

/// A whole training step (forward, loss, backward, Adam) of configuration (a)
/// or (b) on one batch of 128: what the kernels above add up to.
void TrainStep(benchmark::State& state) {
    const bool b = state.range(0) != 0;
    mlp::set_num_threads(static_cast<int>(state.range(1)));
    mlp::Sequential model = fashion_mlp(b ? "256,128" : "128,64");
    model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy");
    const auto x = random_tensor(mlp::Shape{128, 784}, 1);
    mlp::Tensor labels(mlp::Shape{128}, mlp::DType::f32);
    for (std::int64_t r = 0; r < 128; ++r) labels.data<float>()[r] = static_cast<float>(r % 10);
    for (auto _ : state) benchmark::DoNotOptimize(model.train_on_batch(x, labels));
    state.SetItemsProcessed(state.iterations() * 128);
}
BENCHMARK(TrainStep)->ArgNames({"b", "thr"})->ArgsProduct({{0, 1}, {1, 2}});

}  // namespace

BENCHMARK_MAIN();
