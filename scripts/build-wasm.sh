#!/usr/bin/env bash
# The library compiled to WebAssembly with Debian's emscripten, into
# build-wasm/: the portable backend path (the library's own blocked product,
# no BLAS, no OpenMP threads, no zlib), WebAssembly SIMD, C++ exceptions (the
# library's errors; emscripten leaves them out unless asked), and the programs
# of web/. Needs emscripten (MLP_WITH_WASM=1 scripts/install-deps.sh). Extra
# arguments go to CMake; MLP_WASM_BUILD_DIR builds elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v emcmake > /dev/null || { echo "emscripten not found: MLP_WITH_WASM=1 scripts/install-deps.sh" >&2; exit 2; }
# emscripten's JavaScript tools need Debian's acorn, where a node from
# elsewhere does not look for it.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
dir=${MLP_WASM_BUILD_DIR:-build-wasm}
emcmake cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DCMAKE_CXX_FLAGS="-msimd128 -fexceptions" \
  -DCMAKE_EXE_LINKER_FLAGS=-fexceptions \
  -DMLP_WITH_BLAS=OFF -DMLP_WITH_ZLIB=OFF -DMLP_WITH_ONNX=OFF -DMLP_WITH_MPI=OFF \
  -DMLP_BUILD_TESTS=OFF -DMLP_BUILD_TOOLS=OFF -DMLP_BUILD_EXAMPLES=OFF -DMLP_BUILD_PYTHON=OFF "$@"
cmake --build "$dir" -j "$(nproc)"
