// mlp.Communicator: the processes a fit trains over, as the core knows them.
// The core module has no MPI; mlp.distributed.mpi_world() (the module
// mlp._distributed, built with MPI) hands out the Open MPI one.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "bindings.hpp"
#include "mlp/distributed/communicator.hpp"

namespace mlp::python {

void bind_communicator(py::module_& m) {
    using distributed::Communicator;
    py::class_<Communicator, std::shared_ptr<Communicator>>(
        m, "Communicator",
        "Processes that train together: pass one to fit(..., communicator=...). "
        "mlp.distributed.mpi_world() gives those mpirun started.")
        .def_property_readonly("rank", &Communicator::rank, "This process's number, 0 to size - 1.")
        .def_property_readonly("size", &Communicator::size, "How many processes train together.")
        .def("__repr__", [](const Communicator& c) {
            return "<mlp.Communicator rank " + std::to_string(c.rank()) + " of " + std::to_string(c.size()) + ">";
        });
}

}  // namespace mlp::python
