"""Data-parallel training over Open MPI: the same script on every process.

    import mlp
    world = mlp.distributed.mpi_world()          # MPI_Init on first use
    history = model.fit(x, y, epochs=10, batch_size=256, communicator=world)
    if world.rank == 0:
        model.save("model.safetensors")

    mpirun -np 4 python3 train.py

Every process passes the same data and builds the same model; fit() starts
them from rank 0's weights, gives each its share of every global batch and
sums the gradients before each step, so the result is one process's with that
batch size. Rank 0 alone prints.
"""


def mpi_world():
    """The processes mpirun started, as an mlp.Communicator."""
    try:
        from ._distributed import mpi_world as world
    except ImportError as error:
        raise ImportError("mlp was built without MPI: install libopenmpi-dev and build again "
                          "(MLP_WITH_MPI=1 scripts/install-deps.sh)") from error
    return world()


def launched_by_mpi():
    """Whether mpirun, mpiexec or srun started this process as one of several."""
    try:
        from ._distributed import launched_by_mpi as launched
    except ImportError:
        return False
    return launched()
