# What the benchmark scripts share; sourced, not run.
# Every program runs without OPENBLAS_CORETYPE, so that OpenBLAS picks its
# kernels for the CPU as on a machine that does not set it.
clean=(env -u OPENBLAS_CORETYPE)
# PyTorch's best: glibc kept from returning memory to the system between
# steps, and OpenMP's threads sleeping rather than spinning while they wait.
torch_best=(MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 MALLOC_TOP_PAD_=100000000
            OMP_WAIT_POLICY=PASSIVE)
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
column() { awk -v c="$1" '{print $c}'; }
larger() { awk -v a="$1" -v b="$2" 'BEGIN {print (a > b) ? a : b}'; }
smaller() { awk -v a="$1" -v b="$2" 'BEGIN {print (a < b) ? a : b}'; }
