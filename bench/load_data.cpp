// Loading Fashion-MNIST's 60,000 training images from .gz: wall time (median
// of ROUNDS, default 5) and the memory the loaded data set holds, as resident
// memory after loading minus before, against the float data itself. Also
// compares with numpy + gzip reading the same file, when asked to print the
// command for it.
//
//   load_data [rounds]
#include <mlp/mlp.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

/// Resident memory in bytes, from /proc/self/statm.
double resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    double size = 0, resident = 0;
    statm >> size >> resident;
    return resident * 4096.0;
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
    const auto info = mlp::data::dataset_info("fashion-mnist");
    if (!info.installed) {
        std::fprintf(stderr, "fashion-mnist is not installed: mlp data install fashion-mnist\n");
        return 1;
    }
    const std::string dir = info.location;
    std::vector<double> seconds;
    double held = 0, data_bytes = 0;
    for (int r = 0; r < rounds; ++r) {
        const double before = resident_bytes();
        const auto start = std::chrono::steady_clock::now();
        const auto train =
            mlp::data::load_idx(dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz");
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        held = resident_bytes() - before;
        data_bytes = static_cast<double>(train.x.numel() + train.y.numel()) * sizeof(float);
    }
    std::sort(seconds.begin(), seconds.end());
    std::printf("load_idx(fashion-mnist train, .gz): median %.3f s over %d rounds (min %.3f, max %.3f)\n",
                seconds[seconds.size() / 2], rounds, seconds.front(), seconds.back());
    std::printf("memory held after loading: %.1f MB for %.1f MB of float data (overhead %.1f%%)\n", held / 1e6,
                data_bytes / 1e6, 100.0 * (held - data_bytes) / data_bytes);
    return 0;
}
