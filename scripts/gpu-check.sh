#!/usr/bin/env bash
# The checks that need a GPU, in one run on a machine that has one (with the
# CUDA toolkit and compute-sanitizer): builds with the CUDA backend into
# build-gpu (architecture: this machine's GPU), runs the CUDA tests, then
# compute-sanitizer's memcheck and racecheck over them, and writes what it saw
# to ${OUT:-gpu-check}/ with summary.txt last. Exits 1 when a step fails.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-gpu-check}
mkdir -p "$out"
status=0
step() {  # NAME COMMAND...: runs it into $out/NAME.txt and records the outcome
  local name=$1
  shift
  local start=$SECONDS
  if "$@" > "$out/$name.txt" 2>&1; then
    echo "ok    $name ($((SECONDS - start)) s)" >> "$out/steps.txt"
  else
    echo "FAIL  $name ($((SECONDS - start)) s): see $name.txt" >> "$out/steps.txt"
    status=1
  fi
}
: > "$out/steps.txt"
step machine sh -c 'nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv; nvcc --version | tail -2; nproc'
step configure cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DMLP_WITH_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=native \
  -DMLP_BUILD_TESTS=ON -DMLP_BUILD_PYTHON=OFF -DMLP_BUILD_EXAMPLES=OFF -DMLP_BUILD_PLAYGROUND=OFF -DMLP_WERROR=ON
step build cmake --build build-gpu -j"$(nproc)" --target cuda_test device_test mlp_cli
step version build-gpu/tools/mlp/mlp version
step cuda_test build-gpu/tests/cuda_test
step memcheck compute-sanitizer --tool memcheck --leak-check full --error-exitcode 1 build-gpu/tests/cuda_test
step racecheck compute-sanitizer --tool racecheck --error-exitcode 1 build-gpu/tests/cuda_test
{
  cat "$out/steps.txt"
  echo
  cat "$out/machine.txt" "$out/version.txt" 2>/dev/null
  grep -E "^\[  (PASSED|FAILED|SKIPPED) " "$out/cuda_test.txt" 2>/dev/null
  grep -E "ERROR SUMMARY|RACECHECK SUMMARY" "$out/memcheck.txt" "$out/racecheck.txt" 2>/dev/null
} > "$out/summary.txt"
cat "$out/summary.txt"
exit $status
