#!/usr/bin/env bash
# mlp against PyTorch and scikit-learn on Fashion-MNIST, and against the
# machine's matrix-product limit, in one run. Prints markdown tables:
#   training: samples/s of mlp (2 and 1 threads), PyTorch given its best (1 and
#     2 threads, each under OMP_WAIT_POLICY=PASSIVE and under OpenMP's default
#     waiting, the faster of the two in every round; glibc kept from returning
#     memory), scikit-learn's MLPClassifier (configs a and b; 1 and 2 BLAS
#     threads, the better one); the ratio to PyTorch's better figure; mlp's
#     GFLOP/s counted from the work done (forward, the weights' gradients, and
#     the inputs' gradients of every layer but the first, which neither program
#     computes) against OpenBLAS's sgemm at 4096^3 on 2 threads; mlp's speed-up
#     from 1 to 2 threads; peak resident memory, and training's own memory: the
#     peak minus the resident memory once the data set is loaded.
#   memory of (d): PyTorch again with glibc's default allocator settings.
#   inference of (b): batch-1024 throughput over the test set, batch-1 latency.
# Rounds alternate the programs (mlp, torch, torch, ...) and the tables give
# medians. OpenBLAS picks its kernels for the CPU (OPENBLAS_CORETYPE is removed
# from every program's environment, as on a machine that does not set it).
# Needs: scripts/build.sh -DMLP_BUILD_BENCH=ON; MLP_WITH_PYTORCH=1 scripts/install-deps.sh.
# ROUNDS (default 3) and EPOCHS (default 1) set the work; CONFIGS="a b" a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
rounds=${ROUNDS:-3}
epochs=${EPOCHS:-1}
configs=${CONFIGS:-a b c d}
bin=build/bench
for program in train_throughput infer_throughput gemm_limit; do
  [ -x "$bin/$program" ] || { echo "build first: scripts/build.sh -DMLP_BUILD_BENCH=ON" >&2; exit 2; }
done
python=/usr/bin/python3
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
# FLOPs one sample costs a training step through 784-HIDDEN-10: 2 x in x out per
# layer for the forward pass, as much for the weights' gradient, and as much for
# the inputs' gradient except at the first layer (the data need none).
step_flops() {
  echo "784,$1,10" | tr , '\n' | awk 'NR > 1 {f += 6 * prev * $1; if (NR == 2) f -= 2 * prev * $1} {prev = $1} END {print f}'
}

declare -A hidden=([a]=128,64 [b]=256,128 [c]=1024,1024 [d]=4096,4096)
declare -A batch=([a]=128 [b]=128 [c]=256 [d]=1024)

