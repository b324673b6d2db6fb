#!/usr/bin/env bash
# mlp from Python against mlp from C++ and PyTorch from Python, in one run, on
# configs (a) 784-128-64-10 and (b) 784-256-128-10 of compare.sh, batch 128:
#   training: samples/s of the C++ API (train_throughput), of `import mlp`
#     (python_train.py) and of PyTorch (torch_train.py, the better of 1 and 2
#     threads, with compare.sh's best settings), mlp 2 threads; the ratios.
#   inference of (b): batch-1024 throughput and batch-1 latency of the three.
# Rounds alternate the programs and the tables give medians.
# Needs: scripts/build.sh -DMLP_BUILD_BENCH=ON -DMLP_BUILD_PYTHON=ON;
#        MLP_WITH_PYTORCH=1 scripts/install-deps.sh. ROUNDS (default 3), EPOCHS (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
rounds=${ROUNDS:-3}
epochs=${EPOCHS:-1}
bin=build/bench
for program in train_throughput infer_throughput; do
  [ -x "$bin/$program" ] || { echo "build first: scripts/build.sh -DMLP_BUILD_BENCH=ON -DMLP_BUILD_PYTHON=ON" >&2; exit 2; }
done
[ -d build/python/mlp ] || { echo "build first: scripts/build.sh -DMLP_BUILD_BENCH=ON -DMLP_BUILD_PYTHON=ON" >&2; exit 2; }
python=/usr/bin/python3
ours=("${clean[@]}" PYTHONPATH="$PWD/build/python")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }

machine
echo "Python $($python -c 'import sys; print(sys.version.split()[0])'), NumPy $($python -c 'import numpy; print(numpy.__version__)'), PyTorch $($python -c 'import torch; print(torch.__version__)'); $rounds rounds of $epochs epoch(s)"
echo
echo "| config | C++ API | Python | Python / C++ | PyTorch best | Python / PyTorch | C++ / PyTorch |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A hidden=([a]=128,64 [b]=256,128)
for name in a b; do
  h=${hidden[$name]}
  cpp=(); py=(); torch=()
  for _ in $(seq "$rounds"); do
    cpp+=("$(OMP_NUM_THREADS=2 "${clean[@]}" $bin/train_throughput "$h" 128 "$epochs" 2 | column 1)")
    py+=("$(OMP_NUM_THREADS=2 "${ours[@]}" $python bench/python_train.py "$h" 128 "$epochs" 2 | column 1)")
    t1=$(torch_run OMP_NUM_THREADS=1 $python bench/torch_train.py "$h" 128 "$epochs" 1 | column 1)
    t2=$(torch_run OMP_NUM_THREADS=2 $python bench/torch_train.py "$h" 128 "$epochs" 2 | column 1)
    torch+=("$(larger "$t1" "$t2")")
  done
  mc=$(printf '%s\n' "${cpp[@]}" | median); mp=$(printf '%s\n' "${py[@]}" | median)
  mt=$(printf '%s\n' "${torch[@]}" | median)
  printf "| (%s) 784-%s-10 b128 | %.0f | %.0f | %s | %.0f | %s | %s |\n" "$name" "${h//,/-}" "$mc" "$mp" \
    "$(ratio "$mp" "$mc")" "$mt" "$(ratio "$mp" "$mt")" "$(ratio "$mc" "$mt")"
done

echo
echo "| inference, (b) 784-256-128-10 | C++ API | Python | PyTorch best |"
echo "| --- | ---: | ---: | ---: |"
cpp=(); py=(); t1=(); t2=()
for _ in $(seq "$rounds"); do
  cpp+=("$("${clean[@]}" $bin/infer_throughput 256,128 2)")
  py+=("$("${ours[@]}" $python bench/python_infer.py 256,128 2)")
  t1+=("$(torch_infer_run OMP_NUM_THREADS=1 $python bench/torch_infer.py 256,128 1)")
  t2+=("$(torch_infer_run OMP_NUM_THREADS=2 $python bench/torch_infer.py 256,128 2)")
done
pick() { printf '%s\n' "${@:2}" | column "$1" | median; }
tp1=$(pick 1 "${t1[@]}"); tp2=$(pick 1 "${t2[@]}"); tl1=$(pick 2 "${t1[@]}"); tl2=$(pick 2 "${t2[@]}")
printf "| batch 1024, samples/s | %.0f | %.0f | %.0f |\n" "$(pick 1 "${cpp[@]}")" "$(pick 1 "${py[@]}")" "$(larger "$tp1" "$tp2")"
printf "| batch 1, latency (µs) | %.1f | %.1f | %.1f |\n" "$(pick 2 "${cpp[@]}")" "$(pick 2 "${py[@]}")" "$(smaller "$tl1" "$tl2")"
