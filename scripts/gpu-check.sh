#!/usr/bin/env bash
# The checks that need a GPU, on a machine that has one (the CUDA toolkit,
# CMake, compute-sanitizer, python3 with PyTorch; nothing to fetch from).
# Run scripts/gpu-bundle.sh on a machine with Debian's archive first and carry
# .gpu-bundle along. Writes each step's output to ${OUT:-gpu-check}/ and
# summary.txt last; exits 1 when a step fails. PART chooses what runs, so that
# each part fits in one call of about ten minutes:
#   PART=build    the library with CUDA (this GPU's architecture) and the GPU
#                 tests (tests/gpu), run; compute-sanitizer's memcheck and
#                 racecheck over the op tests and a short training run
#   PART=measure  the Fashion-MNIST recipe on the GPU (seeds 0, 1, 2; EPOCHS,
#                 default 10) against its bar, and bench/gpu.sh (ROUNDS, default 1),
#                 float32; (n) and the fused (n) with tf32 products too; and
#                 (b), (d'), (n) and the fused (n) with bf16 products
#   (unset)       both
# CUDA_ARCH overrides the architecture (default: the GPU's own, "native").
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-gpu-check}
part=${PART:-all}
build=build-gpu
deps=/tmp/mlp-gpu-deps
jobs=$(nproc)
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
touch "$out/steps.txt"
# The toolkit's programs, on PATH or where the toolkit usually is.
export PATH="$PATH:${CUDA_HOME:-/usr/local/cuda}/bin"

if [ "$part" = measure ] && [ ! -x "$build/gpu_fashion_mnist" ]; then
  echo "note  no build in $build (a fresh machine): building first" >> "$out/steps.txt"
  part=all
fi

if [ "$part" != measure ]; then
  step machine sh -c 'nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv;
    nvcc --version | tail -2; cmake --version | head -1; c++ --version | head -1; nproc; python3 -c "import torch; print(\"torch\", torch.__version__)"'
  # The Debian packages the image lacks, unpacked aside; googletest built from its sources.
  # dpkg where there is one, else the .deb's parts by hand (an ar archive holding data.tar.*).
  step deps sh -c "set -e; mkdir -p $deps /tmp/mlp-debs; for f in \$PWD/.gpu-bundle/debs/*.deb; do
      if command -v dpkg > /dev/null; then dpkg -x \"\$f\" $deps;
      else (cd /tmp/mlp-debs && rm -f data.tar.* && ar x \"\$f\" && tar -xf data.tar.* -C $deps); fi; done
    cmake -S $deps/usr/src/googletest -B /tmp/gtest-build -DCMAKE_BUILD_TYPE=Release -DBUILD_GMOCK=OFF \
      -DCMAKE_INSTALL_PREFIX=$deps/gtest
    cmake --build /tmp/gtest-build -j$jobs && cmake --install /tmp/gtest-build"
  # zlib where the image has it; OpenBLAS left out (the CPU side of the comparisons uses the library's own product).
  zlib=OFF
  printf '#include <zlib.h>\nint main(void) { return zlibVersion()[0] == 0; }\n' | cc -x c - -lz -o /tmp/zlib-test 2> /dev/null && zlib=ON
  step configure cmake -S tests/gpu -B $build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=${CUDA_ARCH:-native} \
    -DCMAKE_PREFIX_PATH="$deps/usr;$deps/gtest" -DMLP_WITH_BLAS=OFF -DMLP_WITH_ZLIB=$zlib -DMLP_WITH_ONNX=OFF \
    -DMLP_WITH_MPI=OFF -DMLP_WERROR=ON
  step build cmake --build $build -j"$jobs"
  for t in cuda_test cuda_ops_test cuda_model_test device_ops_test model_device_test; do
    step "$t" "$build/$t"
  done
  step memcheck compute-sanitizer --tool memcheck --leak-check full --error-exitcode 1 "$build/cuda_ops_test"
  step memcheck_training compute-sanitizer --tool memcheck --error-exitcode 1 "$build/cuda_model_test" \
    --gtest_filter='*OneFashionMnistStep*:*RecordedSteps*:*FusedDenseStack*'
  step racecheck compute-sanitizer --tool racecheck --error-exitcode 1 "$build/cuda_ops_test" \
    --gtest_filter='*Reductions*:*BatchNormalization*:*EveryLoss*:*Activation*:*DenseStack*'
  step racecheck_fused compute-sanitizer --tool racecheck --error-exitcode 1 "$build/cuda_test" \
    --gtest_filter='*FusedDenseStacks*'
fi

if [ "$part" != build ]; then
  data=/tmp/fashion-mnist
  step fashion_data sh -c "mkdir -p $data && for f in .gpu-bundle/fashion-mnist/*.gz; do gunzip -c \"\$f\" > $data/\$(basename \"\$f\" .gz); done"
  step fashion_mnist "$build/gpu_fashion_mnist" $data "${EPOCHS:-10}" 0,1,2 0.880
  step bench env ROUNDS="${ROUNDS:-1}" BIN=$build/gpu_throughput bench/gpu.sh
  step bench_tf32 env ROUNDS="${ROUNDS:-1}" BIN=$build/gpu_throughput PRECISION=tf32 ONLY="n n-fused" bench/gpu.sh
  step bench_bf16 env ROUNDS="${ROUNDS:-1}" BIN=$build/gpu_throughput PRECISION=bf16 ONLY="b d' n n-fused" bench/gpu.sh
fi

{
  cat "$out/steps.txt"
  echo
  cat "$out/machine.txt" 2>/dev/null
  for t in cuda_test cuda_ops_test cuda_model_test device_ops_test model_device_test; do
    [ -f "$out/$t.txt" ] && echo "$t: $(grep -E '^\[  (PASSED|FAILED|SKIPPED) ' "$out/$t.txt" | tr '\n' ' ')"
  done
  grep -hE "ERROR SUMMARY|RACECHECK SUMMARY" "$out"/memcheck*.txt "$out"/racecheck*.txt 2>/dev/null
  grep -h "mean test accuracy" "$out/fashion_mnist.txt" 2>/dev/null
  cat "$out/bench.txt" "$out/bench_tf32.txt" "$out/bench_bf16.txt" 2>/dev/null
} > "$out/summary.txt"
cat "$out/summary.txt"
exit $status