core=$("${clean[@]}" $bin/gemm_limit 1 64 64 64 | head -1)
limit2=$("${clean[@]}" $bin/gemm_limit 2 4096 4096 4096 | tail -1 | column 2)
limit1=$("${clean[@]}" $bin/gemm_limit 1 4096 4096 4096 | tail -1 | column 2)
machine
echo "OpenBLAS kernels: $core; sgemm 4096^3: $limit1 GFLOP/s on 1 thread, $limit2 on 2 (the limit below)"
echo "PyTorch $($python -c 'import torch; print(torch.__version__)'), scikit-learn $($python -c 'import sklearn; print(sklearn.__version__)')"
[ -z "${OPENBLAS_CORETYPE:-}" ] || echo "(this environment sets OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE; removed for every run)"
echo
echo "| config | mlp 2 thr | mlp 1 thr | torch 1 thr | torch 2 thr | sklearn | mlp / torch | mlp GFLOP/s | of limit | 1 to 2 thr | peak RSS mlp / torch (MB) | training memory mlp / torch (MB) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in $configs; do
  h=${hidden[$name]}
  b=${batch[$name]}
  m2=(); m1=(); t1=(); t2=(); sk=(); rss_m=(); rss_t=(); own_m=(); own_t=()
  for _ in $(seq "$rounds"); do
    out=$(OMP_NUM_THREADS=2 "${clean[@]}" $bin/train_throughput "$h" "$b" "$epochs" 2)
    m2+=("$(column 1 <<< "$out")"); rss_m+=("$(column 2 <<< "$out")")
    own_m+=("$(awk '{print $2 - $3}' <<< "$out")")
    m1+=("$(OMP_NUM_THREADS=1 "${clean[@]}" $bin/train_throughput "$h" "$b" "$epochs" 1 | column 1)")
    t1+=("$(torch_run OMP_NUM_THREADS=1 $python bench/torch_train.py "$h" "$b" "$epochs" 1 | column 1)")
    out=$(torch_run OMP_NUM_THREADS=2 $python bench/torch_train.py "$h" "$b" "$epochs" 2)
    t2+=("$(column 1 <<< "$out")"); rss_t+=("$(column 2 <<< "$out")")
    own_t+=("$(awk '{print $2 - $3}' <<< "$out")")
    if [ "$name" = a ] || [ "$name" = b ]; then
      s1=$(cd bench && OPENBLAS_NUM_THREADS=1 "${clean[@]}" $python sklearn_train.py "$h" "$b" "$epochs" | column 1)
      s2=$(cd bench && OPENBLAS_NUM_THREADS=2 "${clean[@]}" $python sklearn_train.py "$h" "$b" "$epochs" | column 1)
      sk+=("$(larger "$s1" "$s2")")
    fi
  done
  mm2=$(printf '%s\n' "${m2[@]}" | median); mm1=$(printf '%s\n' "${m1[@]}" | median)
  mt1=$(printf '%s\n' "${t1[@]}" | median); mt2=$(printf '%s\n' "${t2[@]}" | median)
  msk=$([ ${#sk[@]} -gt 0 ] && printf '%s\n' "${sk[@]}" | median || echo "-")
  gflops=$(awk -v s="$mm2" -v f="$(step_flops "$h")" 'BEGIN {printf "%.0f", s * f / 1e9}')
  printf "| (%s) 784-%s-10 b%s | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %.0f%% | %s | %.0f / %.0f | %.0f / %.0f |\n" \
    "$name" "${h//,/-}" "$b" "$mm2" "$mm1" "$mt1" "$mt2" "$msk" "$(ratio "$mm2" "$(larger "$mt1" "$mt2")")" \
    "$gflops" "$(awk -v g="$gflops" -v l="$limit2" 'BEGIN {print 100 * g / l}')" "$(ratio "$mm2" "$mm1")" \
    "$(printf '%s\n' "${rss_m[@]}" | median)" "$(printf '%s\n' "${rss_t[@]}" | median)" \
    "$(printf '%s\n' "${own_m[@]}" | median)" "$(printf '%s\n' "${own_t[@]}" | median)"
done

if [[ " $configs " == *" d "* ]]; then
  out=$("${clean[@]}" OMP_NUM_THREADS=2 $python bench/torch_train.py "${hidden[d]}" "${batch[d]}" 1 2)
  echo
  echo "Training (d), PyTorch with glibc's default allocator settings (2 threads): peak resident memory $(column 2 <<< "$out") MB, training's own $(awk '{print $2 - $3}' <<< "$out") MB ($(column 1 <<< "$out") samples/s)"
fi

echo
echo "| inference, (b) 784-256-128-10 | mlp 2 thr | torch 1 thr | torch 2 thr | mlp / torch |"
echo "| --- | ---: | ---: | ---: | ---: |"
m=(); t1=(); t2=()
for _ in $(seq "$rounds"); do
  m+=("$("${clean[@]}" $bin/infer_throughput 256,128 2)")
  t1+=("$(torch_infer_run OMP_NUM_THREADS=1 $python bench/torch_infer.py 256,128 1)")
  t2+=("$(torch_infer_run OMP_NUM_THREADS=2 $python bench/torch_infer.py 256,128 2)")
done
for what in "1 batch 1024, samples/s" "2 batch 1, latency (µs)"; do
  read -r c label <<< "$what"
  mm=$(printf '%s\n' "${m[@]}" | column "$c" | median)
  mt1=$(printf '%s\n' "${t1[@]}" | column "$c" | median)
  mt2=$(printf '%s\n' "${t2[@]}" | column "$c" | median)
  if [ "$c" = 1 ]; then best=$(larger "$mt1" "$mt2"); r=$(ratio "$mm" "$best"); else
    best=$(awk -v a="$mt1" -v b="$mt2" 'BEGIN {print (a < b) ? a : b}'); r="1/$(awk -v a="$best" -v b="$mm" 'BEGIN {printf "%.1f", a / b}')"; fi
  printf "| %s | %.1f | %.1f | %.1f | %s |\n" "$label" "$mm" "$mt1" "$mt2" "$r"
done
