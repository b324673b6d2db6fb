// The CUDA backend (library mlp::cuda): enabling it, and tensors on the GPU,
// where there is one; without one the tests skip, saying what the runtime
// said. Its ops against the CPU's are in device_ops_test.cpp (cuda_ops_test).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "../../src/backend/device_backend.hpp"
#include "../../src/backend/ops.hpp"
#include "mlp/core/device.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/random.hpp"
#include "mlp/cuda/cuda.hpp"

namespace mlp {
namespace {

/// The first GPU's backend, or skips the test.
#define REQUIRE_GPU()                                                              \
    do {                                                                           \
        if (cuda::enable() == 0) GTEST_SKIP() << "no GPU here: " << cuda_status(); \
    } while (0)

Tensor random_tensor(Shape shape, DType dtype, std::uint64_t seed) {
    Random rng(seed);
    Tensor t(shape, dtype);
    for (std::int64_t i = 0; i < t.numel(); ++i) {
        if (dtype == DType::f32)
            t.data<float>()[i] = static_cast<float>(rng.uniform(-1.0, 1.0));
        else
            t.data<double>()[i] = rng.uniform(-1.0, 1.0);
    }
    return t;
}

TEST(CudaBackend, EnablesAndDescribesItself) {
    const int gpus = cuda::enable();
    EXPECT_EQ(static_cast<int>(cuda_devices().size()), gpus);
    const std::string status = cuda_status();
    EXPECT_NE(status.find("CUDA runtime"), std::string::npos) << status;
    if (gpus == 0) {
        EXPECT_NE(status.find("no GPU"), std::string::npos) << status;
        EXPECT_THROW(require_device(Device::cuda(0)), ConfigError);
        GTEST_SKIP() << "no GPU here: " << status;
    }
    EXPECT_NO_THROW(require_device(Device::cuda(0)));
    EXPECT_THROW(require_device(Device::cuda(gpus)), ConfigError);
    EXPECT_FALSE(cuda_devices()[0].name.empty());
}

TEST(CudaBackend, TensorsLiveOnTheGpuAndComeBackBitForBit) {
    REQUIRE_GPU();
    const Tensor host = random_tensor(Shape{1000, 33}, DType::f32, 4);
    const Tensor gpu = host.to(Device::cuda(0));
    EXPECT_EQ(gpu.device(), Device::cuda(0));
    EXPECT_THROW((void)gpu.item(0), ConfigError);  // read on the CPU only
    const Tensor copy = gpu;                       // a deep copy, on the same GPU
    EXPECT_EQ(copy.device(), Device::cuda(0));
    const Tensor back = copy.to(Device::cpu());
    ASSERT_EQ(back.shape(), host.shape());
    for (std::int64_t i = 0; i < host.numel(); ++i) ASSERT_EQ(back.item(i), host.item(i)) << "element " << i;
    const Tensor doubled = gpu.to(DType::f64).to(Device::cpu());
    EXPECT_EQ(doubled.item(7), static_cast<double>(host.data<float>()[7]));
    const Tensor zeros(Shape{3, 5}, DType::f64, Device::cuda(0));
    EXPECT_EQ(zeros.to(Device::cpu()).item(14), 0.0);
}

TEST(CudaBackend, FillWritesEveryElement) {
    REQUIRE_GPU();
    Tensor g(Shape{1000, 33}, DType::f32, Device::cuda(0));
    backend::fill(g, 2.5);
    g.resize(Shape{10, 33});  // smaller: the same memory
    const Tensor back = g.to(Device::cpu());
    for (std::int64_t i = 0; i < back.numel(); ++i) ASSERT_EQ(back.item(i), 2.5) << "element " << i;
}

TEST(CudaBackend, FreedMemoryReturnsToThePoolAndServesTheNextTensor) {
    REQUIRE_GPU();
    cuda::empty_cache();
    const cuda::MemoryUse before = cuda::memory_use();
    {
        const Tensor a(Shape{1000, 1000}, DType::f32, Device::cuda(0));
        EXPECT_GE(cuda::memory_use().in_use, before.in_use + 4000000);
    }
    const cuda::MemoryUse freed = cuda::memory_use();
    EXPECT_EQ(freed.in_use, before.in_use);
    EXPECT_GE(freed.cached, 4000000);
    const Tensor b(Shape{999, 1000}, DType::f32, Device::cuda(0));  // about the size: the same block
    EXPECT_EQ(cuda::memory_use().cached, freed.cached - (cuda::memory_use().in_use - before.in_use));
    cuda::empty_cache();
    EXPECT_EQ(cuda::memory_use().cached, 0);
}

TEST(CudaBackend, ProductsAreFloat32UnlessAskedAndThenWithinTheirPrecision) {
    REQUIRE_GPU();
    EXPECT_EQ(cuda::matmul_precision(), cuda::MatmulPrecision::float32);
    EXPECT_FALSE(cuda::allow_tf32());
    const Tensor a = random_tensor(Shape{256, 512}, DType::f32, 5), b = random_tensor(Shape{512, 128}, DType::f32, 6);
    Tensor c(Shape{256, 128});
    backend::gemm(a, false, b, false, c);
    auto worst_on_gpu = [&](cuda::MatmulPrecision precision) {
        cuda::set_matmul_precision(precision);
        Tensor g(Shape{256, 128}, DType::f32, Device::cuda(0));
        backend::gemm(a.to(Device::cuda(0)), false, b.to(Device::cuda(0)), false, g);
        cuda::set_matmul_precision(cuda::MatmulPrecision::float32);
        const Tensor back = g.to(Device::cpu());
        double worst = 0;
        for (std::int64_t i = 0; i < c.numel(); ++i) worst = std::max(worst, std::abs(back.item(i) - c.item(i)));
        return worst;
    };
    const double float32 = worst_on_gpu(cuda::MatmulPrecision::float32);
    const double tf32 = worst_on_gpu(cuda::MatmulPrecision::tf32);
    const double bf16 = worst_on_gpu(cuda::MatmulPrecision::bf16);
    EXPECT_LT(float32, 1e-4);
    // Sums of 512 products of operands in [-1, 1) rounded to 10 and 7-bit
    // mantissas: each product off by about 2^-11 and 2^-8, a random walk.
    EXPECT_LT(tf32, 0.05);
    EXPECT_LT(bf16, 0.3);
    EXPECT_GT(bf16, tf32);  // the rounding happened, and it is coarser
    EXPECT_GT(tf32, float32);
    cuda::set_allow_tf32(true);
    EXPECT_EQ(cuda::matmul_precision(), cuda::MatmulPrecision::tf32);
    cuda::set_allow_tf32(false);
    EXPECT_EQ(cuda::matmul_precision(), cuda::MatmulPrecision::float32);
}

TEST(CudaBackend, FusedDenseStacksAreWithinEachPrecisionsRounding) {
    // The fused kernels at 64 wide, 8 layers deep, 1,000 rows (the last tile
    // part full): float32 FMAs to float32 rounding, tensor cores to theirs.
    REQUIRE_GPU();
    const Device gpu = Device::cuda(0);
    const std::int64_t rows = 1000, width = 64;
    const int depth = 8;
    std::vector<Tensor> w, b, acts, dzs;
    for (int l = 0; l < depth; ++l) {
        // Weights of scale sqrt(3/64)·[-1, 1): unit-variance activations through tanh.
        Tensor k = random_tensor(Shape{width, width}, DType::f32, 40 + static_cast<std::uint64_t>(l));
        backend::scale(k, std::sqrt(3.0 / width));
        w.push_back(std::move(k));
        b.push_back(random_tensor(Shape{width}, DType::f32, 60 + static_cast<std::uint64_t>(l)));
        acts.emplace_back(Shape{rows, width});
        dzs.emplace_back(Shape{rows, width});
    }
    const auto views = [](const std::vector<Tensor>& t) { return std::vector<TensorView>(t.begin(), t.end()); };
    const auto on = [&](const std::vector<Tensor>& t) {
        std::vector<Tensor> out;
        for (const Tensor& x : t) out.push_back(x.to(gpu));
        return out;
    };
    const Tensor x = random_tensor(Shape{rows, width}, DType::f32, 70),
                 dy = random_tensor(Shape{rows, width}, DType::f32, 71);
    Tensor dx(Shape{rows, width});
    backend::dense_stack_forward(x, views(w), views(b), "tanh", views(acts));
    backend::dense_stack_backward(views(w), "tanh", views(acts), dy, views(dzs), dx);
    auto worst_on_gpu = [&](cuda::MatmulPrecision precision) {
        cuda::set_matmul_precision(precision);
        const std::vector<Tensor> gw = on(w), gb = on(b);
        std::vector<Tensor> gacts, gdzs;
        for (int l = 0; l < depth; ++l) {
            gacts.emplace_back(Shape{rows, width}, DType::f32, gpu);
            gdzs.emplace_back(Shape{rows, width}, DType::f32, gpu);
        }
        Tensor gdx(Shape{rows, width}, DType::f32, gpu);
        backend::dense_stack_forward(x.to(gpu), views(gw), views(gb), "tanh", views(gacts));
        backend::dense_stack_backward(views(gw), "tanh", views(gacts), dy.to(gpu), views(gdzs), gdx);
        cuda::set_matmul_precision(cuda::MatmulPrecision::float32);
        double worst = 0;
        const auto compare = [&](const Tensor& got, const Tensor& want) {
            const Tensor back = got.to(Device::cpu());
            for (std::int64_t i = 0; i < want.numel(); ++i)
                worst = std::max(worst, std::abs(back.item(i) - want.item(i)) / std::max(1.0, std::abs(want.item(i))));
        };
        for (std::size_t l = 0; l < static_cast<std::size_t>(depth); ++l) {
            compare(gacts[l], acts[l]);
            compare(gdzs[l], dzs[l]);
        }
        compare(gdx, dx);
        return worst;
    };
    const double float32 = worst_on_gpu(cuda::MatmulPrecision::float32);
    const double tf32 = worst_on_gpu(cuda::MatmulPrecision::tf32);
    const double bf16 = worst_on_gpu(cuda::MatmulPrecision::bf16);
    EXPECT_LT(float32, 2e-5);
    EXPECT_LT(tf32, 2e-2);
    EXPECT_LT(bf16, 1.5e-1);
    EXPECT_GT(bf16, tf32);  // the tensor cores ran, with their rounding
    EXPECT_GT(tf32, float32);
}

TEST(CudaBackend, RecordedOpsRunOnlyWhenReplayedAndThenAsTheyWould) {
    REQUIRE_GPU();
    const Device gpu = Device::cuda(0);
    const Tensor a = random_tensor(Shape{64, 32}, DType::f32, 7).to(gpu),
                 b = random_tensor(Shape{32, 16}, DType::f32, 8).to(gpu);
    const Tensor labels =
        [] {
            Tensor t(Shape{64});
            for (std::int64_t r = 0; r < 64; ++r) t.data<float>()[r] = static_cast<float>(r % 16);
            return t;
        }()
            .to(gpu);
    Tensor c(Shape{64, 16}, DType::f32, gpu), grad(Shape{64, 16}, DType::f32, gpu), sum(Shape{64, 16}, DType::f32, gpu);
    Tensor total(Shape{1}, DType::f64, gpu);
    auto work = [&] {
        backend::gemm(a, false, b, false, c);
        (void)backend::sparse_categorical_crossentropy_logits(c, labels, grad, {}, total);
        backend::axpy(1.0, grad, sum);  // adds up over replays
    };
    const std::unique_ptr<backend::Recording> recording = backend::record(gpu, work);
    ASSERT_NE(recording, nullptr);
    EXPECT_EQ(sum.to(Device::cpu()).item(0), 0.0);  // recorded, not run
    EXPECT_EQ(total.to(Device::cpu()).item(0), 0.0);
    recording->replay();
    recording->replay();
    // The same ops run as they are, once each (cuBLAS may choose another
    // algorithm on the recording's stream: equal to float32 rounding).
    Tensor c2(Shape{64, 16}, DType::f32, gpu), grad2(Shape{64, 16}, DType::f32, gpu);
    backend::gemm(a, false, b, false, c2);
    const double loss = backend::sparse_categorical_crossentropy_logits(c2, labels, grad2);
    const Tensor summed = sum.to(Device::cpu()), once = grad2.to(Device::cpu());
    for (std::int64_t i = 0; i < once.numel(); ++i)
        ASSERT_NEAR(summed.item(i), 2 * once.item(i), 1e-6) << "element " << i;
    EXPECT_NEAR(total.to(Device::cpu()).item(0), loss, 1e-6 * loss);
}

TEST(CudaBackend, WorkThatNeedsTheHostIsNotRecordedAndDoesNotRun) {
    REQUIRE_GPU();
    const Device gpu = Device::cuda(0);
    Tensor x = random_tensor(Shape{100}, DType::f32, 9).to(gpu);
    const Tensor before = x.to(Device::cpu());
    const auto before_use = cuda::memory_use();
    EXPECT_EQ(backend::record(gpu,
                              [&] {
                                  backend::scale(x, 2.0);
                                  (void)backend::squared_norm(x);
                              }),
              nullptr);
    EXPECT_EQ(backend::record(gpu,
                              [&] {
                                  backend::scale(x, 2.0);
                                  Tensor made(Shape{10}, DType::f32, gpu);
                              }),
              nullptr);
    EXPECT_EQ(backend::record(gpu,
                              [&] {
                                  backend::scale(x, 2.0);
                                  (void)x.to(Device::cpu());
                              }),
              nullptr);
    const Tensor after = x.to(Device::cpu());
    for (std::int64_t i = 0; i < after.numel(); ++i) ASSERT_EQ(after.item(i), before.item(i)) << "element " << i;
    EXPECT_EQ(cuda::memory_use().in_use, before_use.in_use);
    backend::scale(x, 2.0);  // the GPU works as before
    EXPECT_EQ(x.to(Device::cpu()).item(3), 2 * before.item(3));
}

TEST(CudaBackend, MatmulPrecisionsAreNamedAsTheCommandLineSpellsThem) {
    for (const auto p : {cuda::MatmulPrecision::float32, cuda::MatmulPrecision::tf32, cuda::MatmulPrecision::bf16})
        EXPECT_EQ(cuda::matmul_precision_named(cuda::matmul_precision_name(p)), p);
    try {
        (void)cuda::matmul_precision_named("fp16");
        ADD_FAILURE() << "fp16 was taken";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("'fp16': the choices are float32, tf32 and bf16"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace mlp
