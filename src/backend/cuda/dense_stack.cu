// The dense stack of ops.hpp fused into one kernel a pass: a block takes 64
// rows of the batch and carries them through every layer in shared memory,
// reading only its input and each layer's weights, and writing each layer's
// output (forward) or dz (backward), which the weight gradients need anyway.
// cuBLAS by layer would also read every output back for the activation and
// for the next product: at widths of 64 or 128 that traffic, not the
// arithmetic, bounds the step. The product of a tile is float32 FMAs at the
// float32 precision, and tensor cores (WMMA) at tf32 or bf16, with float32
// sums, as cuBLAS's products are at each precision. Widths 16, 32, 64 and 128
// of float32 fuse; anything else composes the layers (DeviceBackend's default).
// The kernels themselves are in dense_stack_kernels.cuh.
#include <cuda_bf16.h>
#include <mma.h>

#include <cstdint>
#include <mutex>
#include <type_traits>

#include "dense_stack_kernels.cuh"
#include "launch.cuh"

namespace mlp::backend::cuda {

namespace {

using namespace stack;

enum class Fused { none, fma, tf32, bf16 };

/// How a stack of this width runs on `device` at `precision`: fused for float32
/// at the widths the kernels take when the (rows, W) views start on 16 bytes
/// (float4 loads; weights and biases are read a float at a time); with tensor
/// cores when the precision asks for them and the GPU has them (sm_80 on),
/// else with float32 FMAs; `none` composes the layers.
Fused fused_kind(mlp::cuda::MatmulPrecision precision, std::int64_t width, DType dtype, bool aligned, int device) {
    if (dtype != DType::f32 || !(width == 16 || width == 32 || width == 64 || width == 128) || !aligned)
        return Fused::none;
    if (precision == mlp::cuda::MatmulPrecision::float32) return Fused::fma;
    int major = 0;
    check(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device), "cudaDeviceGetAttribute", device);
    if (major < 8) return Fused::fma;
    return precision == mlp::cuda::MatmulPrecision::tf32 ? Fused::tf32 : Fused::bf16;
}

/// Calls visit.template operator()<W, Op, TensorCores>() for the width and kind.
template <class Visit>
void visit_fused(std::int64_t width, Fused fused, const Visit& visit) {
    const auto with_width = [&]<int W>() {
        if (fused == Fused::tf32) return visit.template operator()<W, float, true>();
        if (fused == Fused::bf16) return visit.template operator()<W, __nv_bfloat16, true>();
        return visit.template operator()<W, float, false>();
    };
    if (width == 16) return with_width.template operator()<16>();
    if (width == 32) return with_width.template operator()<32>();
    if (width == 64) return with_width.template operator()<64>();
    return with_width.template operator()<128>();
}

/// Lets `Kernel` have `bytes` of shared memory a block on `device` (past
/// 48 KB a kernel must ask), once per kernel and GPU.
template <auto Kernel>
void allow_shared_memory(int bytes, int device) {
    constexpr int most_gpus = 64;
    static std::once_flag asked[most_gpus];
    const auto ask = [&] {
        check(cudaFuncSetAttribute(Kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes), "cudaFuncSetAttribute",
              device);
    };
    if (device < most_gpus)
        std::call_once(asked[device], ask);
    else
        ask();
}

unsigned tiles_for(std::int64_t rows) {
    return static_cast<unsigned>(std::clamp<std::int64_t>((rows + tile_rows - 1) / tile_rows, 1, 1 << 30));
}

/// Whether every view starts on 16 bytes, as the kernels' float4 loads of rows need.
bool on_16_bytes(std::initializer_list<const TensorView*> views,
                 std::initializer_list<std::span<const TensorView>> lists) {
    const auto on_16 = [](const TensorView& v) { return reinterpret_cast<std::uintptr_t>(v.raw()) % 16 == 0; };
    for (const TensorView* v : views)
        if (!on_16(*v)) return false;
    for (const auto& list : lists)
        for (const TensorView& v : list)
            if (!on_16(v)) return false;
    return true;
}

}  // namespace

