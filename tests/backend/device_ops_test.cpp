// Every op of the op set on a device against the same op on the CPU. Built
// twice: against the CUDA backend (cuda_ops_test: run where a GPU is, skipped
// elsewhere) and against the stand-in GPU (device_ops_test: everywhere), which
// checks that each op reaches the device backend with its arguments intact.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../../src/backend/device_backend.hpp"
#include "../../src/backend/ops.hpp"
#include "mlp/check/gradients.hpp"
#include "mlp/core/device.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/random.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dense_stack.hpp"
#include "mlp/nn/dropout.hpp"
#include "mlp/nn/residual.hpp"
#include "mlp/nn/simple_rnn.hpp"

#ifdef MLP_STAND_IN_GPU
#include "stand_in_gpu.hpp"
#else
#include "mlp/cuda/cuda.hpp"
#endif

namespace mlp {
namespace {

const Device gpu = Device::cuda(0);

class DeviceOps : public ::testing::TestWithParam<DType> {
protected:
    void SetUp() override {
#ifdef MLP_STAND_IN_GPU
        testing::install_stand_in_gpu();
#else
        if (cuda::enable() == 0) GTEST_SKIP() << "no GPU here: " << cuda_status();
#endif
    }
    DType dtype() const { return GetParam(); }

    /// Uniform values in [lo, hi) on the CPU.
    Tensor random(Shape shape, std::uint64_t seed, double lo = -1.0, double hi = 1.0) const {
        Random rng(seed);
        Tensor t(shape, DType::f64);
        for (double& v : t.values<double>()) v = rng.uniform(lo, hi);
        return t.to(dtype());
    }
    /// Class ids in [0, classes) as numbers, one per row.
    Tensor labels(std::int64_t rows, std::int64_t classes, std::uint64_t seed) const {
        Tensor t = random(Shape{rows}, seed, 0.0, static_cast<double>(classes));
        Tensor ids(Shape{rows}, DType::f64);
        for (std::int64_t r = 0; r < rows; ++r) ids.values<double>()[r] = std::floor(t.item(r));
        return ids.to(dtype());
    }
    /// The device's result, brought back, equals the CPU's to rounding.
    void expect_same(const Tensor& on_device, const Tensor& on_cpu, const std::string& what) const {
        ASSERT_EQ(on_device.device(), gpu) << what;
        const Tensor back = on_device.to(Device::cpu());
        ASSERT_EQ(back.shape(), on_cpu.shape()) << what;
        const double tolerance = dtype() == DType::f32 ? 2e-5 : 1e-12;
        for (std::int64_t i = 0; i < back.numel(); ++i) {
            const double want = on_cpu.item(i), got = back.item(i);
            if (std::isnan(want)) {
                ASSERT_TRUE(std::isnan(got)) << what << " element " << i;
                continue;
            }
            ASSERT_LE(std::abs(got - want), tolerance * std::max(1.0, std::abs(want)))
                << what << " element " << i << ": device " << got << ", cpu " << want;
        }
    }
    static void expect_close(double got, double want, DType dtype, const std::string& what) {
        EXPECT_LE(std::abs(got - want), (dtype == DType::f32 ? 1e-5 : 1e-12) * std::max(1.0, std::abs(want))) << what;
    }
};

Tensor on_gpu(const Tensor& t) { return t.to(gpu); }

TEST_P(DeviceOps, TensorsCrossBetweenHostAndDeviceBitForBit) {
    const Tensor host = random(Shape{67, 45}, 1);
    const Tensor device = on_gpu(host);
    EXPECT_THROW((void)device.item(0), ConfigError);  // the host does not read a GPU's memory
    const Tensor copy = device;                       // deep, on the device
    Tensor back(host.shape(), dtype());
    backend::copy(copy, back);  // the op set's copy crosses devices
    for (std::int64_t i = 0; i < host.numel(); ++i) ASSERT_EQ(back.item(i), host.item(i));
    Tensor device_again(host.shape(), dtype(), gpu);
    backend::copy(host, device_again);
    expect_same(device_again, host, "copy to the device");
}

TEST_P(DeviceOps, ElementWise) {
    Tensor x = random(Shape{67, 45}, 2), y = random(Shape{67, 45}, 3);
    Tensor gx = on_gpu(x), gy = on_gpu(y);
    backend::axpy(0.75, x, y);
    backend::axpy(0.75, gx, gy);
    expect_same(gy, y, "axpy");
    backend::scale(y, -1.5);
    backend::scale(gy, -1.5);
    expect_same(gy, y, "scale");
    backend::clip_values(y, 0.5);
    backend::clip_values(gy, 0.5);
    expect_same(gy, y, "clip_values");
    Tensor out(x.shape(), dtype()), gout(x.shape(), dtype(), gpu);
    backend::multiply(x, y, out);
    backend::multiply(gx, gy, gout);
    expect_same(gout, out, "multiply");
    const Tensor center = random(Shape{45}, 4), spread = random(Shape{45}, 5, 0.5, 2.0);
    for (const bool centered : {true, false}) {
        backend::normalize_columns(x, centered ? center.view() : TensorView(), spread, out);
        backend::normalize_columns(gx, centered ? on_gpu(center).view() : TensorView(), on_gpu(spread), gout);
        expect_same(gout, out, centered ? "normalize_columns" : "normalize_columns without center");
    }
    backend::fill(gout, 2.5);
    backend::fill(out, 2.5);
    expect_same(gout, out, "fill");
}

TEST_P(DeviceOps, RearrangingRows) {
    const Tensor x = random(Shape{6, 7, 5}, 6);
    Tensor swapped(Shape{7, 6, 5}, dtype()), gswapped(Shape{7, 6, 5}, dtype(), gpu);
    backend::swap_leading_axes(x, 6, 7, swapped);
    backend::swap_leading_axes(on_gpu(x), 6, 7, gswapped);
    expect_same(gswapped, swapped, "swap_leading_axes");
    const Tensor table = random(Shape{50, 33}, 7);
    const std::vector<std::int64_t> rows{49, 0, 7, 7, 23, 1};
    Tensor batch(Shape{6, 33}, dtype()), gbatch(Shape{6, 33}, dtype(), gpu);
    backend::gather_rows(table, rows, batch);
    backend::gather_rows(on_gpu(table), rows, gbatch);
    expect_same(gbatch, batch, "gather_rows");
}

TEST_P(DeviceOps, Reductions) {
    const Tensor dz = random(Shape{300, 45}, 8);
    Tensor db = random(Shape{45}, 9);
    Tensor gdb = on_gpu(db);
    backend::add_column_sums(dz, db);
    backend::add_column_sums(on_gpu(dz), gdb);
    expect_same(gdb, db, "add_column_sums");
    expect_close(backend::squared_norm(on_gpu(dz)), backend::squared_norm(dz), dtype(), "squared_norm");
    EXPECT_EQ(backend::find_non_finite(on_gpu(dz)), -1);
    Tensor bad = dz;
    for (const std::int64_t at : {std::int64_t{4000}, std::int64_t{77}}) {
        Tensor one = Tensor::from<double>(Shape{1}, {at == 77 ? NAN : INFINITY}).to(dtype());
        backend::copy(one, bad.view().reshaped(Shape{bad.numel()}).rows(at, 1));
    }
    EXPECT_EQ(backend::find_non_finite(on_gpu(bad)), 77);
    EXPECT_EQ(backend::find_non_finite(bad), 77);
    Tensor grad = random(Shape{300, 45}, 10), ggrad = on_gpu(grad);
    const double penalty = backend::regularize(dz, grad, 0.01, 0.02);
    expect_close(backend::regularize(on_gpu(dz), ggrad, 0.01, 0.02), penalty, dtype(), "regularize");
    expect_same(ggrad, grad, "regularize's gradient");
    Tensor w = random(Shape{40, 45}, 11, -2, 2), gw = on_gpu(w);
    backend::max_norm_columns(w, 1.5);
    backend::max_norm_columns(gw, 1.5);
    expect_same(gw, w, "max_norm_columns");
}

TEST_P(DeviceOps, EveryActivationForwardAndBackward) {
    const Tensor bias = random(Shape{45}, 12);
    for (const char* name : {"linear", "step", "sign", "piecewise_linear", "sigmoid", "tanh", "relu", "leaky_relu:0.2",
                             "elu:0.5", "gelu", "softmax"}) {
        const ActivationFunction f(name);
        Tensor z = random(Shape{67, 45}, 13, -3, 3), a(z.shape(), dtype());
        Tensor gz = on_gpu(z), ga(z.shape(), dtype(), gpu);
        backend::bias_activate(z, bias, f, a);
        backend::bias_activate(gz, on_gpu(bias), f, ga);
        expect_same(gz, z, std::string(name) + " z + b");
        expect_same(ga, a, std::string(name) + " forward");
        const Tensor da = random(z.shape(), 14);
        Tensor dz(z.shape(), dtype()), gdz(z.shape(), dtype(), gpu);
        backend::activate_backward(f, z, a, da, dz);
        backend::activate_backward(f, gz, ga, on_gpu(da), gdz);
        expect_same(gdz, dz, std::string(name) + " backward");
        // In place, as inference does it: a aliases z.
        backend::bias_activate(z, {}, f, z);
        backend::bias_activate(gz, {}, f, gz);
        expect_same(gz, z, std::string(name) + " in place");
    }
}

TEST_P(DeviceOps, DenseStacksForEveryActivationTheyTake) {
    // Widths a fused kernel takes (16, 64, 128) and one it does not (24); a
    // stack deeper than one launch takes (32 layers); rows that fill no whole
    // tile; with bias and without; the backward with and without dx.
    const std::pair<std::int64_t, int> shapes[] = {{16, 4}, {24, 4}, {64, 4}, {128, 4}, {16, 35}};
    for (const auto& [width, depth] : shapes)
        for (const char* name : {"linear", "relu", "leaky_relu:0.2", "elu:0.5", "sigmoid", "tanh"})
            for (const bool with_bias : {true, false}) {
                const std::string what = std::string(name) + ", width " + std::to_string(width) + ", depth " +
                                         std::to_string(depth) + (with_bias ? "" : ", no bias");
                const ActivationFunction f(name);
                const std::int64_t rows = 333;
                const double scale = std::sqrt(3.0 / static_cast<double>(width));  // unit-variance activations
                std::vector<Tensor> w, b, acts, dzs, gw, gb, gacts, gdzs;
                for (int l = 0; l < depth; ++l) {
                    const auto seed = static_cast<std::uint64_t>(40 + 3 * l);
                    w.push_back(random(Shape{width, width}, seed, -scale, scale));
                    b.push_back(random(Shape{width}, seed + 1, -0.5, 0.5));
                    gw.push_back(on_gpu(w.back()));
                    gb.push_back(on_gpu(b.back()));
                    for (auto* v : {&acts, &dzs}) v->emplace_back(Shape{rows, width}, dtype());
                    for (auto* v : {&gacts, &gdzs}) v->emplace_back(Shape{rows, width}, dtype(), gpu);
                }
                const auto views = [](const std::vector<Tensor>& t) {
                    return std::vector<TensorView>(t.begin(), t.end());
                };
                const std::vector<TensorView> no_bias;
                const Tensor x = random(Shape{rows, width}, 50, -2, 2);
                backend::dense_stack_forward(x, views(w), with_bias ? views(b) : no_bias, f, views(acts));
                backend::dense_stack_forward(on_gpu(x), views(gw), with_bias ? views(gb) : no_bias, f, views(gacts));
                for (int l = 0; l < depth; ++l)
                    expect_same(gacts[static_cast<std::size_t>(l)], acts[static_cast<std::size_t>(l)],
                                what + ", output " + std::to_string(l + 1));
                const Tensor dy = random(Shape{rows, width}, 51);
                for (const bool with_dx : {true, false}) {
                    Tensor dx(Shape{rows, width}, dtype()), gdx(Shape{rows, width}, dtype(), gpu);
                    backend::dense_stack_backward(views(w), f, views(acts), dy, views(dzs),
                                                  with_dx ? dx.view() : TensorView());
                    backend::dense_stack_backward(views(gw), f, views(gacts), on_gpu(dy), views(gdzs),
                                                  with_dx ? gdx.view() : TensorView());
                    for (int l = 0; l < depth; ++l)
                        expect_same(gdzs[static_cast<std::size_t>(l)], dzs[static_cast<std::size_t>(l)],
                                    what + ", dz " + std::to_string(l + 1));
                    if (with_dx) expect_same(gdx, dx, what + ", dx");
                }
            }
}

TEST_P(DeviceOps, DropoutDrawsTheCpusMasks) {
    const Tensor x = random(Shape{67, 45}, 15);
    Tensor mask(x.shape(), dtype()), y(x.shape(), dtype());
    Tensor gmask(x.shape(), dtype(), gpu), gy(x.shape(), dtype(), gpu);
    // The call count is read where the masks are drawn, and advanced there.
    Tensor calls(Shape{1}, DType::f64), gcalls(Shape{1}, DType::f64, gpu);
    backend::fill(calls, 5.0);
    backend::fill(gcalls, 5.0);
    for (int call = 0; call < 2; ++call) {
        backend::dropout(x, 0.3, 42, calls, 1, 1000, mask, y);
        backend::dropout(on_gpu(x), 0.3, 42, gcalls, 1, 1000, gmask, gy);
        const Tensor back = gmask.to(Device::cpu());
        for (std::int64_t i = 0; i < x.numel(); ++i) ASSERT_EQ(back.item(i), mask.item(i)) << "mask element " << i;
        expect_same(gy, y, "dropout");
    }
    EXPECT_EQ(calls.item(0), 7.0);
    EXPECT_EQ(gcalls.to(Device::cpu()).item(0), 7.0);
    // Another count, another mask; an advance of 0 draws the same one again.
    const Tensor second = mask;
    backend::dropout(x, 0.3, 42, calls, 0, 1000, mask, y);
    std::int64_t differ = 0;
    for (std::int64_t i = 0; i < x.numel(); ++i) differ += mask.item(i) != second.item(i);
    EXPECT_GT(differ, x.numel() / 10);
    const Tensor third = mask;
    backend::dropout(x, 0.3, 42, calls, 0, 1000, mask, y);
    for (std::int64_t i = 0; i < x.numel(); ++i) ASSERT_EQ(mask.item(i), third.item(i)) << "mask element " << i;
    EXPECT_EQ(calls.item(0), 7.0);
}

TEST_P(DeviceOps, BatchNormalization) {
    const Tensor x = random(Shape{300, 45}, 16, -2, 3), gamma = random(Shape{45}, 17, 0.5, 1.5),
                 beta = random(Shape{45}, 18);
    const Shape col{45};
    Tensor mean(col, dtype()), var(col, dtype()), inv_std(col, dtype()), x_hat(x.shape(), dtype()),
        y(x.shape(), dtype());
    Tensor gmean(col, dtype(), gpu), gvar(col, dtype(), gpu), ginv_std(col, dtype(), gpu),
        gx_hat(x.shape(), dtype(), gpu), gy(x.shape(), dtype(), gpu);
    const Tensor gx = on_gpu(x), ggamma = on_gpu(gamma), gbeta = on_gpu(beta);
    backend::batchnorm_forward(x, gamma, beta, 1e-3, mean, var, inv_std, x_hat, y);
    backend::batchnorm_forward(gx, ggamma, gbeta, 1e-3, gmean, gvar, ginv_std, gx_hat, gy);
    expect_same(gmean, mean, "batch mean");
    expect_same(gvar, var, "batch variance");
    expect_same(ginv_std, inv_std, "inv_std");
    expect_same(gx_hat, x_hat, "x̂");
    expect_same(gy, y, "batchnorm y");

    const Tensor dy = random(x.shape(), 19);
    Tensor dgamma = random(col, 20), dbeta = random(col, 21), dx(x.shape(), dtype());
    Tensor gdgamma = on_gpu(dgamma), gdbeta = on_gpu(dbeta), gdx(x.shape(), dtype(), gpu);
    backend::batchnorm_backward(dy, x_hat, gamma, inv_std, dgamma, dbeta, dx);
    backend::batchnorm_backward(on_gpu(dy), gx_hat, ggamma, ginv_std, gdgamma, gdbeta, gdx);
    expect_same(gdgamma, dgamma, "dγ");
    expect_same(gdbeta, dbeta, "dβ");
    expect_same(gdx, dx, "batchnorm dx");

    backend::batchnorm_infer(x, gamma, beta, mean, var, 1e-3, y);
    backend::batchnorm_infer(gx, ggamma, gbeta, gmean, gvar, 1e-3, gy);
    expect_same(gy, y, "batchnorm_infer");

    // The steps that processes sharing a batch take between them.
    std::vector<double> sums(45), gsums(45), center(45, 0.25);
    backend::column_sums(x, center, sums);
    backend::column_sums(gx, center, gsums);
    for (std::size_t j = 0; j < sums.size(); ++j) expect_close(gsums[j], sums[j], dtype(), "column_sums");
    backend::column_sums(x, {}, sums);
    backend::column_sums(gx, {}, gsums);
    for (std::size_t j = 0; j < sums.size(); ++j) expect_close(gsums[j], sums[j], dtype(), "column_sums uncentered");
    std::vector<double> batch_mean(45), batch_var(45);
    for (std::size_t j = 0; j < 45; ++j) {
        batch_mean[j] = 0.1 * static_cast<double>(j);
        batch_var[j] = 1.0 + 0.01 * static_cast<double>(j);
    }
    backend::batchnorm_normalize(x, gamma, beta, 1e-3, batch_mean, batch_var, mean, var, inv_std, x_hat, y);
    backend::batchnorm_normalize(gx, ggamma, gbeta, 1e-3, batch_mean, batch_var, gmean, gvar, ginv_std, gx_hat, gy);
    expect_same(ginv_std, inv_std, "batchnorm_normalize inv_std");
    expect_same(gy, y, "batchnorm_normalize y");
    std::vector<double> s1(45), s2(45), gs1(45), gs2(45);
    backend::batchnorm_backward_sums(dy, x_hat, dgamma, dbeta, s1, s2);
    backend::batchnorm_backward_sums(on_gpu(dy), gx_hat, gdgamma, gdbeta, gs1, gs2);
    for (std::size_t j = 0; j < 45; ++j) {
        expect_close(gs1[j], s1[j], dtype(), "Σ dy");
        expect_close(gs2[j], s2[j], dtype(), "Σ dy x̂");
    }
    expect_same(gdgamma, dgamma, "dγ by steps");
    backend::batchnorm_backward_dx(dy, x_hat, gamma, inv_std, s1, s2, 600.0, dx);
    backend::batchnorm_backward_dx(on_gpu(dy), gx_hat, ggamma, ginv_std, s1, s2, 600.0, gdx);
    expect_same(gdx, dx, "batchnorm_backward_dx");
}

TEST_P(DeviceOps, EveryLossWithAndWithoutWeights) {
    using Loss =
        double (*)(const TensorView&, const TensorView&, const TensorView&, const TensorView&, const TensorView&);
    const auto huber = [](const TensorView& p, const TensorView& t, const TensorView& g, const TensorView& w,
                          const TensorView& total) { return backend::huber(p, t, 0.7, g, w, total); };
    struct Case {
        const char* name;
        Loss loss;
        bool probabilities, sparse;
    };
    const std::vector<Case> cases{
        {"mse", backend::mse, false, false},
        {"mae", backend::mae, false, false},
        {"huber", huber, false, false},
        {"binary_crossentropy", backend::binary_crossentropy, true, false},
        {"binary_crossentropy_logits", backend::binary_crossentropy_logits, false, false},
        {"categorical_crossentropy", backend::categorical_crossentropy, true, false},
        {"categorical_crossentropy_logits", backend::categorical_crossentropy_logits, false, false},
        {"sparse_categorical_crossentropy", backend::sparse_categorical_crossentropy, true, true},
        {"sparse_categorical_crossentropy_logits", backend::sparse_categorical_crossentropy_logits, false, true},
    };
    for (const std::int64_t classes : {std::int64_t{3}, std::int64_t{45}})
        for (const Case& c : cases)
            for (const bool weighted : {false, true}) {
                const std::string what =
                    std::string(c.name) + (weighted ? " weighted" : "") + ", " + std::to_string(classes) + " columns";
                const Tensor pred =
                    c.probabilities ? random(Shape{67, classes}, 22, 0.0, 1.0) : random(Shape{67, classes}, 22, -3, 3);
                const Tensor target = c.sparse ? labels(67, classes, 23) : random(Shape{67, classes}, 23, 0.0, 1.0);
                const Tensor weights = weighted ? random(Shape{67}, 24, 0.0, 2.0) : Tensor();
                Tensor grad(pred.shape(), dtype()), ggrad(pred.shape(), dtype(), gpu);
                const Tensor gweights = weighted ? on_gpu(weights) : Tensor();
                const double loss = c.loss(pred, target, grad, weights, {});
                const double gloss = c.loss(on_gpu(pred), on_gpu(target), ggrad, gweights, {});
                expect_close(gloss, loss, dtype(), what);
                expect_same(ggrad, grad, what + " gradient");
                expect_close(c.loss(on_gpu(pred), on_gpu(target), {}, {}, {}), c.loss(pred, target, {}, {}, {}),
                             dtype(), what + " without a gradient");
                // Kept where the predictions are: the CPU returns it too, a GPU NaN.
                Tensor total(Shape{1}, DType::f64), gtotal(Shape{1}, DType::f64, gpu);
                EXPECT_EQ(c.loss(pred, target, {}, weights, total), loss) << what;
                EXPECT_EQ(total.item(0), loss) << what;
                EXPECT_TRUE(std::isnan(c.loss(on_gpu(pred), on_gpu(target), {}, gweights, gtotal))) << what;
                expect_close(gtotal.to(Device::cpu()).item(0), loss, dtype(), what + " kept on the GPU");
            }
    const Tensor pred = random(Shape{4, 3}, 25), target = random(Shape{4, 3}, 26);
    EXPECT_THROW(backend::mse(pred, target, {}, {}, Tensor(Shape{1}, DType::f32)), ShapeError);  // not float64
    EXPECT_THROW(backend::mse(pred, target, {}, {}, Tensor(Shape{2}, DType::f64)), ShapeError);
    EXPECT_THROW(backend::mse(pred, target, {}, {}, Tensor(Shape{1}, DType::f64, gpu)), ConfigError);  // elsewhere
}

TEST_P(DeviceOps, EveryOptimizerStep) {
    const Shape n{1000};
    const Tensor grads = random(n, 25);
    auto run = [&](const std::string& what, auto step, int states) {
        std::vector<Tensor> cpu{random(n, 26)}, dev;
        for (int s = 0; s < states; ++s) cpu.push_back(random(n, 27 + static_cast<std::uint64_t>(s), 0.0, 0.1));
        for (const Tensor& t : cpu) dev.push_back(on_gpu(t));
        const Tensor ggrads = on_gpu(grads);
        for (int t = 1; t <= 3; ++t) {
            step(cpu, grads.view(), t);
            step(dev, ggrads.view(), t);
        }
        for (std::size_t k = 0; k < cpu.size(); ++k) expect_same(dev[k], cpu[k], what + " tensor " + std::to_string(k));
    };
    for (const bool nesterov : {false, true})
        run(
            nesterov ? "nesterov" : "momentum",
            [&](std::vector<Tensor>& s, const TensorView& g, int) {
                backend::sgd_step(s[0], g, s[1], 0.1, 0.9, nesterov);
            },
            1);
    run(
        "sgd", [](std::vector<Tensor>& s, const TensorView& g, int) { backend::sgd_step(s[0], g, {}, 0.1, 0, false); },
        0);
    run(
        "adamw amsgrad",
        [](std::vector<Tensor>& s, const TensorView& g, int t) {
            backend::adam_step(s[0], g, s[1], s[2], s[3], {.lr = 0.01, .weight_decay = 0.1, .step = t});
        },
        3);
    run(
        "adam",
        [](std::vector<Tensor>& s, const TensorView& g, int t) {
            backend::adam_step(s[0], g, s[1], s[2], {}, {.lr = 0.01, .step = t});
        },
        2);
    run(
        "rmsprop centered with momentum",
        [](std::vector<Tensor>& s, const TensorView& g, int) {
            backend::rmsprop_step(s[0], g, s[1], s[2], s[3], 0.01, 0.9, 1e-7, 0.5);
        },
        3);
    run(
        "rmsprop",
        [](std::vector<Tensor>& s, const TensorView& g, int) {
            backend::rmsprop_step(s[0], g, s[1], {}, {}, 0.01, 0.9, 1e-7, 0);
        },
        1);
    run(
        "adagrad",
        [](std::vector<Tensor>& s, const TensorView& g, int) { backend::adagrad_step(s[0], g, s[1], 0.1, 1e-7); }, 1);
}

TEST_P(DeviceOps, ProductsForEveryTranspose) {
    for (const bool ta : {false, true})
        for (const bool tb : {false, true}) {
            const std::int64_t m = 37, k = 129, n = 65;
            const Tensor a = random(ta ? Shape{k, m} : Shape{m, k}, 28), b = random(tb ? Shape{n, k} : Shape{k, n}, 29);
            Tensor c = random(Shape{m, n}, 30), gc = on_gpu(c);
            backend::gemm(a, ta, b, tb, c, 0.5, 2.0);
            backend::gemm(on_gpu(a), ta, on_gpu(b), tb, gc, 0.5, 2.0);
            expect_same(gc, c, std::string("gemm") + (ta ? " aᵀ" : " a") + (tb ? " bᵀ" : " b"));
        }
}

TEST_P(DeviceOps, TensorsOnTwoDevicesAreRefusedNamingTheOp) {
    const Tensor host = random(Shape{4, 3}, 31), device = on_gpu(host);
    Tensor out(Shape{4, 3}, dtype(), gpu), product(Shape{4, 4}, dtype(), gpu);
    try {
        backend::multiply(host, device, out);
        ADD_FAILURE() << "multiply across devices accepted";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("multiply: its tensors are on cpu, cuda:0, cuda:0"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(backend::gemm(host, false, device.view().reshaped(Shape{3, 4}), false, product), ConfigError);
    EXPECT_THROW(backend::gemm(device, false, device.view().reshaped(Shape{3, 4}), false, out), ShapeError);
}

TEST_P(DeviceOps, EveryLayersGradientsCheckThere) {
    if (dtype() != DType::f64) GTEST_SKIP() << "gradient checks run in float64";
    // Finite differences of the device's forward against the device's backward, layer by layer.
    const Tensor x = random(Shape{7, 6}, 32, -2, 2);
    const std::vector<std::pair<std::string, std::unique_ptr<Layer>>> layers = [] {
        std::vector<std::pair<std::string, std::unique_ptr<Layer>>> v;
        for (const char* f : {"linear", "sigmoid", "tanh", "relu", "leaky_relu:0.2", "elu", "gelu", "softmax"})
            v.emplace_back(std::string("Dense ") + f, Dense(5, f).clone());
        v.emplace_back("Activation softmax", Activation("softmax").clone());
        v.emplace_back("BatchNormalization", BatchNormalization().clone());
        Dropout dropout(0.3);
        dropout.freeze_mask(true);  // one function to differentiate, not a new mask each forward
        v.emplace_back("Dropout", dropout.clone());
        v.emplace_back("Residual", Residual({Dense(4, "tanh"), BatchNormalization(), Dense(6)}).clone());
        v.emplace_back("SimpleRNN", SimpleRNN(4, {.features = 2}).clone());
        v.emplace_back("DenseStack square", DenseStack(6, 3, "tanh").clone());
        v.emplace_back("DenseStack widening", DenseStack(8, 2, "relu").clone());
        return v;
    }();
    for (const auto& [what, layer] : layers) {
        const check::Report report = check::gradients(*layer, x, {.device = gpu});
        EXPECT_TRUE(report.passed(1e-6)) << what << " on " << gpu.str() << "\n" << report.str();
    }
}

#ifdef MLP_STAND_IN_GPU
TEST(StandInGpu, TheHostCannotReadItsMemory) {
    // What makes the stand-in worth having: a host read of device memory is a crash, not a pass.
    testing::install_stand_in_gpu();
    const Tensor t(Shape{4}, DType::f32, gpu);
    EXPECT_DEATH(
        {
            volatile float v = *static_cast<const float*>(t.view().raw());
            (void)v;
        },
        "");
}
#endif

INSTANTIATE_TEST_SUITE_P(Dtypes, DeviceOps, ::testing::Values(DType::f32, DType::f64),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace mlp
