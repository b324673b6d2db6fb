# Third-party dependencies, all from Debian packages (scripts/install-deps.sh).
# OpenMP: its simd loops, and the thread count OpenBLAS follows. Without it
# (WebAssembly) the loops still vectorize through -fopenmp-simd.
if(MLP_WITH_BLAS)
  find_package(OpenMP REQUIRED COMPONENTS CXX)
else()
  find_package(OpenMP COMPONENTS CXX)
endif()
if(NOT TARGET OpenMP::OpenMP_CXX)
  add_library(OpenMP::OpenMP_CXX INTERFACE IMPORTED)
  target_compile_options(OpenMP::OpenMP_CXX INTERFACE -fopenmp-simd)
endif()
find_package(Threads REQUIRED)
if(MLP_WITH_ZLIB)
  find_package(ZLIB REQUIRED)
endif()
if(EMSCRIPTEN)
  # Debian's nlohmann headers alone: the rest of /usr/include would shadow
  # emscripten's own C library.
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/json-include)
  file(CREATE_LINK /usr/include/nlohmann ${CMAKE_BINARY_DIR}/json-include/nlohmann SYMBOLIC)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE ${CMAKE_BINARY_DIR}/json-include)
else()
  find_package(nlohmann_json 3 REQUIRED)
endif()

# OpenBLAS built for OpenMP: it takes its thread count from the calling
# thread's OpenMP setting, which the backend holds at 1 around its calls (its
# own team splits the products), so OpenBLAS starts no threads of its own.
add_library(mlp_openblas INTERFACE)
if(MLP_WITH_BLAS)
  set(_mlp_blas_arch_dir /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE})
  find_library(MLP_OPENBLAS_LIBRARY NAMES openblas
               HINTS ${_mlp_blas_arch_dir}/openblas-openmp NO_DEFAULT_PATH)
  if(NOT MLP_OPENBLAS_LIBRARY)
    message(WARNING "OpenMP build of OpenBLAS not found (apt-get install libopenblas-openmp-dev); using any OpenBLAS")
    find_library(MLP_OPENBLAS_LIBRARY NAMES openblas REQUIRED)
  endif()
  find_path(MLP_CBLAS_INCLUDE_DIR cblas.h
            HINTS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp /usr/include/openblas REQUIRED)
  target_link_libraries(mlp_openblas INTERFACE ${MLP_OPENBLAS_LIBRARY})
  target_include_directories(mlp_openblas SYSTEM INTERFACE ${MLP_CBLAS_INCLUDE_DIR})
  target_compile_definitions(mlp_openblas INTERFACE MLP_WITH_BLAS)
else()
  message(STATUS "MLP_WITH_BLAS is off: matrix products use the library's own blocked product")
endif()

# Open MPI, for the data-parallel target mlp::distributed (libopenmpi-dev, openmpi-bin).
if(MLP_WITH_MPI)
  set(MPI_CXX_SKIP_MPICXX ON)  # MPI's C API from C++; not the deprecated C++ bindings
  find_package(MPI COMPONENTS CXX QUIET)
  if(NOT MPI_CXX_FOUND)
    message(STATUS "MPI not found (apt-get install libopenmpi-dev openmpi-bin): mlp::distributed is not built")
    set(MLP_WITH_MPI OFF)
  endif()
endif()

# ONNX's protobuf messages, for export and import (libonnx-dev, libprotobuf-dev).
if(MLP_WITH_ONNX)
  find_package(Protobuf QUIET)
  find_package(ONNX CONFIG QUIET)
  if(NOT ONNX_FOUND OR NOT TARGET onnx_proto)
    message(WARNING "ONNX not found (apt-get install libonnx-dev libprotobuf-dev): export_onnx and load_onnx will say so")
    set(MLP_WITH_ONNX OFF)
  endif()
endif()
