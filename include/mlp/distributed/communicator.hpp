// What data-parallel training needs from the processes it runs on: who this
// one is, and sums, maxima and broadcasts over all of them. fit() takes one
// (FitOptions::communicator) and then trains as one process would on the
// whole batch: every process gets a share of each global mini-batch, and the
// gradients are summed before every optimizer step.
//
// The library itself knows only this interface. The Open MPI implementation
// lives in its own target, mlp::distributed (mlp/distributed/mpi.hpp), which a
// program links only when it asks for it.
#pragma once

#include <string>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp::distributed {

class Communicator {
public:
    virtual ~Communicator() = default;

    /// This process's number, 0 to size() - 1; rank 0 prints and writes files.
    virtual int rank() const = 0;
    /// How many processes train together.
    virtual int size() const = 0;

    /// Replaces `values` (float32 or float64, any shape) by their sum over all
    /// processes; every process gets the same bits.
    virtual void allreduce_sum(const TensorView& values) = 0;
    /// Starts replacing `values` by their sum over all processes, and may return
    /// before it is done: fit() starts the sum of each layer's gradients as soon
    /// as the backward pass has produced them, while it goes back through the
    /// layers below. Every process starts the same sums in the same order; the
    /// values are summed once finish_sums() has returned, and nothing may touch
    /// them before. Every other call waits for the started sums first, so the
    /// calls stay in one order on every process. This default sums at once.
    virtual void start_sum(const TensorView& values) { allreduce_sum(values); }
    /// Waits for every sum start_sum() began, and throws the failure of any.
    virtual void finish_sums() {}
    /// Replaces `values` by their maximum over all processes.
    virtual void allreduce_max(const TensorView& values) = 0;
    /// Copies `values` from process `root` to every other.
    virtual void broadcast(const TensorView& values, int root) = 0;
    /// Every process's `values`, in rank order (their lengths may differ).
    virtual std::vector<std::vector<double>> allgather(const std::vector<double>& values) = 0;
    /// Ends every process at once, after printing `message` naming this rank:
    /// for a failure on one process, which the others would wait for forever.
    [[noreturn]] virtual void abort(const std::string& message) = 0;
};

}  // namespace mlp::distributed
