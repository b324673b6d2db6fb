// Data-parallel training checked against one process, run by mpiexec -n K:
//
//   data_parallel_main equal DIR   every process trains the same models with
//       FitOptions::communicator = mpi_world(); rank 0 trains each again alone
//       with the same global batch and compares: the final weights within 1e-10
//       relative in float64 and 1e-5 in float32 (each tensor's largest
//       difference over its largest value), History's loss, accuracy and
//       validation figures alike. The data (193 rows, batches of 32) end in a
//       batch of one row, which leaves most processes without rows. Dropout's
//       masks follow the global row, and a synchronized BatchNormalization's
//       statistics are the whole batch's, so those models equal one process's
//       too; with per-process statistics (DDP's default) the processes still
//       hold identical weights at the end. Tiny buckets (FitOptions::bucket_mb)
//       sum each layer's gradients while the layers below go back, between
//       the synchronized statistics' own sums. Then a run stopped
//       mid-epoch by rank 0 leaves a checkpoint that all K processes, and rank 0
//       alone, continue to the same weights.
//   data_parallel_main fail DIR    trains with a checkpoint per epoch; the last
//       rank raises in epoch 2, which must end every process (MPI_Abort).
//   data_parallel_main die DIR     the same, but the last rank is killed
//       (SIGKILL): no word from it, mpirun must notice and end the others.
//   data_parallel_main resume DIR  (one process) the checkpoint `fail` left
//       loads and finishes training.
#include <mlp/distributed/mpi.hpp>
#include <mlp/mlp.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Case {
    std::string name;
    mlp::DType dtype;
    bool dropout;
    double tolerance;
    bool batchnorm = false;
    bool synchronized = true;
    double bucket_mb = 25.0;  // tiny: each layer's gradients summed while the layers below go back
};

const Case float64_dropout{"float64 with dropout", mlp::DType::f64, true, 1e-10};

mlp::Sequential model(const Case& c) {
    mlp::Sequential m(0, {.seed = 7, .dtype = c.dtype});
    m.add(mlp::Dense(16, "tanh"));
    if (c.batchnorm) m.add(mlp::BatchNormalization({.synchronized = c.synchronized}));
    if (c.dropout) m.add(mlp::Dropout(0.25));
    m.add(mlp::Dense(16, "relu", {.kernel_regularizer = mlp::l2(1e-3)})).add(mlp::Dense(3, "softmax"));
    m.build(2);
    m.compile(mlp::Adam{.lr = 1e-2}, "sparse_categorical_crossentropy", {"accuracy"});
    return m;
}

const mlp::data::Dataset& data() {
    static const mlp::data::Dataset d = mlp::data::spirals(215, 3, 0.2, 5);  // 193 training rows after the split
    return d;
}

mlp::FitOptions options(int epochs) {
    return {.epochs = epochs, .batch_size = 32, .validation_split = 0.1, .verbose = 0, .seed = 11};
}

/// The largest difference between the two models' weights and Histories, each
/// tensor's (and each History series') relative to its largest magnitude.
double difference(const mlp::Sequential& a, const mlp::Sequential& b, const mlp::History& ha, const mlp::History& hb) {
    double worst = 0.0;
    auto compare = [&](auto value_a, auto value_b, std::int64_t n) {
        double diff = 0.0, scale = 0.0;
        for (std::int64_t i = 0; i < n; ++i) {
            diff = std::max(diff, std::abs(value_a(i) - value_b(i)));
            scale = std::max(scale, std::abs(value_b(i)));
        }
        worst = std::max(worst, diff / std::max(scale, 1e-12));
    };
    const auto wa = a.get_weights(), wb = b.get_weights();
    for (std::size_t t = 0; t < wa.size(); ++t)
        compare([&](std::int64_t i) { return wa[t].item(i); }, [&](std::int64_t i) { return wb[t].item(i); },
                wb[t].numel());
    for (const auto& key : hb.keys()) {
        const auto &sa = ha[key], &sb = hb[key];
        if (sa.size() != sb.size()) return HUGE_VAL;
        compare([&](std::int64_t e) { return sa[static_cast<std::size_t>(e)]; },
                [&](std::int64_t e) { return sb[static_cast<std::size_t>(e)]; }, static_cast<std::int64_t>(sb.size()));
    }
    return worst;
}

/// Every process waits here for all: a file rank 0 wrote is complete after it.
void barrier(mlp::distributed::Communicator& world) {
    double nothing = 0.0;
    world.allreduce_sum(mlp::TensorView(&nothing, mlp::Shape{1}, mlp::DType::f64));
}

bool report(bool ok, const std::string& what, double worst, double tolerance) {
    std::printf("%s %s: max relative difference %.3g from one process (tolerance %g)\n", ok ? "ok" : "FAIL",
                what.c_str(), worst, tolerance);
    return ok;
}

