// The fused dense-stack kernels of the CUDA backend (cuda/dense_stack_kernels.cuh),
// compiled for the host and run on CPU threads (cuda_on_host.hpp), against a
// plain product in double precision: every width they take, each way of
// computing the product (float32 FMAs, tf32 and bf16 tensor cores), every
// activation a stack takes, batches that end inside a tile, blocks that take
// several tiles, with and without bias and dx. Nothing is written past the
// batch's last row, nor to dx when it is not asked for.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cuda_on_host.hpp"
#include "mlp/core/random.hpp"

namespace mlp::backend::cuda::stack {
alignas(128) unsigned char shared[256 * 1024];  // what the kernels' extern __shared__ names
}  // namespace mlp::backend::cuda::stack

#include "../../src/backend/cuda/dense_stack_kernels.cuh"

namespace mlp {
namespace {

using namespace backend::cuda::stack;
using Kind = ActivationFunction::Kind;

constexpr float untouched = 12345.0f;

struct Case {
    std::int64_t rows;
    int depth;
    unsigned blocks;  // fewer than the tiles: a block takes several
    bool bias;
    bool dx;
};

/// Worst |got - want| / max(1, |want|) over every output, and how many
/// elements are off by more than 5%.
struct Errors {
    double worst = 0;
    std::int64_t off = 0, count = 0;
    void add(float got, double want) {
        const double e = std::abs(static_cast<double>(got) - want) / std::max(1.0, std::abs(want));
        worst = std::isnan(e) ? INFINITY : std::max(worst, e);
        off += e > 0.05;
        ++count;
    }
};

template <int W, class Op, bool TensorCores>
Errors run(const ActivationFunction& f, const Case& c) {
    Random rng(static_cast<std::uint64_t>(W * 100 + c.depth));
    const double scale = std::sqrt(3.0 / W);  // unit-variance activations
    const auto rows = static_cast<std::size_t>(c.rows), depth = static_cast<std::size_t>(c.depth);
    const std::size_t n = rows * W, padded = (rows + 70) * W;  // room past the last row, which must stay untouched
    std::vector<std::vector<float>> w(depth, std::vector<float>(W * W)), b(depth, std::vector<float>(W)),
        acts(depth, std::vector<float>(padded, untouched)), dzs(depth, std::vector<float>(padded, untouched));
    for (auto& m : w)
        for (float& v : m) v = static_cast<float>(rng.uniform(-scale, scale));
    for (auto& v : b)
        for (float& e : v) e = static_cast<float>(rng.uniform(-0.5, 0.5));
    std::vector<float> x(n), dy(n), dx(padded, untouched);
    for (float& v : x) v = static_cast<float>(rng.uniform(-2, 2));
    for (float& v : dy) v = static_cast<float>(rng.uniform(-1, 1));

    StackLayers forward{}, backward{};
    for (std::size_t l = 0; l < depth; ++l) {
        forward.kernel[l] = backward.kernel[l] = w[l].data();
        forward.bias[l] = c.bias ? b[l].data() : nullptr;
        forward.out[l] = acts[l].data();
        backward.act[l] = acts[l].data();
        backward.out[l] = dzs[l].data();
    }
    const auto kind = f.kind();
    const auto alpha = static_cast<float>(f.alpha());
    testing::launch_on_host(c.blocks, stack_threads, shared, sizeof shared, stack_forward<W, Op, TensorCores>,
                            static_cast<const float*>(x.data()), forward, c.depth, c.rows, kind, alpha);
    testing::launch_on_host(c.blocks, stack_threads, shared, sizeof shared, stack_backward<W, Op, TensorCores>,
                            static_cast<const float*>(dy.data()), backward, c.depth, c.dx ? dx.data() : nullptr, c.rows,
                            kind, alpha);

    // The equations in double: a_l = f(a_(l-1) W_l + b_l); dz_l = da_l f'(z_l); da_(l-1) = dz_l W_lᵀ.
    const auto fd = [&](double z) {
        switch (kind) {
            case Kind::relu: return z > 0 ? z : 0.0;
            case Kind::leaky_relu: return z > 0 ? z : alpha * z;
            case Kind::elu: return z > 0 ? z : alpha * std::expm1(z);
            case Kind::sigmoid: return 1 / (1 + std::exp(-z));
            case Kind::tanh: return std::tanh(z);
            default: return z;
        }
    };
    const auto dfd = [&](double z, double a) {
        switch (kind) {
            case Kind::relu: return z > 0 ? 1.0 : 0.0;
            case Kind::leaky_relu: return z > 0 ? 1.0 : static_cast<double>(alpha);
            case Kind::elu: return z > 0 ? 1.0 : a + alpha;
            case Kind::sigmoid: return a * (1 - a);
            case Kind::tanh: return 1 - a * a;
            default: return 1.0;
        }
    };
    Errors errors;
    std::vector<std::vector<double>> z(depth, std::vector<double>(n)), a(depth, std::vector<double>(n));
    for (std::size_t l = 0; l < depth; ++l)
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < W; ++j) {
                double s = c.bias ? b[l][j] : 0.0;
                for (std::size_t k = 0; k < W; ++k)
                    s += (l == 0 ? x[r * W + k] : a[l - 1][r * W + k]) * w[l][k * W + j];
                z[l][r * W + j] = s;
                errors.add(acts[l][r * W + j], a[l][r * W + j] = fd(s));
            }
    std::vector<double> da(dy.begin(), dy.end());
    for (std::size_t l = depth; l-- > 0;) {
        std::vector<double> dz(n), below(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) errors.add(dzs[l][i], dz[i] = da[i] * dfd(z[l][i], a[l][i]));
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t k = 0; k < W; ++k)
                for (std::size_t j = 0; j < W; ++j) below[r * W + k] += dz[r * W + j] * w[l][k * W + j];
        da = below;
    }
    for (std::size_t i = 0; i < padded; ++i) {
        if (c.dx && i < n)
            errors.add(dx[i], da[i]);
        else if (dx[i] != untouched)
            errors.worst = INFINITY;  // dx written where it must not be
        for (std::size_t l = 0; l < depth && i >= n; ++l)
            if (acts[l][i] != untouched || dzs[l][i] != untouched) errors.worst = INFINITY;  // past the batch
    }
    return errors;
}

