// What fit() does differently when several processes train together
// (FitOptions::communicator): agree on the setup, start from rank 0's weights,
// split each global batch, and pool the metrics.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mlp/distributed/communicator.hpp"
#include "mlp/metrics/metric.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp {

/// This process's part of a batch of `rows`, split as evenly as it goes over
/// `comm`'s processes: the first rows % size take one row more (a process may
/// get none of a short last batch). Without `comm`, the whole batch.
BatchShard shard_of(std::int64_t rows, distributed::Communicator* comm);

/// The gradients' sum over the processes, started in buckets as the backward
/// pass produces them, from the last layer back (as DDP does): a bucket's sum
/// runs while the layers below it go back. The buckets depend only on the
/// layers' sizes, so every process starts the same sums in the same order.
class GradientSums {
public:
    /// Buckets of `bucket_mb` MB (FitOptions::bucket_mb).
    GradientSums(distributed::Communicator& comm, const TensorView& grads, double bucket_mb);
    /// The layer just gone back through holds the `count` gradients before those of the layers after it.
    void layer_done(std::int64_t count);
    /// Starts the sum of what is left and waits for every sum.
    void finish();

private:
    void start(std::int64_t first, std::int64_t end);

    distributed::Communicator& comm_;
    TensorView grads_;
    std::int64_t produced_;  // [produced_, end) hold their final values
    std::int64_t started_;   // [started_, end) are being summed
    std::int64_t bucket_elements_;
};

/// Throws ConfigError, on every process alike, naming the first of `facts`
/// (name, value) on which the processes differ: started with another
/// architecture, other data, another batch size, they would wait on each
/// other forever or train on nonsense.
void check_same_setup(distributed::Communicator& comm, const std::vector<std::pair<std::string, double>>& facts);

/// Rank 0's parameters and buffers (BatchNormalization's moving statistics) to every process.
void broadcast_weights(distributed::Communicator& comm, const Sequential& model);
/// Rank 0's buffers alone: per-process batch statistics leave each its own.
void broadcast_buffers(distributed::Communicator& comm, const Sequential& model);

/// Each metric's state over every process's rows, on every process.
void pool_metrics(distributed::Communicator& comm, const std::vector<std::unique_ptr<Metric>>& metrics);

/// A fingerprint of x's values (their sum and the sum of their squares,
/// folded with the shape): other data on one process shows in it.
std::pair<double, double> fingerprint(const TensorView& x);

}  // namespace mlp
