// Data-parallel training throughput on Fashion-MNIST, as train_throughput.cpp
// but over the processes mpirun started (one process without mpirun): full
// shuffled epochs, Adam, sparse categorical cross-entropy, global batch BATCH.
// Usage: [mpirun -np K] distributed_throughput HIDDEN BATCH EPOCHS [THREADS]
//   -> rank 0 prints "SAMPLES_PER_S COMMUNICATION_FRACTION": samples of the
//   whole job per second, and the part of the time rank 0 spent inside the
//   sums over processes (waiting for the others included).
#include <mlp/distributed/mpi.hpp>
#include <mlp/mlp.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "fashion_mlp.hpp"

namespace {

using Clock = std::chrono::steady_clock;

/// The processes, with a stopwatch around every collective call.
class Timed final : public mlp::distributed::Communicator {
public:
    explicit Timed(std::shared_ptr<mlp::distributed::Communicator> inner) : inner_(std::move(inner)) {}
    int rank() const override { return inner_->rank(); }
    int size() const override { return inner_->size(); }
    void allreduce_sum(const mlp::TensorView& v) override {
        timed([&] { inner_->allreduce_sum(v); });
    }
    void allreduce_max(const mlp::TensorView& v) override {
        timed([&] { inner_->allreduce_max(v); });
    }
    void start_sum(const mlp::TensorView& v) override {
        timed([&] { inner_->start_sum(v); });
    }
    void finish_sums() override {
        timed([&] { inner_->finish_sums(); });
    }
    void broadcast(const mlp::TensorView& v, int root) override {
        timed([&] { inner_->broadcast(v, root); });
    }
    std::vector<std::vector<double>> allgather(const std::vector<double>& v) override {
        std::vector<std::vector<double>> out;
        timed([&] { out = inner_->allgather(v); });
        return out;
    }
    [[noreturn]] void abort(const std::string& message) override {
        inner_->abort(message);
        std::_Exit(1);  // not reached: the inner abort does not return
    }
    double seconds = 0.0;

private:
    template <class F>
    void timed(F call) {
        const auto start = Clock::now();
        call();
        seconds += std::chrono::duration<double>(Clock::now() - start).count();
    }
    std::shared_ptr<mlp::distributed::Communicator> inner_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: [mpirun -np K] %s HIDDEN BATCH EPOCHS [THREADS]\n", argv[0]);
        return 2;
    }
    if (argc > 4) mlp::set_num_threads(std::atoi(argv[4]));
    std::shared_ptr<Timed> processes;
    if (mlp::distributed::launched_by_mpi()) processes = std::make_shared<Timed>(mlp::distributed::mpi_world());
    const auto train = mlp::data::load_named("fashion-mnist", "train");
    mlp::Sequential model = fashion_mlp(argv[1]);
    model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy");
    const std::int64_t batch = std::atoll(argv[2]);
    const int epochs = std::atoi(argv[3]);
    mlp::FitOptions options{.epochs = 1, .batch_size = batch, .verbose = 0};
    options.communicator = processes;
    // One short warm-up fit sizes every buffer and wakes the threads.
    model.fit(train.x.rows(0, batch * 20), train.y.rows(0, batch * 20), options);
    if (processes) processes->seconds = 0.0;
    options.epochs = epochs;
    const auto start = Clock::now();
    model.fit(train.x, train.y, options);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!processes || processes->rank() == 0)
        std::printf("%.1f %.3f\n", static_cast<double>(train.size()) * epochs / seconds,
                    processes ? processes->seconds / seconds : 0.0);
}