const char* const activations[] = {"linear", "relu", "leaky_relu:0.2", "elu:0.5", "sigmoid", "tanh"};

/// The relu family's kinks: an output that rounding moves across zero gets
/// the other slope, so a few elements differ wholly; the rest round.
bool smooth(const ActivationFunction& f) { return f.is(Kind::linear) || f.is(Kind::sigmoid) || f.is(Kind::tanh); }

TEST(DenseStackKernelsOnHost, Float32FmasEqualThePlainProduct) {
    for (const char* name : activations) {
        const ActivationFunction f(name);
        const Errors e16 = run<16, float, false>(f, {133, 4, 2, true, true});
        const Errors e32 = run<32, float, false>(f, {64, 2, 1, false, false});
        const Errors e64 = run<64, float, false>(f, {150, 3, 2, true, false});
        const Errors e128 = run<128, float, false>(f, {70, 2, 1, false, true});
        for (const Errors* e : {&e16, &e32, &e64, &e128}) EXPECT_LT(e->worst, 1e-5) << name;
    }
}

TEST(DenseStackKernelsOnHost, TensorCoresRoundAsTheirPrecisionSays) {
    for (const char* name : activations) {
        const ActivationFunction f(name);
        const Errors fma = run<64, float, false>(f, {100, 3, 1, true, true});
        const Errors tf32 = run<64, float, true>(f, {100, 3, 1, true, true});
        const Errors bf16 = run<64, __nv_bfloat16, true>(f, {100, 3, 1, true, true});
        const Errors tf32_16 = run<16, float, true>(f, {133, 2, 2, false, true});
        const Errors bf16_32 = run<32, __nv_bfloat16, true>(f, {64, 2, 1, true, false});
        const Errors bf16_128 = run<128, __nv_bfloat16, true>(f, {65, 2, 1, false, true});
        if (smooth(f)) {
            for (const Errors* e : {&tf32, &tf32_16}) EXPECT_LT(e->worst, 2e-2) << name << ", tf32";
            for (const Errors* e : {&bf16, &bf16_32, &bf16_128}) EXPECT_LT(e->worst, 6e-2) << name << ", bf16";
            EXPECT_GT(bf16.worst, tf32.worst) << name;  // the operands were rounded, bf16 the coarser
            EXPECT_GT(tf32.worst, fma.worst) << name;
        }
        for (const Errors* e : {&tf32, &bf16, &tf32_16, &bf16_32, &bf16_128}) {
            EXPECT_TRUE(std::isfinite(e->worst)) << name << ": written out of place, or NaN";
            EXPECT_LT(static_cast<double>(e->off), 0.02 * static_cast<double>(e->count)) << name;
        }
    }
}

}  // namespace
}  // namespace mlp
