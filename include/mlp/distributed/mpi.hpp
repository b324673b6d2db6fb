// Open MPI as the processes of data-parallel training (target mlp::distributed,
// built when MPI is found; link it to use this header):
//
//   auto world = mlp::distributed::mpi_world();   // MPI_Init on first call
//   model.fit(x, y, {.epochs = 10, .batch_size = 256, .communicator = world});
//
//   mpirun -np 4 ./train        (or mpiexec, srun through Open MPI's PMI)
//
// Every process passes the whole data set; fit() gives each its share of every
// global batch, so the result is that of one process with the same batch size,
// up to the order of floating-point sums.
#pragma once

#include <memory>

#include "mlp/distributed/communicator.hpp"

namespace mlp::distributed {

/// All the processes mpirun started (MPI_COMM_WORLD). The first call
/// initializes MPI, which is finalized at exit.
std::shared_ptr<Communicator> mpi_world();

/// Whether this process was started by mpirun/mpiexec (or srun with PMI) as
/// one of several: what `mlp train` checks to train data-parallel unasked.
bool launched_by_mpi();

}  // namespace mlp::distributed
