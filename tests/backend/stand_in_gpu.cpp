#include "stand_in_gpu.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mlp/core/error.hpp"

namespace mlp::testing {

namespace {

using backend::DeviceBackend;

/// Device addresses are host addresses plus 2^62: outside the canonical
/// x86-64 (and AArch64) address space, so the CPU faults on them.
constexpr std::uintptr_t device_offset = std::uintptr_t{1} << 62;

void* to_host_address(const void* device_address) {
    return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(device_address) - device_offset);
}

/// A device view as the CPU's ops can read it; empty views stay as they are.
TensorView on_host(const TensorView& v) {
    if (v.raw() == nullptr) return v;
    if (v.device() != Device::cuda(0)) throw Error("stand-in GPU: got a view on " + v.device().str());
    return TensorView(to_host_address(v.raw()), v.shape(), v.dtype(), Device::cpu());
}

/// Ops recorded by the stand-in, run again in order at each replay.
class StandInRecording final : public backend::Recording {
public:
    StandInRecording(std::vector<std::function<void()>> ops, std::size_t& replays)
        : ops_(std::move(ops)), replays_(replays) {}
    void replay() override {
        for (const auto& op : ops_) op();
        ++replays_;
    }

private:
    std::vector<std::function<void()>> ops_;
    std::size_t& replays_;
};

class StandInGpu final : public DeviceBackend {
public:
    /// As a GPU records (a CUDA graph's stream capture): the ops are kept, not
    /// run; an op that would bring a result to the host, read host memory or
    /// allocate makes the recording fail, and nothing has run.
    std::unique_ptr<backend::Recording> record(int, const std::function<void()>& work) override {
        recording = true;
        recorded.clear();
        try {
            work();
        } catch (const Error&) {
            recording = false;
            recorded.clear();
            ++failed_recordings;
            return nullptr;
        }
        recording = false;
        return std::make_unique<StandInRecording>(std::exchange(recorded, {}), replays);
    }
    template <class Op>
    void run(Op op) {
        if (recording)
            recorded.emplace_back(std::move(op));
        else
            op();
    }
    void refuse(const char* what) const {
        if (recording) throw Error(std::string("stand-in GPU: ") + what + " cannot be recorded");
    }
    bool recording = false;
    std::vector<std::function<void()>> recorded;
    std::size_t replays = 0, failed_recordings = 0;

    std::string description() const override { return "stand-in GPU (host memory, for tests)"; }
    std::vector<GpuInfo> devices(std::string&) const override {
        return {{.index = 0, .name = "stand-in GPU", .memory_bytes = std::int64_t{1} << 32, .compute_capability = 0}};
    }

    void* allocate(int, std::size_t bytes) override {
        refuse("allocating memory");
        const std::size_t size = (bytes + 63) / 64 * 64;
        if (limit > 0 && in_use + size > limit)
            throw DeviceMemoryError("stand-in GPU: cannot allocate " + std::to_string(bytes) + " bytes on cuda:0 (" +
                                    std::to_string(in_use) + " of " + std::to_string(limit) + " in use)");
        void* memory = std::aligned_alloc(64, size);
        if (memory == nullptr) throw std::bad_alloc();
        in_use += size;
        sizes[memory] = size;
        return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(memory) + device_offset);
    }
    void release(int, void* memory) override {
        if (memory == nullptr) return;
        void* host = to_host_address(memory);
        in_use -= sizes.at(host);
        sizes.erase(host);
        std::free(host);
    }

    std::size_t limit = 0, in_use = 0;
    std::unordered_map<void*, std::size_t> sizes;
    void copy(void* to, const Device& to_device, const void* from, const Device& from_device,
              std::size_t bytes) override {
        if (!to_device.is_cpu() && !from_device.is_cpu())
            return run([=] { std::memcpy(to_host_address(to), to_host_address(from), bytes); });
        refuse("a copy to or from the host");
        std::memcpy(to_device.is_cpu() ? to : to_host_address(to), from_device.is_cpu() ? from : to_host_address(from),
                    bytes);
    }

