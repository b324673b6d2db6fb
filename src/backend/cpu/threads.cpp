// Thread count of the CPU backend: one setting for OpenMP and OpenBLAS, which
// share OpenMP's pool.
#include <cblas.h>
#include <omp.h>

#include <string>

#include "mlp/core/error.hpp"
#include "mlp/core/threads.hpp"

namespace mlp {

void set_num_threads(int n) {
    if (n < 1) throw ConfigError("set_num_threads: need at least 1 thread, got " + std::to_string(n));
    omp_set_num_threads(n);
    openblas_set_num_threads(n);
}

int num_threads() { return omp_get_max_threads(); }

}  // namespace mlp
