// Training throughput of mlp on Fashion-MNIST: samples/s over full epochs with
// shuffling, Adam and sparse categorical cross-entropy (as bench/torch_train.py).
// Usage: train_throughput HIDDEN (e.g. 128,64) BATCH EPOCHS [THREADS]
//   -> "SAMPLES_PER_S PEAK_RSS_MB LOADED_RSS_MB": the peak resident memory of
//   the whole process, and its resident memory once the data set (188 MB) is
//   loaded: training's own memory is the difference.
#include <sys/resource.h>
#include <unistd.h>

#include <mlp/mlp.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "fashion_mlp.hpp"

/// The process's resident memory now, from /proc/self/statm.
double resident_mb() {
    long pages = 0, resident = 0;
    if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s HIDDEN BATCH EPOCHS [THREADS]\n", argv[0]);
        return 2;
    }
    if (argc > 4) mlp::set_num_threads(std::atoi(argv[4]));
    const auto train = mlp::data::load_named("fashion-mnist", "train");
    const double loaded_mb = resident_mb();
    mlp::Sequential model = fashion_mlp(argv[1]);
    model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy");
    const std::int64_t batch = std::atoll(argv[2]);
    const int epochs = std::atoi(argv[3]);
    // One short warm-up fit sizes every buffer and wakes the threads.
    model.fit(train.x.rows(0, batch * 20), train.y.rows(0, batch * 20),
              {.epochs = 1, .batch_size = batch, .verbose = 0});
    const auto start = std::chrono::steady_clock::now();
    model.fit(train.x, train.y, {.epochs = epochs, .batch_size = batch, .verbose = 0});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%.1f %.1f %.1f\n", static_cast<double>(train.size()) * epochs / seconds,
                static_cast<double>(usage.ru_maxrss) / 1024.0, loaded_mb);
}
