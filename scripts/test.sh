#!/usr/bin/env bash
# Installs, builds and runs the whole test suite through CTest. With
# SANITIZE=1 it builds into build-asan with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs the suite there (the accuracy bar,
# which only repeats the optimized build's training, and the install test,
# whose consumer is not instrumented, are left out). Tests labelled slow
# (minutes of training, for bars stated in README.md) run with `ctest -L slow`.
# The Python package is built and its pytest suite runs as CTest tests too
# (label python), except under the sanitizers, whose runtime Python lacks.
# ONNX Runtime for Node is installed for the export's tests (label onnx).
set -euo pipefail
cd "$(dirname "$0")/.."
MLP_WITH_TESTS=1 scripts/install-deps.sh
scripts/install-onnxruntime.sh || echo "warning: ONNX Runtime for Node and the browser could not be installed; onnx.runtime and onnx.web will not run" >&2
if [ "${SANITIZE:-0}" = 1 ]; then
  BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo scripts/build.sh -DMLP_BUILD_TESTS=ON -DMLP_SANITIZE=address,undefined
  cd build-asan
  ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j"$(nproc)" -LE "accuracy|install"
else
  scripts/build.sh -DMLP_BUILD_TESTS=ON -DMLP_BUILD_PYTHON=ON
  cd build
  ctest --output-on-failure -j"$(nproc)" -LE slow
fi
