#!/usr/bin/env bash
# mlp against PyTorch on one GPU, in one run (issue bars, bench/RESULTS.md's GPU
# section): samples/s of training, inference throughput and batch-1 latency,
# medians over ROUNDS rounds (default 3) that alternate the programs. PyTorch
# gets its best: eager or the whole step captured as a CUDA graph, the faster;
# the products' precision PRECISION for both (float32, the default; tf32; bf16:
# mlp's bfloat16 products against PyTorch's bfloat16 autocast). Prints a
# markdown table. Needs build-gpu (scripts/gpu-check.sh
# builds it) with bench/gpu_throughput, and python3 with torch on the GPU.
#   (b)  784-256-128-10, batch 128: training; inference at batch 1024; batch-1 latency
#   (d') 784-4096-4096-4096-4096-10, batch 4096: training
#   (n)  64-wide, 8 hidden ReLU layers, batch 262,144: training (MSE to 64 outputs),
#        as Dense layers (a cuBLAS product a layer) and, (n fused), as one DenseStack
# ONLY="b d'" keeps those configurations.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
bin=${BIN:-build-gpu/bench/gpu_throughput}
[ -x "$bin" ] || { echo "build first: $bin (scripts/gpu-check.sh)" >&2; exit 2; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
narrow=64,64,64,64,64,64,64,64,64,64
cases=("b 784,256,128,10 128 train 65536" "b 784,256,128,10 1024 infer 65536" "b 784,256,128,10 1 latency"
       "d' 784,4096,4096,4096,4096,10 4096 train 65536" "n $narrow 262144 train 2097152"
       "n-fused $narrow 262144 train 2097152")
echo "products: ${PRECISION:-float32} (mlp and PyTorch)"
echo
echo "| config | widths | batch | what | mlp | PyTorch (best: how) | mlp / PyTorch |"
echo "|---|---|---|---|---:|---:|---:|"
for c in "${cases[@]}"; do
  read -r name widths batch mode rows <<< "$c"
  [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $name "* ]] || continue
  ours=() theirs=() how=""
  for _ in $(seq "$rounds"); do
    ours+=("$(FUSED=$([[ $name == *-fused ]] && echo 1 || echo 0) "$bin" "$widths" "$batch" "$mode" ${rows:-})")
    read -r value how <<< "$(python3 bench/torch_gpu.py "$widths" "$batch" "$mode" ${rows:-})"
    theirs+=("$value")
  done
  a=$(printf '%s\n' "${ours[@]}" | median)
  b=$(printf '%s\n' "${theirs[@]}" | median)
  if [ "$mode" = latency ]; then ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2fx faster", b / a}'); unit=" µs"
  else ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2fx", a / b}'); unit="/s"; fi
  echo "| ($name) | $widths | $batch | $mode | $a$unit | $b$unit ($how) | $ratio |"
done
