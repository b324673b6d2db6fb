#!/usr/bin/env bash
# Data-parallel scaling in one run: mlp on 2 processes x 1 thread (mpirun)
# against 1 process x 1 thread and 1 process x 2 threads, and PyTorch's
# DistributedDataParallel (gloo) on 2 processes x 1 thread, given its best as
# compare.sh does (both OpenMP wait policies, the better kept; glibc kept from
# returning memory). Fashion-MNIST, Adam, full shuffled epochs; (c)
# 784-1024-1024-10 batch 256 and (d) 784-4096-4096-10 batch 1024 (global batch).
# Prints a markdown table of medians over ROUNDS (default 3) rounds of EPOCHS
# (default 1), with the part of mlp's time spent in the sums over processes,
# and the machine's ceiling for 2 x 1: two single-thread processes at half the
# batch each, run at once with no communication (their samples/s added).
# Needs: scripts/build.sh -DMLP_BUILD_BENCH=ON with Open MPI; MLP_WITH_PYTORCH=1 scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
rounds=${ROUNDS:-3}
epochs=${EPOCHS:-1}
configs=${CONFIGS:-c d}
bin=build/bench
[ -x $bin/distributed_throughput ] || { echo "build first: scripts/build.sh -DMLP_BUILD_BENCH=ON (with libopenmpi-dev)" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi=(mpirun -np 2 --bind-to core -x OMP_NUM_THREADS=1)
alone=$(mktemp -d)
trap 'rm -rf "$alone"' EXIT
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
declare -A hidden=([c]=1024,1024 [d]=4096,4096)
declare -A batch=([c]=256 [d]=1024)
machine
echo "Open MPI $(mpirun --version | head -1 | awk '{print $NF}'); PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
echo
echo "| config | mlp 1x1 | mlp 1x2 thr | mlp 2x1 | 2x1 / 1x1 | 2x1 / 1x2 thr | in sums | ceiling 2 alone | DDP 2x1 | mlp 2x1 / DDP |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in $configs; do
  h=${hidden[$name]}
  b=${batch[$name]}
  one=(); two_threads=(); two=(); share=(); ceiling=(); ddp=()
  for _ in $(seq "$rounds"); do
    one+=("$(OMP_NUM_THREADS=1 "${clean[@]}" $bin/distributed_throughput "$h" "$b" "$epochs" 1 | column 1)")
    two_threads+=("$(OMP_NUM_THREADS=2 "${clean[@]}" $bin/distributed_throughput "$h" "$b" "$epochs" 2 | column 1)")
    out=$("${clean[@]}" "${mpi[@]}" $bin/distributed_throughput "$h" "$b" "$epochs" 1)
    two+=("$(column 1 <<< "$out")"); share+=("$(column 2 <<< "$out")")
    half=$((b / 2))
    OMP_NUM_THREADS=1 "${clean[@]}" taskset -c 0 $bin/distributed_throughput "$h" "$half" "$epochs" 1 > "$alone/0" &
    OMP_NUM_THREADS=1 "${clean[@]}" taskset -c 1 $bin/distributed_throughput "$h" "$half" "$epochs" 1 > "$alone/1"
    wait
    ceiling+=("$(cat "$alone/0" "$alone/1" | awk '{s += $1} END {print s}')")
    ddp+=("$(torch_run /usr/bin/python3 bench/torch_ddp.py "$h" "$b" "$epochs" 2)")
  done
  m1=$(printf '%s\n' "${one[@]}" | median); m12=$(printf '%s\n' "${two_threads[@]}" | median)
  m2=$(printf '%s\n' "${two[@]}" | median); ms=$(printf '%s\n' "${share[@]}" | median)
  md=$(printf '%s\n' "${ddp[@]}" | median); mc=$(printf '%s\n' "${ceiling[@]}" | median)
  printf "| (%s) 784-%s-10 b%s | %.0f | %.0f | %.0f | %s | %s | %.0f%% | %.0f (%s) | %.0f | %s |\n" "$name" \
    "${h/,/-}" "$b" "$m1" "$m12" "$m2" "$(ratio "$m2" "$m1")" "$(ratio "$m2" "$m12")" \
    "$(awk -v s="$ms" 'BEGIN {print 100 * s}')" "$mc" "$(ratio "$mc" "$m1")" "$md" "$(ratio "$m2" "$md")"
done
