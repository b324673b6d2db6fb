// Run by mpiexec -n K: every process trains the same models data-parallel
// (FitOptions::communicator = mpi_world()), and rank 0 trains each again alone
// with the same global batch and compares: the final weights within 1e-10
// relative in float64 and 1e-5 in float32 (each tensor's largest difference
// over its largest value), History's loss, accuracy and validation figures
// alike. The data (193 rows, batches of 32) end in a batch of one row, which
// leaves most processes without rows; one model has Dropout, whose masks
// follow the global row.
//   mpiexec -n K data_parallel_main
#include <mlp/distributed/mpi.hpp>
#include <mlp/mlp.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

struct Case {
    std::string name;
    mlp::DType dtype;
    bool dropout;
    double tolerance;
};

mlp::Sequential model(const Case& c) {
    mlp::Sequential m(0, {.seed = 7, .dtype = c.dtype});
    m.add(mlp::Dense(16, "tanh"));
    if (c.dropout) m.add(mlp::Dropout(0.25));
    m.add(mlp::Dense(16, "relu", {.kernel_regularizer = mlp::l2(1e-3)})).add(mlp::Dense(3, "softmax"));
    m.build(2);
    m.compile(mlp::Adam{.lr = 1e-2}, "sparse_categorical_crossentropy", {"accuracy"});
    return m;
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

}  // namespace

int main() {
    const auto world = mlp::distributed::mpi_world();
    const mlp::data::Dataset data = mlp::data::spirals(215, 3, 0.2, 5);  // 193 training rows after the split
    int failed = 0;
    for (const Case& c : {Case{"float64", mlp::DType::f64, false, 1e-10}, Case{"float32", mlp::DType::f32, false, 1e-5},
                          Case{"float64 with dropout", mlp::DType::f64, true, 1e-10}}) {
        const mlp::FitOptions options{.epochs = 2, .batch_size = 32, .validation_split = 0.1, .verbose = 0, .seed = 11};
        mlp::Sequential parallel = model(c);
        mlp::FitOptions shared = options;
        shared.communicator = world;
        const mlp::History h_parallel = parallel.fit(data.x.view(), data.y.view(), shared);
        if (world->rank() != 0) continue;
        mlp::Sequential alone = model(c);
        const mlp::History h_alone = alone.fit(data.x.view(), data.y.view(), options);
        const double worst = difference(parallel, alone, h_parallel, h_alone);
        const bool ok = worst <= c.tolerance;
        std::printf("%s %s, %d processes: max relative difference %.3g from one process (tolerance %g)\n",
                    ok ? "ok" : "FAIL", c.name.c_str(), world->size(), worst, c.tolerance);
        failed += ok ? 0 : 1;
    }
    if (world->rank() == 0 && failed == 0)
        std::printf("data-parallel training on %d processes equals one process\n", world->size());
    return failed == 0 ? 0 : 1;
}