int equal(mlp::distributed::Communicator& world, const std::shared_ptr<mlp::distributed::Communicator>& shared,
          const std::string& dir) {
    const int size = world.size();
    int failed = 0;
    for (const Case& c :
         {Case{"float64", mlp::DType::f64, false, 1e-10}, Case{"float32", mlp::DType::f32, false, 1e-5},
          float64_dropout, Case{"float64, a bucket per layer", mlp::DType::f64, false, 1e-10, false, true, 1e-6},
          Case{"float64 with synchronized batch normalization and dropout", mlp::DType::f64, true, 1e-10, true},
          Case{"float64 with synchronized batch normalization and dropout, a bucket per layer", mlp::DType::f64, true,
               1e-10, true, true, 1e-6},
          Case{"float32 with synchronized batch normalization", mlp::DType::f32, false, 1e-5, true}}) {
        mlp::Sequential parallel = model(c);
        mlp::FitOptions with = options(2);
        with.communicator = shared;
        with.bucket_mb = c.bucket_mb;
        const mlp::History h_parallel = parallel.fit(data().x.view(), data().y.view(), with);
        if (world.rank() != 0) continue;
        mlp::Sequential alone = model(c);
        const mlp::History h_alone = alone.fit(data().x.view(), data().y.view(), options(2));
        const double worst = difference(parallel, alone, h_parallel, h_alone);
        failed += report(worst <= c.tolerance, c.name + ", " + std::to_string(size) + " processes", worst, c.tolerance)
                      ? 0
                      : 1;
    }
    {  // Per-process statistics: not one process's result, but every process ends with the same weights.
        mlp::Sequential m = model({"per-process batch normalization", mlp::DType::f64, true, 0.0, true, false});
        mlp::FitOptions with = options(2);
        with.communicator = shared;
        m.fit(data().x.view(), data().y.view(), with);
        std::vector<double> mine;
        for (const auto& w : m.get_weights())
            for (std::int64_t i = 0; i < w.numel(); ++i) mine.push_back(w.item(i));
        const auto all = world.allgather(mine);
        const bool same = std::all_of(all.begin(), all.end(), [&](const auto& w) { return w == all[0]; });
        if (world.rank() == 0)
            std::printf("%s per-process batch normalization, %d processes: the same weights on every process\n",
                        same ? "ok" : "FAIL", size);
        failed += same ? 0 : 1;
    }
    // Stopped by rank 0's stop button in epoch 2; the checkpoint continued to 4
    // epochs by all the processes, and by rank 0 alone.
    const std::string checkpoint = dir + "/stopped.safetensors";
    {
        mlp::Sequential first = model(float64_dropout);
        mlp::FitOptions with = options(4);
        with.communicator = shared;
        with.checkpoint = checkpoint;
        int batches = 0;
        with.stop_requested = [&] { return world.rank() == 0 && ++batches == 9; };
        first.fit(data().x.view(), data().y.view(), with);
        if (!first.progress().interrupted) {
            std::printf("FAIL: rank %d did not stop with rank 0\n", world.rank());
            return 1;
        }
    }
    barrier(world);
    mlp::Sequential continued = mlp::Sequential::load(checkpoint);
    mlp::FitOptions rest = options(4);
    rest.resume = true;
    rest.communicator = shared;
    const mlp::History h_continued = continued.fit(data().x.view(), data().y.view(), rest);
    if (world.rank() == 0) {
        mlp::Sequential alone = mlp::Sequential::load(checkpoint);
        rest.communicator = nullptr;
        const mlp::History h_alone = alone.fit(data().x.view(), data().y.view(), rest);
        const double worst = difference(continued, alone, h_continued, h_alone);
        failed += report(worst <= 1e-10,
                         "a checkpoint of " + std::to_string(size) + " processes stopped mid-epoch, resumed on " +
                             std::to_string(size) + " and on 1",
                         worst, 1e-10)
                      ? 0
                      : 1;
        if (failed == 0) std::printf("data-parallel training on %d processes equals one process\n", size);
    }
    return failed == 0 ? 0 : 1;
}

int fail(mlp::distributed::Communicator& world, const std::shared_ptr<mlp::distributed::Communicator>& shared,
         const std::string& dir, bool killed) {
    mlp::Sequential m = model(float64_dropout);
    mlp::FitOptions with = options(4);
    with.communicator = shared;
    with.checkpoint = dir + "/failed.safetensors";
    const int last = world.size() - 1;
    with.callbacks.emplace_back(mlp::LambdaCallback{.on_batch_end = [last, killed](mlp::TrainingState& state) {
        if (state.rank != last || state.epoch != 2 || state.batch != 3) return;
        if (killed) std::raise(SIGKILL);
        throw std::runtime_error("injected failure in epoch 2, batch 3");
    }});
    m.fit(data().x.view(), data().y.view(), with);
    std::printf("FAIL: rank %d finished training though rank %d failed\n", world.rank(), last);
    return 1;
}

int resume(const std::string& dir) {
    mlp::Sequential m = mlp::Sequential::load(dir + "/failed.safetensors");
    if (m.progress().epoch != 1) {
        std::printf("FAIL: the checkpoint holds %d epochs, not the 1 finished before the failure\n",
                    m.progress().epoch);
        return 1;
    }
    mlp::FitOptions rest = options(4);
    rest.resume = true;
    const mlp::History h = m.fit(data().x.view(), data().y.view(), rest);
    std::printf("the checkpoint left by the failed run resumes: %zu epochs, loss %.4f\n", h.epochs(), h["loss"].back());
    return h.epochs() == 4 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: mpiexec -n K %s equal|fail|die DIR, or %s resume DIR\n", argv[0], argv[0]);
        return 2;
    }
    const std::string mode = argv[1], dir = argv[2];
    std::filesystem::create_directories(dir);
    if (mode == "resume") return resume(dir);
    const auto world = mlp::distributed::mpi_world();
    if (mode == "fail" || mode == "die") return fail(*world, world, dir, mode == "die");
    return equal(*world, world, dir);
}
