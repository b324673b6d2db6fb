#!/usr/bin/python3
"""PyTorch's DistributedDataParallel (gloo backend) on Fashion-MNIST, the recipe
of distributed_throughput.cpp: full shuffled epochs (the same order on every
process), Adam, cross-entropy on logits, a global batch of BATCH rows split
evenly over PROCESSES processes of one thread each.
Usage: torch_ddp.py HIDDEN BATCH EPOCHS PROCESSES  -> prints "SAMPLES_PER_S" (the whole job's)"""
import socket
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from torch_train import load, mlp


def epoch(model, opt, loss_fn, x, y, batch, rank, world, seed):
    generator = torch.Generator()
    generator.manual_seed(seed)  # every process draws the same order, then takes its rows of each batch
    order = torch.randperm(len(x), generator=generator)
    for i in range(0, len(x), batch):
        idx = order[i:i + batch][rank::world]
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x[idx]), y[idx]).backward()
        opt.step()


def worker(rank, world, hidden, batch, epochs, port):
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    torch.manual_seed(0)
    x, y = load()
    model = torch.nn.parallel.DistributedDataParallel(mlp(hidden), gradient_as_bucket_view=True)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    warm = batch * 20
    epoch(model, opt, loss_fn, x[:warm], y[:warm], batch, rank, world, 0)
    dist.barrier()
    start = time.perf_counter()
    for e in range(epochs):
        epoch(model, opt, loss_fn, x, y, batch, rank, world, e + 1)
    dist.barrier()
    seconds = time.perf_counter() - start
    if rank == 0:
        print(f"{len(x) * epochs / seconds:.1f}", flush=True)
    dist.destroy_process_group()


def main():
    hidden = [int(h) for h in sys.argv[1].split(",")]
    batch, epochs, world = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with socket.socket() as s:  # a free port for the rendezvous
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mp.spawn(worker, args=(world, hidden, batch, epochs, port), nprocs=world)


if __name__ == "__main__":
    main()
