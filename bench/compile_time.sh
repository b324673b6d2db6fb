#!/usr/bin/env bash
# How long a user's file that includes <mlp/mlp.hpp> and trains a model takes
# to compile at -O2 (median of 5).
set -euo pipefail
cd "$(dirname "$0")/.."
times=()
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N)
  g++ -std=c++20 -O2 -Iinclude -c examples/readme.cpp -o /tmp/mlp_compile_time.o
  end=$(date +%s.%N)
  times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')")
done
printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print "compile time of examples/readme.cpp at -O2: median " a[3] " s (runs: " a[1] " .. " a[5] ")"}'
