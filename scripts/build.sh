#!/usr/bin/env bash
# Configures and builds mlp into ${BUILD_DIR:-build}; extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-Release} -DMLP_WERROR=ON "$@"
cmake --build "$build_dir" -j"$(nproc)"
