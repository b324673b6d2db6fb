// How many threads mlp's CPU backend uses (OpenMP and OpenBLAS alike).
// The default is OpenMP's: OMP_NUM_THREADS, or one per core.
#pragma once

namespace mlp {

/// Sets the thread count for all later work; n >= 1.
void set_num_threads(int n);
int num_threads();

}  // namespace mlp
