# What the benchmark scripts share; sourced, not run.
# Every program runs without OPENBLAS_CORETYPE, so that OpenBLAS picks its
# kernels for the CPU as on a machine that does not set it.
clean=(env -u OPENBLAS_CORETYPE)
# PyTorch's best: glibc kept from returning memory to the system between
# steps, and OpenMP's threads sleeping rather than spinning while they wait.
torch_best=(MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=100000000
            OMP_WAIT_POLICY=PASSIVE)
# The same allocator settings with OpenMP's own waiting (its default spins a while
# before sleeping): faster on some machines, so the scripts try both and keep the better.
torch_spin=(MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=100000000)
# "machine: MODEL, N cores; VECTOR EXTENSIONS; DATE": which table a figure belongs to.
machine() {
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores;" \
       "$(grep -o -w -E 'avx512f|avx2' /proc/cpuinfo | sort -u | xargs); $(date -u +%F)"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
column() { awk -v c="$1" '{print $c}'; }
larger() { awk -v a="$1" -v b="$2" 'BEGIN {print (a > b) ? a : b}'; }
smaller() { awk -v a="$1" -v b="$2" 'BEGIN {print (a < b) ? a : b}'; }
# torch_run ENV... PROGRAM ARGS...: runs a PyTorch benchmark under both wait
# policies and prints the run whose first figure (samples/s) is larger.
torch_run() {
  local passive spin
  passive=$("${clean[@]}" "${torch_best[@]}" "$@")
  spin=$("${clean[@]}" "${torch_spin[@]}" "$@")
  awk -v a="$passive" -v b="$spin" 'BEGIN {split(a, x, " "); split(b, y, " "); print (x[1] + 0 >= y[1] + 0) ? a : b}'
}
# torch_infer_run ENV... PROGRAM ARGS...: the same for "SAMPLES_PER_S LATENCY_US":
# the larger throughput and the smaller latency of the two.
torch_infer_run() {
  local passive spin
  passive=$("${clean[@]}" "${torch_best[@]}" "$@")
  spin=$("${clean[@]}" "${torch_spin[@]}" "$@")
  awk -v a="$passive" -v b="$spin" 'BEGIN {split(a, x, " "); split(b, y, " ");
    print (x[1] + 0 > y[1] + 0 ? x[1] : y[1]), (x[2] + 0 < y[2] + 0 ? x[2] : y[2])}'
}
