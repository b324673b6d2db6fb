// The extension module mlp._distributed, built where Open MPI is: the
// processes mpirun started, as an mlp.Communicator. Linked apart from mlp._core
// so that `import mlp` never loads MPI; mlp.distributed imports it on demand.
#include <pybind11/pybind11.h>

#include "mlp/distributed/mpi.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_distributed, m) {
    m.doc() = "Open MPI for mlp; use it through mlp.distributed.";
    py::module_::import("mlp._core");  // registers mlp.Communicator, which mpi_world returns
    m.def("mpi_world", &mlp::distributed::mpi_world,
          "The processes mpirun started (MPI_COMM_WORLD); the first call initializes MPI.");
    m.def("launched_by_mpi", &mlp::distributed::launched_by_mpi,
          "Whether mpirun, mpiexec or srun started this process as one of several.");
}