void CudaBackend::dense_stack_forward(const TensorView& x, std::span<const TensorView> kernels,
                                      std::span<const TensorView> biases, const ActivationFunction& f,
                                      std::span<const TensorView> acts) {
    // Shapes, dtypes and devices were checked by the op set (cpu/dense_stack.cpp).
    const std::int64_t width = x.cols(), rows = x.rows();
    const int device = x.device().index;
    const Fused fused = fused_kind(matmul_precision(), width, x.dtype(), on_16_bytes({&x}, {acts}), device);
    if (fused == Fused::none || rows == 0) return DeviceBackend::dense_stack_forward(x, kernels, biases, f, acts);
    check(cudaSetDevice(device), "cudaSetDevice", device);
    const Kind kind = f.kind();
    const auto alpha = static_cast<float>(f.alpha());
    const float* input = x.data<float>();
    for (std::size_t from = 0; from < kernels.size(); from += chunk_layers) {
        const int depth = static_cast<int>(std::min<std::size_t>(chunk_layers, kernels.size() - from));
        StackLayers layers{};
        for (int l = 0; l < depth; ++l) {
            const std::size_t i = from + static_cast<std::size_t>(l);
            layers.kernel[l] = kernels[i].data<float>();
            layers.bias[l] = biases.empty() || biases[i].empty() ? nullptr : biases[i].data<float>();
            layers.out[l] = acts[i].data<float>();
        }
        visit_fused(width, fused, [&]<int W, class Op, bool TensorCores>() {
            constexpr int bytes = Layout<W, Op>::bytes;
            allow_shared_memory<stack_forward<W, Op, TensorCores>>(bytes, device);
            stack_forward<W, Op, TensorCores>
                <<<tiles_for(rows), stack_threads, bytes, stream()>>>(input, layers, depth, rows, kind, alpha);
        });
        check(cudaGetLastError(), "the dense stack's forward kernel", device);
        input = layers.out[depth - 1];
    }
}

void CudaBackend::dense_stack_backward(std::span<const TensorView> kernels, const ActivationFunction& f,
                                       std::span<const TensorView> acts, const TensorView& dy,
                                       std::span<const TensorView> dzs, const TensorView& dx) {
    const std::int64_t width = dy.cols(), rows = dy.rows();
    const int device = dy.device().index;
    const Fused fused = fused_kind(matmul_precision(), width, dy.dtype(), on_16_bytes({&dy, &dx}, {acts, dzs}), device);
    if (fused == Fused::none || rows == 0) return DeviceBackend::dense_stack_backward(kernels, f, acts, dy, dzs, dx);
    check(cudaSetDevice(device), "cudaSetDevice", device);
    const Kind kind = f.kind();
    const auto alpha = static_cast<float>(f.alpha());
    // Chunks from the top: each one's da below lands in the dz of the layer
    // under it, which the next chunk reads as its dy and overwrites in place.
    const float* gradient = dy.data<float>();
    for (std::size_t end = kernels.size(); end > 0;) {
        const std::size_t from = end > chunk_layers ? end - chunk_layers : 0;
        const int depth = static_cast<int>(end - from);
        StackLayers layers{};
        for (int l = 0; l < depth; ++l) {
            const std::size_t i = from + static_cast<std::size_t>(l);
            layers.kernel[l] = kernels[i].data<float>();
            layers.act[l] = acts[i].data<float>();
            layers.out[l] = dzs[i].data<float>();
        }
        float* below = from > 0 ? dzs[from - 1].data<float>() : (dx.empty() ? nullptr : dx.data<float>());
        visit_fused(width, fused, [&]<int W, class Op, bool TensorCores>() {
            constexpr int bytes = Layout<W, Op>::bytes;
            allow_shared_memory<stack_backward<W, Op, TensorCores>>(bytes, device);
            stack_backward<W, Op, TensorCores><<<tiles_for(rows), stack_threads, bytes, stream()>>>(
                gradient, layers, depth, below, rows, kind, alpha);
        });
        check(cudaGetLastError(), "the dense stack's backward kernel", device);
        gradient = below;
        end = from;
    }
}

}  // namespace mlp::backend::cuda
