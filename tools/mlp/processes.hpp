// The processes `mlp train` runs on: all that mpirun (mpiexec, srun) started,
// when it started this one and mlp was built with Open MPI; else this one.
#pragma once

#include <memory>
#include <string>

#include "mlp/distributed/communicator.hpp"

namespace mlp::cli {

/// The processes to train data-parallel over, or nullptr for one process.
/// Throws ConfigError when mpirun started several but this mlp has no MPI.
std::shared_ptr<distributed::Communicator> launched_processes();

/// After an error on this process: when it trains with others, ends them all
/// (naming this rank and `message`; does not return), since they would wait
/// for it forever. Otherwise does nothing.
void stop_other_processes(const std::string& message);

}  // namespace mlp::cli
