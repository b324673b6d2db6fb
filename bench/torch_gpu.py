#!/usr/bin/python3
"""PyTorch on a GPU, as bench/gpu_throughput.cpp measures mlp: a ReLU MLP of
the given widths on synthetic data already on the GPU, float32 with the
products as PRECISION says (as mlp's --matmul-precision): float32 (the
default: TF32 off, PyTorch's default for matmul and mlp's), tf32 (TF32 on), or
bf16 (autocast to bfloat16, PyTorch's mixed precision: float32 weights,
bfloat16 products and activations).
Usage: [PRECISION=float32|tf32|bf16] torch_gpu.py WIDTHS BATCH MODE [ROWS]
  MODE train: samples/s over one shuffled epoch of ROWS rows with Adam, the
       best of eager mode and the whole step captured as a CUDA graph;
       infer: samples/s of inference over ROWS rows in batches of BATCH, the
       best of eager and a captured graph; latency: the median microseconds of
       one row from the host and back (x.cuda(), model(x), .cpu()).
Prints "NUMBER HOW" (HOW: eager or graph, the faster)."""
import contextlib
import os
import statistics
import sys
import time

import torch


def model_of(widths):
    layers = []
    for a, b in zip(widths[:-2], widths[1:-1]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    layers.append(torch.nn.Linear(widths[-2], widths[-1]))
    return torch.nn.Sequential(*layers).cuda()


PRECISION = os.environ.get("PRECISION", "float32")


def mixed():
    """The forward pass's precision: bfloat16 autocast for bf16 (no weight
    cache: it would outlive a captured graph), else float32 as set in main."""
    if PRECISION == "bf16":
        return torch.autocast("cuda", dtype=torch.bfloat16, cache_enabled=False)
    return contextlib.nullcontext()


def timed(fn):
    torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    torch.cuda.synchronize()
    return time.perf_counter() - start


def train(widths, batch, rows, x, y, loss_fn):
    results = {}
    # Eager: the textbook loop.
    model = model_of(widths)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def eager_epoch(n=rows):
        order = torch.randperm(n, device="cuda")
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            opt.zero_grad(set_to_none=True)
            with mixed():
                loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

    eager_epoch(4 * batch)
    results["eager"] = rows / timed(eager_epoch)

    # A CUDA graph of the whole step (forward, backward, Adam), replayed per batch:
    # no launch latency, as in PyTorch's own recipe (capturable Adam, static inputs).
    model = model_of(widths)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, capturable=True)
    static_x, static_y = x[:batch].clone(), y[:batch].clone()
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            opt.zero_grad(set_to_none=True)
            with mixed():
                loss = loss_fn(model(static_x), static_y)
            loss.backward()
            opt.step()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    opt.zero_grad(set_to_none=True)
    with torch.cuda.graph(graph):
        with mixed():
            static_loss = loss_fn(model(static_x), static_y)
        static_loss.backward()
        opt.step()

    def graph_epoch():
        order = torch.randperm(rows, device="cuda")
        for i in range(0, rows - batch + 1, batch):  # whole batches: the graph's shape is fixed
            idx = order[i:i + batch]
            static_x.copy_(x[idx])
            static_y.copy_(y[idx])
            graph.replay()

    graph_epoch()
    results["graph"] = (rows // batch * batch) / timed(graph_epoch)
    return results


def infer(widths, batch, rows, x):
    results = {}
    model = model_of(widths).eval()
    with torch.inference_mode(), mixed():
        def passes():
            for i in range(0, rows, batch):
                model(x[i:i + batch])
        passes()
        results["eager"] = rows / statistics.median(timed(passes) for _ in range(5))
    static_x = x[:batch].clone()
    graph = torch.cuda.CUDAGraph()
    with torch.no_grad(), mixed():
        for _ in range(3):
            model(static_x)
        torch.cuda.synchronize()
        with torch.cuda.graph(graph):
            static_out = model(static_x)

        def graph_passes():
            for i in range(0, rows - batch + 1, batch):
                static_x.copy_(x[i:i + batch])
                graph.replay()
        graph_passes()
        results["graph"] = (rows // batch * batch) / statistics.median(timed(graph_passes) for _ in range(5))
    del static_out
    return results


def latency(widths, x_host):
    model = model_of(widths).eval()
    calls = []
    with torch.inference_mode(), mixed():
        for i in range(1100):
            start = time.perf_counter()
            model(x_host[i % 1000].unsqueeze(0).cuda()).cpu()
            if i >= 100:
                calls.append(time.perf_counter() - start)
    return {"eager": statistics.median(calls) * 1e6}


def main():
    widths = [int(w) for w in sys.argv[1].split(",")]
    batch, mode = int(sys.argv[2]), sys.argv[3]
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 64 * batch
    torch.backends.cuda.matmul.allow_tf32 = PRECISION == "tf32"
    torch.backends.cudnn.allow_tf32 = PRECISION == "tf32"
    torch.manual_seed(0)
    classifier = widths[-1] >= 10
    x = torch.rand(rows, widths[0], device="cuda")
    if classifier:
        y = torch.randint(0, widths[-1], (rows,), device="cuda")
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        y = torch.rand(rows, widths[-1], device="cuda")
        loss_fn = torch.nn.MSELoss()
    if mode == "train":
        results = train(widths, batch, rows, x, y, loss_fn)
        best = max(results, key=results.get)
    elif mode == "infer":
        results = infer(widths, batch, rows, x)
        best = max(results, key=results.get)
    else:
        results = latency(widths, x[:1000].cpu())
        best = min(results, key=results.get)
    print(f"{results[best]:.2f} {best}")


if __name__ == "__main__":
    main()
