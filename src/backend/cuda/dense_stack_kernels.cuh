// The dense stack's kernels (dense_stack.cu launches them), apart so that
// tests compile them for the host as well: dense_stack_kernels_test runs them
// on CPU threads, with __syncthreads a barrier and the WMMA calls their
// documented meaning, against a plain product, on machines without a GPU.
// The includer provides what CUDA would: the runtime's types and
// <cuda_bf16.h> and <mma.h>, or the test's stand-ins for them.
//
// Per tile of 64 rows, with `act` the float32 results and `op` the product's operands:
//   forward:  op = x; per layer: op·W → act; act = f(act + b) → out, op
//   backward: act = dy; per layer from the top: dz = act ⊙ f'(a) → dzs, op;
//             op·Wᵀ → act (da below), or dx at the bottom
#pragma once

#include <cstdint>
#include <type_traits>

#include "../formulas.hpp"
#include "mlp/core/activation_function.hpp"

#ifdef __CUDACC__
#define MLP_UNROLL _Pragma("unroll")
#define MLP_UNROLL_8 _Pragma("unroll 8")
#else  // a host compiler warns of pragmas it does not know
#define MLP_UNROLL
#define MLP_UNROLL_8
#endif

namespace mlp::backend::cuda::stack {

using Kind = ActivationFunction::Kind;

constexpr int stack_threads = 256;
constexpr int stack_warps = stack_threads / 32;
constexpr int tile_rows = 64;
/// Layers one launch takes; deeper stacks go in chunks.
constexpr int chunk_layers = 32;

/// A chunk's layers, passed by value: the kernel's parameters hold them.
struct StackLayers {
    const float* kernel[chunk_layers];
    const float* bias[chunk_layers];  // null without bias
    const float* act[chunk_layers];   // backward: each layer's output a, for f'
    float* out[chunk_layers];         // forward: the layers' outputs; backward: their dz
};

__device__ inline float activate(Kind kind, float z, float alpha) {
    switch (kind) {
        case Kind::relu: return formulas::Relu::f(z, alpha);
        case Kind::leaky_relu: return formulas::LeakyRelu::f(z, alpha);
        case Kind::elu: return formulas::Elu::f(z, alpha);
        case Kind::sigmoid: return formulas::Sigmoid::f(z, alpha);
        case Kind::tanh: return formulas::Tanh::f(z, alpha);
        default: return z;  // linear: the only other kind a stack takes
    }
}

/// f'(z) from a = f(z), as derivative_from_output() says it may be.
__device__ inline float derivative(Kind kind, float a, float alpha) {
    switch (kind) {
        case Kind::relu: return formulas::Relu::df(a, a, alpha);
        case Kind::leaky_relu: return formulas::LeakyRelu::df(a, a, alpha);
        case Kind::elu: return formulas::Elu::df(a, a, alpha);
        case Kind::sigmoid: return formulas::Sigmoid::df(a, a, alpha);
        case Kind::tanh: return formulas::Tanh::df(a, a, alpha);
        default: return 1.0f;
    }
}

/// The tile's layout in shared memory for width W and operand type Op (float,
/// or bfloat16 for bf16 products). Rows are padded so that consecutive rows
/// start in other banks and every 16-row, 16-column block starts on 32 bytes,
/// as WMMA's loads and stores ask.
template <int W, class Op>
struct Layout {
    static constexpr int act_pitch = W + 4;                                 // floats
    static constexpr int op_pitch = W + static_cast<int>(32 / sizeof(Op));  // Op elements
    static constexpr int act_bytes = tile_rows * act_pitch * 4;
    static constexpr int op_bytes = tile_rows * op_pitch * static_cast<int>(sizeof(Op));
    static constexpr int weight_bytes = W * op_pitch * static_cast<int>(sizeof(Op));
    static constexpr int bytes = act_bytes + op_bytes + weight_bytes;
    // Each thread owns 4 adjacent columns of rows_each rows: the elements it
    // loads, activates and stores.
    static constexpr int column_groups = W / 4;
    static constexpr int rows_each = tile_rows * column_groups / stack_threads;
    static_assert(rows_each >= 1 && tile_rows * column_groups % stack_threads == 0);
};

template <class Op>
__device__ inline Op to_op(float v) {
    if constexpr (std::is_same_v<Op, float>)
        return v;
    else
        return __float2bfloat16(v);
}

/// act (64, W) = op (64, W) · B, B = W or, for backward, Wᵀ; w holds W (the
/// float32 product: Wᵀ, laid out at load). Float32 FMAs, each thread its own
/// elements.
template <int W, bool Transposed>
__device__ void product_fma(const float* op, const float* w, float* act) {
    using L = Layout<W, float>;
    const int group = static_cast<int>(threadIdx.x) % L::column_groups, c = group * 4;
    const int r0 = static_cast<int>(threadIdx.x) / L::column_groups * L::rows_each;
    float sum[L::rows_each][4] = {};
    MLP_UNROLL_8
    for (int k = 0; k < W; ++k) {
        const float4 wk = *reinterpret_cast<const float4*>(w + k * L::op_pitch + c);
        MLP_UNROLL
        for (int i = 0; i < L::rows_each; ++i) {
            const float a = op[(r0 + i) * L::op_pitch + k];
            sum[i][0] += a * wk.x;
            sum[i][1] += a * wk.y;
            sum[i][2] += a * wk.z;
            sum[i][3] += a * wk.w;
        }
    }
    MLP_UNROLL
    for (int i = 0; i < L::rows_each; ++i)
        *reinterpret_cast<float4*>(act + (r0 + i) * L::act_pitch + c) =
            make_float4(sum[i][0], sum[i][1], sum[i][2], sum[i][3]);
}

/// The same on tensor cores: each warp takes 16x16 blocks of the result, with
/// tf32 (Op float) or bfloat16 operands and float32 sums.
template <int W, class Op, bool Transposed>
__device__ void product_wmma(const Op* op, const Op* w, float* act) {
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800
    namespace wmma = nvcuda::wmma;
    using L = Layout<W, Op>;
    constexpr bool tf32 = std::is_same_v<Op, float>;
    constexpr int K = tf32 ? 8 : 16;
    using Precision = std::conditional_t<tf32, wmma::precision::tf32, __nv_bfloat16>;
    using BLayout = std::conditional_t<Transposed, wmma::col_major, wmma::row_major>;
    const int warp = static_cast<int>(threadIdx.x) / 32;
    for (int block = warp; block < (tile_rows / 16) * (W / 16); block += stack_warps) {
        const int m0 = block / (W / 16) * 16, n0 = block % (W / 16) * 16;
        wmma::fragment<wmma::accumulator, 16, 16, K, float> sum;
        wmma::fill_fragment(sum, 0.0f);
        for (int k0 = 0; k0 < W; k0 += K) {
            wmma::fragment<wmma::matrix_a, 16, 16, K, Precision, wmma::row_major> a;
            wmma::fragment<wmma::matrix_b, 16, 16, K, Precision, BLayout> b;
            wmma::load_matrix_sync(a, op + m0 * L::op_pitch + k0, L::op_pitch);
            // B (k, n) is W[k][n], or for Wᵀ W[n][k]: column-major from the same rows.
            wmma::load_matrix_sync(b, Transposed ? w + n0 * L::op_pitch + k0 : w + k0 * L::op_pitch + n0, L::op_pitch);
            if constexpr (tf32) {
                for (int t = 0; t < a.num_elements; ++t) a.x[t] = wmma::__float_to_tf32(a.x[t]);
                for (int t = 0; t < b.num_elements; ++t) b.x[t] = wmma::__float_to_tf32(b.x[t]);
            }
            wmma::mma_sync(sum, a, b, sum);
        }
        wmma::store_matrix_sync(act + m0 * L::act_pitch + n0, sum, L::act_pitch, wmma::mem_row_major);
    }
#else
    (void)op, (void)w, (void)act;
    __trap();  // never launched: fused_precision() takes tensor cores only on sm_80 and later
#endif
}

/// Layer W (W, W) into shared memory as the product reads it: the float32
/// product's backward reads Wᵀ, the others W as it is.
template <int W, class Op, bool Transposed, bool TensorCores>
__device__ void load_weights(const float* kernel, Op* w) {
    using L = Layout<W, Op>;
    for (int i = static_cast<int>(threadIdx.x); i < W * W; i += stack_threads) {
        const int row = i / W, col = i % W;
        if (Transposed && !TensorCores)
            w[col * L::op_pitch + row] = to_op<Op>(kernel[i]);
        else
            w[row * L::op_pitch + col] = to_op<Op>(kernel[i]);
    }
}

template <int W, class Op, bool Transposed, bool TensorCores>
__device__ void product(const Op* op, const Op* w, float* act) {
    if constexpr (TensorCores)
        product_wmma<W, Op, Transposed>(op, w, act);
    else
        product_fma<W, Transposed>(op, w, act);
}

/// A block's tile in shared memory, and the elements this thread owns: rows
/// r0 .. r0 + rows_each - 1, columns c .. c + 3.
template <int W, class Op>
struct Tile {
    float* act;  // (64, W) float32: the products' sums, and the backward's da
    Op* op;      // (64, W) the product's left operand
    Op* w;       // (W, W) the layer's weights
    int c, r0;
};

template <int W, class Op>
__device__ Tile<W, Op> tile_in(unsigned char* memory) {
    using L = Layout<W, Op>;
    const int t = static_cast<int>(threadIdx.x);
    return {reinterpret_cast<float*>(memory), reinterpret_cast<Op*>(memory + L::act_bytes),
            reinterpret_cast<Op*>(memory + L::act_bytes + L::op_bytes), t % L::column_groups * 4,
            t / L::column_groups * L::rows_each};
}

template <int W, class Op, bool TensorCores>
__global__ void __launch_bounds__(stack_threads)
    stack_forward(const float* x, StackLayers layers, int depth, std::int64_t rows, Kind kind, float alpha) {
    using L = Layout<W, Op>;
    extern __shared__ __align__(128) unsigned char shared[];
    const auto [act, op, w, c, r0] = tile_in<W, Op>(shared);
    for (std::int64_t first = static_cast<std::int64_t>(blockIdx.x) * tile_rows; first < rows;
         first += static_cast<std::int64_t>(gridDim.x) * tile_rows) {
        for (int i = 0; i < L::rows_each; ++i) {  // rows past the batch are zeros, never stored
            const std::int64_t row = first + r0 + i;
            const float4 v = row < rows ? *reinterpret_cast<const float4*>(x + row * W + c) : float4{0, 0, 0, 0};
            Op* o = op + (r0 + i) * L::op_pitch + c;
            o[0] = to_op<Op>(v.x), o[1] = to_op<Op>(v.y), o[2] = to_op<Op>(v.z), o[3] = to_op<Op>(v.w);
        }
        for (int l = 0; l < depth; ++l) {
            load_weights<W, Op, false, TensorCores>(layers.kernel[l], w);
            __syncthreads();  // the operands are in place
            product<W, Op, false, TensorCores>(op, w, act);
            __syncthreads();                     // the tile's sums are in place, and op and w free
            const float* bias = layers.bias[l];  // any float: parameters are packed, not aligned
            const float4 b = bias ? float4{bias[c], bias[c + 1], bias[c + 2], bias[c + 3]} : float4{0, 0, 0, 0};
            for (int i = 0; i < L::rows_each; ++i) {
                float* s = act + (r0 + i) * L::act_pitch + c;
                const float4 a{activate(kind, s[0] + b.x, alpha), activate(kind, s[1] + b.y, alpha),
                               activate(kind, s[2] + b.z, alpha), activate(kind, s[3] + b.w, alpha)};
                Op* o = op + (r0 + i) * L::op_pitch + c;
                o[0] = to_op<Op>(a.x), o[1] = to_op<Op>(a.y), o[2] = to_op<Op>(a.z), o[3] = to_op<Op>(a.w);
                const std::int64_t row = first + r0 + i;
                if (row < rows) *reinterpret_cast<float4*>(layers.out[l] + row * W + c) = a;
            }
        }
        __syncthreads();  // the next tile's rows may overwrite these
    }
}

template <int W, class Op, bool TensorCores>
__global__ void __launch_bounds__(stack_threads) stack_backward(const float* dy, StackLayers layers, int depth,
                                                                float* dx, std::int64_t rows, Kind kind, float alpha) {
    using L = Layout<W, Op>;
    extern __shared__ __align__(128) unsigned char shared[];
    const auto [act, op, w, c, r0] = tile_in<W, Op>(shared);
    for (std::int64_t first = static_cast<std::int64_t>(blockIdx.x) * tile_rows; first < rows;
         first += static_cast<std::int64_t>(gridDim.x) * tile_rows) {
        for (int i = 0; i < L::rows_each; ++i) {
            const std::int64_t row = first + r0 + i;
            *reinterpret_cast<float4*>(act + (r0 + i) * L::act_pitch + c) =
                row < rows ? *reinterpret_cast<const float4*>(dy + row * W + c) : float4{0, 0, 0, 0};
        }
        for (int l = depth - 1; l >= 0; --l) {
            for (int i = 0; i < L::rows_each; ++i) {  // dz = da ⊙ f'(a), each thread its own elements
                const std::int64_t row = first + r0 + i;
                const float4 a =
                    row < rows ? *reinterpret_cast<const float4*>(layers.act[l] + row * W + c) : float4{0, 0, 0, 0};
                const float* s = act + (r0 + i) * L::act_pitch + c;
                const float4 dz{s[0] * derivative(kind, a.x, alpha), s[1] * derivative(kind, a.y, alpha),
                                s[2] * derivative(kind, a.z, alpha), s[3] * derivative(kind, a.w, alpha)};
                Op* o = op + (r0 + i) * L::op_pitch + c;
                o[0] = to_op<Op>(dz.x), o[1] = to_op<Op>(dz.y), o[2] = to_op<Op>(dz.z), o[3] = to_op<Op>(dz.w);
                if (row < rows) *reinterpret_cast<float4*>(layers.out[l] + row * W + c) = dz;
            }
            load_weights<W, Op, true, TensorCores>(layers.kernel[l], w);
            __syncthreads();  // dz and the weights are in place, and act read
            if (l == 0 && dx == nullptr) break;
            product<W, Op, true, TensorCores>(op, w, act);  // da below = dz·Wᵀ
            __syncthreads();
        }
        if (dx != nullptr)
            for (int i = 0; i < L::rows_each; ++i) {
                const std::int64_t row = first + r0 + i;
                if (row < rows)
                    *reinterpret_cast<float4*>(dx + row * W + c) =
                        *reinterpret_cast<const float4*>(act + (r0 + i) * L::act_pitch + c);
            }
        __syncthreads();
    }
}

}  // namespace mlp::backend::cuda::stack
