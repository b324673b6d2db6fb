// How many threads mlp's CPU backend uses for its element-wise loops and its
// matrix products alike. The default is OpenMP's: OMP_NUM_THREADS, or one per core.
#pragma once

#include <string>

namespace mlp {

/// Sets the thread count for all later work; n >= 1. Call it while no other
/// thread of the program is inside mlp.
void set_num_threads(int n);
int num_threads();

/// The vector instructions the CPU backend's loops use here: "avx512", "avx2"
/// or "baseline", the widest this CPU has (the MLP_ISA environment variable
/// may choose a narrower one); "native" in a build for one machine (MLP_NATIVE).
std::string vector_path();

}  // namespace mlp
