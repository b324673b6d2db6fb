// The Communicator over MPI_COMM_WORLD. Errors return (MPI_ERRORS_RETURN) and
// become IOError naming the call; abort() is MPI_Abort, which mpirun turns
// into the end of every process. Started sums run on a thread of their own,
// one MPI_Allreduce after another, while the caller computes: Open MPI moves
// a sum forward only inside a call, and its blocking allreduce is faster than
// MPI_Iallreduce polled between layers. Every other call first waits for
// them, which keeps the calls in the same order on every process.
#include <mpi.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "job_thread.hpp"
#include "mlp/core/error.hpp"
#include "mlp/distributed/mpi.hpp"

namespace mlp::distributed {

namespace {

void check(int code, const char* call) {
    if (code == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(code, text, &length);
    throw IOError(std::string(call) + " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

MPI_Datatype datatype(const TensorView& t) {
    if (t.dtype() == DType::f64) return MPI_DOUBLE;
    if (t.dtype() == DType::f32) return MPI_FLOAT;
    throw ConfigError("distributed: only float32 and float64 tensors travel between processes");
}

/// Runs `call(pointer, count)` over `t` in pieces MPI's int count can hold.
template <class Call>
void in_pieces(const TensorView& t, Call call) {
    const std::int64_t element = t.dtype() == DType::f64 ? 8 : 4;
    char* data = static_cast<char*>(t.raw());
    for (std::int64_t done = 0; done < t.numel();) {
        const std::int64_t n = std::min<std::int64_t>(t.numel() - done, INT_MAX);
        call(data + done * element, static_cast<int>(n));
        done += n;
    }
}

class MpiWorld final : public Communicator {
public:
    MpiWorld() {
        int initialized = 0;
        MPI_Initialized(&initialized);
        if (!initialized) {
            int provided = 0;
            // The thread that calls fit() and the one that runs started sums talk to MPI; OpenMP's workers never do.
            if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS)
                throw IOError("MPI_Init_thread failed: is this an MPI launch (mpirun, mpiexec, srun)?");
            std::atexit([] {
                int finalized = 0;
                MPI_Finalized(&finalized);
                if (!finalized) MPI_Finalize();
            });
        }
        int threads = MPI_THREAD_SINGLE;
        MPI_Query_thread(&threads);
        if (threads == MPI_THREAD_MULTIPLE) sums_ = std::make_unique<JobThread>();  // else start_sum sums at once
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }

    int rank() const override { return rank_; }
    int size() const override { return size_; }

    void allreduce_sum(const TensorView& values) override {
        finish_sums();
        allreduce(values, MPI_SUM, "MPI_Allreduce (sum)");
    }
    void allreduce_max(const TensorView& values) override {
        finish_sums();
        allreduce(values, MPI_MAX, "MPI_Allreduce (max)");
    }

    void start_sum(const TensorView& values) override {
        if (!sums_) return allreduce(values, MPI_SUM, "MPI_Allreduce (sum)");
        datatype(values);  // refused here, on the caller's thread
        sums_->post([this, values] { allreduce(values, MPI_SUM, "MPI_Allreduce (started sum)"); });
    }
    void finish_sums() override {
        if (sums_) sums_->wait();
    }

    void broadcast(const TensorView& values, int root) override {
        finish_sums();
        const MPI_Datatype type = datatype(values);
        in_pieces(values,
                  [&](void* data, int n) { check(MPI_Bcast(data, n, type, root, MPI_COMM_WORLD), "MPI_Bcast"); });
    }

    std::vector<std::vector<double>> allgather(const std::vector<double>& values) override {
        finish_sums();
        const int mine = static_cast<int>(values.size());
        std::vector<int> counts(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
        check(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
        long long total = 0;
        for (int r = 0; r < size_; ++r) {
            offsets[static_cast<std::size_t>(r)] = static_cast<int>(total);
            total += counts[static_cast<std::size_t>(r)];
        }
        if (total > INT_MAX) throw IOError("MPI_Allgatherv: more values than MPI counts in one call");
        std::vector<double> all(static_cast<std::size_t>(total));
        check(MPI_Allgatherv(values.data(), mine, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE,
                             MPI_COMM_WORLD),
              "MPI_Allgatherv");
        std::vector<std::vector<double>> out;
        for (int r = 0; r < size_; ++r) {
            const auto first = all.begin() + offsets[static_cast<std::size_t>(r)];
            out.emplace_back(first, first + counts[static_cast<std::size_t>(r)]);
        }
        return out;
    }

    [[noreturn]] void abort(const std::string& message) override {
        std::fprintf(stderr, "mlp: rank %d of %d: %s; stopping every rank\n", rank_, size_, message.c_str());
        std::fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, 1);
        std::_Exit(1);  // MPI_Abort does not return; should it, this process ends anyway
    }

private:
    void allreduce(const TensorView& values, MPI_Op op, const char* what) {
        const MPI_Datatype type = datatype(values);
        in_pieces(values, [&](void* data, int n) {
            check(MPI_Allreduce(MPI_IN_PLACE, data, n, type, op, MPI_COMM_WORLD), what);
        });
    }

    int rank_ = 0;
    int size_ = 1;
    std::unique_ptr<JobThread> sums_;  // with MPI_THREAD_MULTIPLE
};

}  // namespace

std::shared_ptr<Communicator> mpi_world() {
    static const std::shared_ptr<Communicator> world = std::make_shared<MpiWorld>();
    return world;
}

bool launched_by_mpi() {
    for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
        if (std::getenv(variable) != nullptr) return true;
    return false;
}

}  // namespace mlp::distributed
