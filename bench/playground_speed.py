#!/usr/bin/env python3
"""The playground's training speed: epochs per second of 2-16-16-1 tanh (Adam,
batch 10) on moons with 1,000 training points (and 1,000 test points, whose
loss the page computes every epoch too), in headless Chromium against the same
session run natively (web/playground/replay.cpp), in alternating rounds.

usage: playground_speed.py --chromium C --mlp MLP --replay REPLAY [--rounds N] [--seconds S]

Figures per round:
  page, playing   epochs counted on the page while it plays and draws (every
                  neuron's grid each display frame), over S seconds after a warm-up;
  page, train()   playground.train(E): the worker trains E epochs, no drawing;
  native          replay SETTINGS E, timed as a process (OpenBLAS and the
                  blocked product the browser has, MLP_GEMM=blocked).
Prints each round and the medians.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "web"))
from cdp import Chromium  # noqa: E402
from playground_test import serve  # noqa: E402

HASH = "#preset=moons&points=2000&test=0.5"


def native(replay, settings_path, epochs, blocked):
    env = dict(os.environ, MLP_GEMM="blocked") if blocked else dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    start = time.perf_counter()
    subprocess.run([replay, settings_path, str(epochs)], check=True, capture_output=True, env=env)
    return epochs / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--mlp", required=True)
    p.add_argument("--replay", required=True)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--epochs", type=int, default=1000)
    a = p.parse_args()
    server, url = serve(a.mlp)
    rows = {"page, playing": [], "page, train()": [], "native, OpenBLAS": [], "native, blocked product": []}
    try:
        with Chromium(a.chromium) as browser, tempfile.TemporaryDirectory() as work:
            browser.open(url + HASH)
            browser.wait_for("window.playground && playground.ready()", 60)
            settings = os.path.join(work, "settings.json")
            with open(settings, "w") as f:
                json.dump(browser.evaluate("playground.settings()"), f)
            for r in range(a.rounds):
                browser.evaluate("location.reload()")
                browser.wait_for("window.playground && playground.ready()", 60)
                browser.evaluate("document.getElementById('play').click()")
                time.sleep(2)
                e0, t0 = browser.evaluate("playground.epoch()"), time.perf_counter()
                time.sleep(a.seconds)
                e1, t1 = browser.evaluate("playground.epoch()"), time.perf_counter()
                browser.evaluate("document.getElementById('play').click()")
                rows["page, playing"].append((e1 - e0) / (t1 - t0))
                start = time.perf_counter()
                browser.evaluate(f"playground.train({a.epochs})", timeout=600)
                rows["page, train()"].append(a.epochs / (time.perf_counter() - start))
                rows["native, OpenBLAS"].append(native(a.replay, settings, a.epochs, False))
                rows["native, blocked product"].append(native(a.replay, settings, a.epochs, True))
                print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.0f}" for k, v in rows.items()), flush=True)
            if browser.problems:
                print("console errors: " + "; ".join(browser.problems))
    finally:
        server.kill()
    print("\n| how | epochs/s (median) | rounds |\n| --- | ---: | --- |")
    for k, v in rows.items():
        print(f"| {k} | {statistics.median(v):.0f} | {', '.join(f'{x:.0f}' for x in v)} |")


if __name__ == "__main__":
    main()
