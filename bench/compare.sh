#!/usr/bin/env bash
# Training throughput, mlp (2 threads) against PyTorch given its best (1 and 2
# threads, OMP_WAIT_POLICY=PASSIVE, glibc kept from returning memory), in
# alternating rounds; prints the medians and the ratio to PyTorch's better figure.
# Needs: scripts/build.sh -DMLP_BUILD_BENCH=ON, and MLP_WITH_PYTORCH=1 scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
epochs=${EPOCHS:-1}
ours=build/bench/train_throughput
[ -x "$ours" ] || { echo "build first: scripts/build.sh -DMLP_BUILD_BENCH=ON" >&2; exit 2; }
torch_env=(env MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=100000000
           OMP_WAIT_POLICY=PASSIVE)
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(date -u +%F)"
printf "%-22s %12s %12s %12s %8s\n" "config" "mlp (2 thr)" "torch 1 thr" "torch 2 thr" "ratio"
for config in "128,64 128 a" "256,128 128 b" "1024,1024 256 c"; do
  read -r hidden batch name <<< "$config"
  m=(); t1=(); t2=()
  for _ in $(seq "$rounds"); do
    m+=("$(OMP_NUM_THREADS=2 "$ours" "$hidden" "$batch" "$epochs" 2)")
    t1+=("$("${torch_env[@]}" OMP_NUM_THREADS=1 /usr/bin/python3 bench/torch_train.py "$hidden" "$batch" "$epochs" 1)")
    t2+=("$("${torch_env[@]}" OMP_NUM_THREADS=2 /usr/bin/python3 bench/torch_train.py "$hidden" "$batch" "$epochs" 2)")
  done
  mm=$(printf '%s\n' "${m[@]}" | median)
  m1=$(printf '%s\n' "${t1[@]}" | median)
  m2=$(printf '%s\n' "${t2[@]}" | median)
  best=$(awk -v a="$m1" -v b="$m2" 'BEGIN {print (a > b) ? a : b}')
  printf "%-22s %12.0f %12.0f %12.0f %7.2fx\n" "($name) 784-${hidden//,/-}-10 b$batch" "$mm" "$m1" "$m2" \
    "$(awk -v a="$mm" -v b="$best" 'BEGIN {print a / b}')"
done
