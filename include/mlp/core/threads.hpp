// How many threads mlp's CPU backend uses for its element-wise loops and its
// matrix products alike. The default is OpenMP's: OMP_NUM_THREADS, or one per core.
#pragma once

namespace mlp {

/// Sets the thread count for all later work; n >= 1. Call it while no other
/// thread of the program is inside mlp.
void set_num_threads(int n);
int num_threads();

}  // namespace mlp
