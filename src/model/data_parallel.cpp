// Data-parallel training's agreements between processes: see data_parallel.hpp.
#include "data_parallel.hpp"

#include <algorithm>
#include <cmath>

#include "mlp/core/error.hpp"
#include "named_weights.hpp"

namespace mlp {

BatchShard shard_of(std::int64_t rows, distributed::Communicator* comm) {
    if (comm == nullptr) return {.offset = 0, .rows = rows, .total = rows};
    const int rank = comm->rank();
    const std::int64_t base = rows / comm->size(), extra = rows % comm->size();
    return {.offset = rank * base + std::min<std::int64_t>(rank, extra),
            .rows = base + (rank < extra ? 1 : 0),
            .total = rows,
            .sum_over_processes = [comm](const TensorView& v) { comm->allreduce_sum(v); }};
}

GradientSums::GradientSums(distributed::Communicator& comm, const TensorView& grads, double bucket_mb)
    : comm_(comm),
      grads_(grads),
      produced_(grads.numel()),
      started_(grads.numel()),
      // (at most 2^62 elements: a bucket_mb of 1e300 is one bucket, not an overflow)
      bucket_elements_(static_cast<std::int64_t>(
          std::min(std::ceil(bucket_mb * 1e6 / static_cast<double>(size_of(grads.dtype()))), 0x1p62))) {}

void GradientSums::layer_done(std::int64_t count) {
    produced_ -= count;
    if (started_ - produced_ >= bucket_elements_) start(produced_, started_);
}

void GradientSums::finish() {
    // The last bucket is summed on this thread: nothing is left to overlap it
    // with, and a small model, all in one bucket, pays no hand-over.
    if (started_ > 0) comm_.allreduce_sum(grads_.rows(0, started_));
    started_ = 0;
    comm_.finish_sums();
}

void GradientSums::start(std::int64_t first, std::int64_t end) {
    if (end > first) comm_.start_sum(grads_.rows(first, end - first));
    started_ = first;
}

void check_same_setup(distributed::Communicator& comm, const std::vector<std::pair<std::string, double>>& facts) {
    // The maximum of v and of -v: every process learns the largest and the smallest of each.
    std::vector<double> bounds;
    for (const auto& [name, value] : facts) {
        bounds.push_back(value);
        bounds.push_back(-value);
    }
    comm.allreduce_max(TensorView(bounds.data(), Shape{static_cast<std::int64_t>(bounds.size())}, DType::f64));
    for (std::size_t i = 0; i < facts.size(); ++i) {
        const double most = bounds[2 * i], least = -bounds[2 * i + 1];
        if (most == least || (std::isnan(most) && std::isnan(least))) continue;
        char range[96];
        std::snprintf(range, sizeof range, "from %.17g to %.17g", least, most);
        throw ConfigError("fit: the " + std::to_string(comm.size()) + " processes disagree on " + facts[i].first +
                          " (" + range + "; rank " + std::to_string(comm.rank()) + " has " +
                          std::to_string(facts[i].second) +
                          "): every process must build the same model and pass the same data and options");
    }
}

void broadcast_weights(distributed::Communicator& comm, const Sequential& model) {
    comm.broadcast(model.parameters(), 0);  // one arena: one message
    broadcast_buffers(comm, model);
}

void broadcast_buffers(distributed::Communicator& comm, const Sequential& model) {
    for (std::size_t l = 0; l < model.size(); ++l)
        for (const auto& [name, buffer] : model.layer(l).buffers()) comm.broadcast(buffer, 0);
}

void pool_metrics(distributed::Communicator& comm, const std::vector<std::unique_ptr<Metric>>& metrics) {
    for (const auto& m : metrics) {
        const std::vector<std::vector<double>> states = comm.allgather(m->state());
        m->restore(states[0]);
        for (std::size_t r = 1; r < states.size(); ++r) m->merge(states[r]);
    }
}

namespace {

template <class T>
std::pair<double, double> sums(const T* values, std::int64_t n) {
    double sum = 0.0, squares = 0.0;
    for (std::int64_t i = 0; i < n; ++i) {
        const double v = static_cast<double>(values[i]);
        sum += v;
        squares += v * v;
    }
    return {sum, squares};
}

}  // namespace

std::pair<double, double> fingerprint(const TensorView& x) {
    // fit's data are contiguous views in the model's dtype: a plain loop, not item() per value.
    const auto [sum, squares] =
        x.dtype() == DType::f64 ? sums(x.data<double>(), x.numel()) : sums(x.data<float>(), x.numel());
    return {sum + static_cast<double>(x.rows()), squares + static_cast<double>(x.numel())};
}

}  // namespace mlp
