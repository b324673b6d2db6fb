// See processes.hpp. MLP_CLI_WITH_MPI is set when the build found Open MPI
// and links the command with mlp::distributed.
#include "processes.hpp"

#include <cstdlib>
#include <string>

#include "mlp/core/error.hpp"
#ifdef MLP_CLI_WITH_MPI
#include "mlp/distributed/mpi.hpp"
#endif

namespace mlp::cli {

namespace {
std::shared_ptr<distributed::Communicator> started;  // the processes this one trains with, once asked
}  // namespace

std::shared_ptr<distributed::Communicator> launched_processes() {
#ifdef MLP_CLI_WITH_MPI
    if (!distributed::launched_by_mpi()) return nullptr;
    auto world = distributed::mpi_world();
    if (world->size() > 1) started = world;
    return started;
#else
    const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
    if (size != nullptr && std::atoi(size) > 1)
        throw ConfigError("mpirun started " + std::string(size) +
                          " processes, but this mlp was built without Open MPI: each would train alone. Install "
                          "libopenmpi-dev (MLP_WITH_TESTS=1 scripts/install-deps.sh) and build again");
    return nullptr;
#endif
}

void stop_other_processes(const std::string& message) {
    if (started) started->abort(message);
}

}  // namespace mlp::cli
