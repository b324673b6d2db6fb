#!/usr/bin/env bash
# The portable library (MLP_NATIVE=OFF: loops chosen at run time) against
# libraries built for one CPU, training Fashion-MNIST config (b), 784-256-128-10
# at batch 128, on 2 threads. Two pairs, in one run, rounds alternating:
#   AVX-512: a -march=native build   vs the portable build on its AVX-512 path
#   AVX2:    a -march=x86-64-v3 build vs the portable build with MLP_ISA=avx2
# (the second pair stands in for an AVX2-only machine: the same loops and
# instructions, on this CPU). Prints samples/s medians and the ratios.
# Builds what it needs into build-portable-{native,v3,portable}.
# ROUNDS (default 5) and EPOCHS (default 1) set the work.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
rounds=${ROUNDS:-5}
epochs=${EPOCHS:-1}
build() {  # NAME CMAKE_ARGS...
  local dir=build-portable-$1
  shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DMLP_BUILD_BENCH=ON -DMLP_BUILD_TESTS=OFF \
    -DMLP_BUILD_EXAMPLES=OFF -DMLP_BUILD_TOOLS=OFF "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)" --target train_throughput >/dev/null
}
build native -DMLP_NATIVE=ON
build v3 -DMLP_NATIVE=OFF -DCMAKE_CXX_FLAGS=-march=x86-64-v3
build portable -DMLP_NATIVE=OFF -DCMAKE_CXX_FLAGS=
run() { env -u OPENBLAS_CORETYPE "$@" 256,128 128 "$epochs" 2 | awk '{print $1}'; }

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "vector extensions: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(sse4_2|avx|avx2|fma|avx512[a-z]*)$' | tr '\n' ' ')"
declare -A figures
for ((r = 1; r <= rounds; r++)); do
  figures[native]+="$(run build-portable-native/bench/train_throughput) "
  figures[portable512]+="$(run build-portable-portable/bench/train_throughput) "
  figures[v3]+="$(run build-portable-v3/bench/train_throughput) "
  figures[portable2]+="$(MLP_ISA=avx2 run build-portable-portable/bench/train_throughput) "
done
med() { echo "${figures[$1]}" | tr ' ' '\n' | grep . | median; }
echo
echo "| pair | built for the CPU | portable | portable / built for the CPU | rounds (built; portable) |"
echo "| --- | ---: | ---: | ---: | --- |"
for pair in "AVX-512 native portable512" "AVX2 v3 portable2"; do
  read -r name own port <<<"$pair"
  a=$(med "$own") b=$(med "$port")
  printf "| %s | %.0f | %.0f | %s | %s; %s |\n" "$name" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')" \
    "${figures[$own]% }" "${figures[$port]% }"
done
