// The extension module mlp._cuda, built where the CUDA toolkit is: enabling
// the CUDA backend. Linked apart from mlp._core so that `import mlp` never
// loads CUDA; Sequential.to("cuda") imports it on demand.
#include <pybind11/pybind11.h>

#include <string>

#include "mlp/core/device.hpp"
#include "mlp/cuda/cuda.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_cuda, m) {
    m.doc() = "The CUDA backend for mlp; Sequential.to('cuda') enables it.";
    m.def("enable", &mlp::cuda::enable, "Registers the CUDA backend; returns the number of GPUs.");
    m.def("status", &mlp::cuda_status, "The CUDA runtime and the GPUs, or why there are none.");
    m.def(
        "set_matmul_precision",
        [](const std::string& name) { mlp::cuda::set_matmul_precision(mlp::cuda::matmul_precision_named(name)); },
        "float32, tf32 or bf16 (mlp.set_matmul_precision checks the name).");
    m.def("matmul_precision",
          [] { return std::string(mlp::cuda::matmul_precision_name(mlp::cuda::matmul_precision())); });
}