    void gemm(const TensorView& a, bool ta, const TensorView& b, bool tb, const TensorView& c, double alpha,
              double beta) override {
        run([=] { backend::gemm(on_host(a), ta, on_host(b), tb, on_host(c), alpha, beta); });
    }
    void fill(const TensorView& x, double value) override {
        run([=] { backend::fill(on_host(x), value); });
    }
    void axpy(double alpha, const TensorView& x, const TensorView& y) override {
        run([=] { backend::axpy(alpha, on_host(x), on_host(y)); });
    }
    void swap_leading_axes(const TensorView& src, std::int64_t a, std::int64_t b, const TensorView& dst) override {
        run([=] { backend::swap_leading_axes(on_host(src), a, b, on_host(dst)); });
    }
    void gather_rows(const TensorView& src, std::span<const std::int64_t> rows, const TensorView& dst) override {
        refuse("gather_rows (host memory)");
        backend::gather_rows(on_host(src), rows, on_host(dst));
    }
    void add_column_sums(const TensorView& dz, const TensorView& db) override {
        run([=] { backend::add_column_sums(on_host(dz), on_host(db)); });
    }
    std::int64_t find_non_finite(const TensorView& x) override {
        refuse("find_non_finite (a result for the host)");
        return backend::find_non_finite(on_host(x));
    }
    double squared_norm(const TensorView& x) override {
        refuse("squared_norm (a result for the host)");
        return backend::squared_norm(on_host(x));
    }
    void scale(const TensorView& x, double alpha) override {
        run([=] { backend::scale(on_host(x), alpha); });
    }
    void clip_values(const TensorView& x, double limit) override {
        run([=] { backend::clip_values(on_host(x), limit); });
    }
    void normalize_columns(const TensorView& x, const TensorView& center, const TensorView& scale,
                           const TensorView& y) override {
        run([=] { backend::normalize_columns(on_host(x), on_host(center), on_host(scale), on_host(y)); });
    }
    void multiply(const TensorView& a, const TensorView& b, const TensorView& out) override {
        run([=] { backend::multiply(on_host(a), on_host(b), on_host(out)); });
    }
    void bias_activate(const TensorView& z, const TensorView& bias, const ActivationFunction& f,
                       const TensorView& a) override {
        run([=] { backend::bias_activate(on_host(z), on_host(bias), f, on_host(a)); });
    }
    void activate_backward(const ActivationFunction& f, const TensorView& z, const TensorView& a, const TensorView& da,
                           const TensorView& dz) override {
        run([=] { backend::activate_backward(f, on_host(z), on_host(a), on_host(da), on_host(dz)); });
    }
    double regularize(const TensorView& w, const TensorView& grad, double l1, double l2) override {
        refuse("regularize (a result for the host)");
        return backend::regularize(on_host(w), on_host(grad), l1, l2);
    }
    void max_norm_columns(const TensorView& w, double max_value) override {
        run([=] { backend::max_norm_columns(on_host(w), max_value); });
    }
    void dropout(const TensorView& x, double rate, std::uint64_t seed, const TensorView& calls, std::uint64_t advance,
                 std::uint64_t first, const TensorView& mask, const TensorView& y) override {
        run([=] {
            backend::dropout(on_host(x), rate, seed, on_host(calls), advance, first, on_host(mask), on_host(y));
        });
    }
    void batchnorm_forward(const TensorView& x, const TensorView& gamma, const TensorView& beta, double epsilon,
                           const TensorView& mean, const TensorView& var, const TensorView& inv_std,
                           const TensorView& x_hat, const TensorView& y) override {
        run([=] {
            backend::batchnorm_forward(on_host(x), on_host(gamma), on_host(beta), epsilon, on_host(mean), on_host(var),
                                       on_host(inv_std), on_host(x_hat), on_host(y));
        });
    }
    void batchnorm_backward(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                            const TensorView& inv_std, const TensorView& dgamma, const TensorView& dbeta,
                            const TensorView& dx) override {
        run([=] {
            backend::batchnorm_backward(on_host(dy), on_host(x_hat), on_host(gamma), on_host(inv_std), on_host(dgamma),
                                        on_host(dbeta), on_host(dx));
        });
    }
    void column_sums(const TensorView& x, std::span<const double> center, std::span<double> sums) override {
        refuse("column_sums (host memory)");
        backend::column_sums(on_host(x), center, sums);
    }
    void batchnorm_normalize(const TensorView& x, const TensorView& gamma, const TensorView& beta, double epsilon,
                             std::span<const double> mean, std::span<const double> var, const TensorView& mean_out,
                             const TensorView& var_out, const TensorView& inv_std, const TensorView& x_hat,
                             const TensorView& y) override {
        refuse("batchnorm_normalize (host memory)");
        backend::batchnorm_normalize(on_host(x), on_host(gamma), on_host(beta), epsilon, mean, var, on_host(mean_out),
                                     on_host(var_out), on_host(inv_std), on_host(x_hat), on_host(y));
    }
    void batchnorm_backward_sums(const TensorView& dy, const TensorView& x_hat, const TensorView& dgamma,
                                 const TensorView& dbeta, std::span<double> sum_dy,
                                 std::span<double> sum_dy_xh) override {
        refuse("batchnorm_backward_sums (host memory)");
        backend::batchnorm_backward_sums(on_host(dy), on_host(x_hat), on_host(dgamma), on_host(dbeta), sum_dy,
                                         sum_dy_xh);
    }
    void batchnorm_backward_dx(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                               const TensorView& inv_std, std::span<const double> sum_dy,
                               std::span<const double> sum_dy_xh, double n, const TensorView& dx) override {
        refuse("batchnorm_backward_dx (host memory)");
        backend::batchnorm_backward_dx(on_host(dy), on_host(x_hat), on_host(gamma), on_host(inv_std), sum_dy, sum_dy_xh,
                                       n, on_host(dx));
    }
    void batchnorm_infer(const TensorView& x, const TensorView& gamma, const TensorView& beta, const TensorView& mean,
                         const TensorView& var, double epsilon, const TensorView& y) override {
        run([=] {
            backend::batchnorm_infer(on_host(x), on_host(gamma), on_host(beta), on_host(mean), on_host(var), epsilon,
                                     on_host(y));
        });
    }
    double loss(LossKind kind, const TensorView& pred, const TensorView& target, double delta, const TensorView& grad,
                const TensorView& weights, const TensorView& total) override {
        if (total.empty()) refuse("a loss for the host");
        auto compute = [=] {
            const TensorView p = on_host(pred), t = on_host(target), g = on_host(grad), w = on_host(weights);
            const TensorView sum = on_host(total);
            switch (kind) {
                case LossKind::mse: return backend::mse(p, t, g, w, sum);
                case LossKind::mae: return backend::mae(p, t, g, w, sum);
                case LossKind::huber: return backend::huber(p, t, delta, g, w, sum);
                case LossKind::binary_crossentropy: return backend::binary_crossentropy(p, t, g, w, sum);
                case LossKind::binary_crossentropy_logits: return backend::binary_crossentropy_logits(p, t, g, w, sum);
                case LossKind::categorical_crossentropy: return backend::categorical_crossentropy(p, t, g, w, sum);
                case LossKind::categorical_crossentropy_logits:
                    return backend::categorical_crossentropy_logits(p, t, g, w, sum);
                case LossKind::sparse_categorical_crossentropy:
                    return backend::sparse_categorical_crossentropy(p, t, g, w, sum);
                case LossKind::sparse_categorical_crossentropy_logits:
                    return backend::sparse_categorical_crossentropy_logits(p, t, g, w, sum);
            }
            throw Error("stand-in GPU: unknown loss");
        };
        if (total.empty()) return compute();
        run([=] { (void)compute(); });  // as a GPU's: the loss stays on the device
        return std::numeric_limits<double>::quiet_NaN();
    }
    void sgd_step(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr,
                  double momentum, bool nesterov) override {
        run([=] { backend::sgd_step(on_host(params), on_host(grads), on_host(velocity), lr, momentum, nesterov); });
    }
    void adam_step(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
                   const TensorView& v_max, const backend::AdamStep& h) override {
        run([=] { backend::adam_step(on_host(params), on_host(grads), on_host(m), on_host(v), on_host(v_max), h); });
    }
    void rmsprop_step(const TensorView& params, const TensorView& grads, const TensorView& square_avg,
                      const TensorView& grad_avg, const TensorView& momentum_buffer, double lr, double rho,
                      double epsilon, double momentum) override {
        run([=] {
            backend::rmsprop_step(on_host(params), on_host(grads), on_host(square_avg), on_host(grad_avg),
                                  on_host(momentum_buffer), lr, rho, epsilon, momentum);
        });
    }
    void adagrad_step(const TensorView& params, const TensorView& grads, const TensorView& sum, double lr,
                      double epsilon) override {
        run([=] { backend::adagrad_step(on_host(params), on_host(grads), on_host(sum), lr, epsilon); });
    }
};

StandInGpu& the_gpu() {
    static StandInGpu gpu;
    return gpu;
}

}  // namespace

int install_stand_in_gpu() {
    backend::register_device_backend(Device::Kind::cuda, &the_gpu());
    return 1;
}

void set_stand_in_memory(std::size_t bytes) { the_gpu().limit = bytes; }

std::size_t stand_in_memory_in_use() { return the_gpu().in_use; }

std::size_t stand_in_replays() { return the_gpu().replays; }

std::size_t stand_in_failed_recordings() { return the_gpu().failed_recordings; }

}  // namespace mlp::testing
