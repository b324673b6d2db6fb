// Thread count of the CPU backend: the size of its team (thread_team.hpp). The
// team starts with OpenMP's count, so OMP_NUM_THREADS sets it as in any OpenMP
// program; set_num_threads keeps OpenMP's setting equal to it.
#ifdef _OPENMP
#include <omp.h>
#endif

#include <string>

#include "mlp/core/error.hpp"
#include "mlp/core/threads.hpp"
#include "thread_team.hpp"

namespace mlp {

void set_num_threads(int n) {
    // Past a thousand threads each waits far longer than it works: a typo, not a setting.
    if (n < 1 || n > 1024) throw ConfigError("set_num_threads: need 1 to 1024 threads, got " + std::to_string(n));
#ifdef _OPENMP
    omp_set_num_threads(n);
#endif
    backend::cpu::set_team_size(n);
}

int num_threads() { return backend::cpu::team().size(); }

}  // namespace mlp
