#!/usr/bin/env python3
"""The playground page in headless Chromium, served by `mlp playground --serve`.

usage: playground_test.py --chromium C --mlp MLP --replay REPLAY --work DIR CHECK

CHECK is one of
  same_numbers         the moons preset (2-16-16-1 tanh, Adam, seed 0) trained 50
                       epochs in the page equals the native library's session
                       (REPLAY, with the same blocked product): initial weights
                       bit-identical, trained ones within 1e-5 of the weights'
                       scale (largest difference and difference norm);
  trains               play, wait: the test loss falls below 0.15, the boundary and
                       every neuron's heat map change, the gradient-norm chart has a
                       point per layer per epoch, Export gives a model file that
                       `mlp summary` reads; saves DIR/playground.png;
  vanishing_gradients  a 10-layer sigmoid net built by clicking: the first layer's
                       gradient norm is below 1e-4 of the last's, on the page;
  robust               malformed addresses and absurd settings give a visible message
                       and the page keeps answering; the largest network pauses; the
                       page opened from a file says to serve it.
Every check also fails on any console error or uncaught exception, of the page or its worker.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Chromium, PageError  # noqa: E402

TOLERANCE = 1e-5


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def serve(mlp):
    """`mlp playground --serve --port 0`: the process and its URL."""
    server = subprocess.Popen([mlp, "playground", "--serve", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not match:
        server.kill()
        fail(f"mlp playground --serve said {line!r} {server.stderr.read()!r}")
    return server, match.group(0)


def open_page(browser, url, hash_):
    browser.open(url + hash_)
    browser.wait_for("window.playground && playground.ready()", 60, "the page's first frame")


def canvases(browser):
    """A digest of the boundary and of each neuron's picture."""
    images = browser.evaluate("[document.getElementById('boundary').toDataURL(),"
                              " ...[...document.querySelectorAll('canvas.neuron')].map((c) => c.toDataURL())]")
    return [hashlib.sha1(i.encode()).hexdigest() for i in images]


def floats(hex_words):
    return [struct.unpack(">f", bytes.fromhex(w))[0] for w in hex_words]


def replay(args, settings, epochs):
    path = os.path.join(args.work, "settings.json")
    with open(path, "w") as f:
        json.dump(settings, f)
    env = dict(os.environ, MLP_GEMM="blocked")  # the product the WebAssembly build has
    run = subprocess.run([args.replay, path, str(epochs)], capture_output=True, text=True, env=env)
    if run.returncode != 0:
        fail(f"replay: {run.stderr}")
    lines = run.stdout.split()
    return [w for w in lines if re.fullmatch(r"[0-9a-f]{8}", w)], run.stdout


def check_same_numbers(browser, url, args):
    open_page(browser, url, "#preset=moons")
    settings = browser.evaluate("playground.settings()")
    initial = browser.evaluate("playground.weights()")
    native_initial, _ = replay(args, settings, 0)
    if initial != native_initial:
        fail("the initial weights differ between the page and the native library")
    epochs = browser.evaluate("playground.train(50)")
    if epochs != 50:
        fail(f"the page trained to epoch {epochs}, not 50")
    page, native = browser.evaluate("playground.weights()"), replay(args, settings, 50)[0]
    if len(page) != len(native):
        fail(f"{len(page)} weights in the page, {len(native)} natively")
    a, b = floats(page), floats(native)
    # Relative to the weights' scale: the largest difference over the largest
    # weight, and the difference's norm over the weights' norm. (Each weight
    # against itself is no measure: float32 training of 2,500 steps turns a
    # last-bit difference into 1e-4 of a weight near zero; two native builds,
    # OpenBLAS against the blocked product, differ that much too.)
    largest = max(abs(y) for y in b)
    worst = max(abs(x - y) for x, y in zip(a, b)) / largest
    norm = (sum((x - y) ** 2 for x, y in zip(a, b)) / sum(y * y for y in b)) ** 0.5
    same = sum(x == y for x, y in zip(page, native))
    browser.wait_for("playground.ready() && playground.epoch() === 50", 30, "the 50th epoch drawn")
    test_loss = browser.evaluate("playground.history().test_loss.at(-1)")
    print(f"moons preset, 50 epochs: {same} of {len(a)} weights bit-identical; largest difference {worst:.3g} of "
          f"the largest weight, difference norm {norm:.3g} of the weights' (bar {TOLERANCE:g}); test loss "
          f"{test_loss:.4f} in the page; initial weights bit-identical. Not all bit-identical: the browser's C "
          f"library (musl) rounds tanh, and exp and pow in double, differently from glibc in the last bit")
    if worst > TOLERANCE or norm > TOLERANCE:
        fail("the page trains away from the native library")


def check_trains(browser, url, args):
    open_page(browser, url, "#preset=moons")
    layers = browser.evaluate("playground.layers()")
    before = canvases(browser)
    browser.evaluate("document.getElementById('play').click()")
    browser.wait_for("playground.epoch() >= 20 && Number(document.getElementById('test_loss').textContent) < 0.15",
                     180, "the test loss to fall below 0.15")
    browser.evaluate("document.getElementById('play').click()")  # pause
    time.sleep(0.5)
    browser.wait_for("playground.ready()", 30, "the last frame")
    epochs = browser.evaluate("playground.epoch()")
    test_loss = float(browser.evaluate("document.getElementById('test_loss').textContent"))
    after = canvases(browser)
    if len(after) != len(before) or len(after) != 1 + 16 + 16 + 1:
        fail(f"{len(before)} pictures before, {len(after)} after; expected the boundary and 33 neurons")
    if after[0] == before[0]:
        fail("the decision boundary did not change")
    unchanged = [i for i in range(1, len(after)) if after[i] == before[i]]
    if unchanged:
        fail(f"neurons {unchanged} kept their first picture")
    points = browser.evaluate("playground.gradientPoints()")
    if len(points) != layers or any(p != epochs for p in points):
        fail(f"the gradient-norm chart has {points} points per layer after {epochs} epochs")
    exported = os.path.join(args.work, "exported.safetensors")
    with open(exported, "wb") as f:
        size = f.write(base64.b64decode(browser.evaluate("playground.exportBase64()")))
    summary = subprocess.run([args.mlp, "summary", exported], capture_output=True, text=True)
    if summary.returncode != 0 or "dense" not in summary.stdout:
        fail(f"the exported model ({size} bytes) does not load: {summary.stderr}")
    # `mlp predict` finds the features by name: the exported model knows them.
    points = os.path.join(args.work, "points.csv")
    with open(points, "w") as f:
        f.write("x2,x1\n0.2,0.5\n-0.3,1.5\n")
    predict = subprocess.run([args.mlp, "predict", exported, "--input", points], capture_output=True, text=True)
    if predict.returncode != 0 or len(predict.stdout.split()) != 3:
        fail(f"mlp predict on the exported model: {predict.stdout} {predict.stderr}")
    shot = os.path.join(args.work, "playground.png")
    bytes_ = browser.screenshot(shot)
    if bytes_ < 50_000:
        fail(f"the screenshot is {bytes_} bytes: the page looks blank")
    print(f"played {epochs} epochs: test loss {test_loss}, the boundary and all 33 neurons redrawn, "
          f"{layers} gradient-norm series of {epochs} points, export loads ({size} bytes), screenshot {shot}")


def check_vanishing_gradients(browser, url, args):
    open_page(browser, url, "#data=circles&points=500&noise=0.1&layers=8:sigmoid&optimizer=sgd&lr=0.1"
                            "&init=glorot_uniform&batch=10")
    for hidden in range(2, 11):  # each click adds a layer like the last, and rebuilds the model
        browser.evaluate("document.getElementById('add_layer').click()")
        browser.wait_for(f"playground.layers() === {hidden + 1} && playground.ready()", 30, f"{hidden} layers")
    browser.evaluate("document.getElementById('play').click()")
    browser.wait_for("playground.epoch() >= 3", 120, "three epochs")
    browser.evaluate("document.getElementById('play').click()")
    time.sleep(0.5)
    browser.wait_for("playground.ready()", 30, "the last frame")
    legend = browser.evaluate("[...document.querySelectorAll('#gradient_legend span')]"
                              ".map((s) => [s.dataset.layer, Number(s.dataset.norm), s.textContent])")
    if len(legend) != 11:
        fail(f"the gradient legend shows {len(legend)} layers, not 10 hidden and the output")
    first, last = legend[0][1], legend[-1][1]
    ratio = first / last
    print(f"10 sigmoid layers: the page shows {legend[0][2]!r} and {legend[-1][2]!r}: ratio {ratio:.3g} (bar 1e-4)")
    if not ratio < 1e-4:
        fail("the first layer's gradient is not below 1e-4 of the last's")


ROBUST = [
    ("#preset=nope", 'no preset "nope"'),
    ("#layers=" + ",".join(["8:tanh"] * 1000), "at most 32 hidden layers"),
    ("#data=donut", 'no data set "donut"'),
    ("#lr=abc", '"lr" in the address must be a number'),
    ("#layers=8:tanh,banana", "is not UNITS:ACTIVATION"),
    ("#%%%garbage", "unknown setting"),
    ("#layers=8:relu6", "unknown activation 'relu6'"),
    ("#batch=0", "batch_size"),
    ("#features=x3", 'no feature "x3"'),
    ("#points=100000000", "points must be in"),
    ("#lr=1e9&optimizer=sgd&layers=8:relu", "a learning rate of 1e+09 is far beyond what trains"),
]


def check_robust(browser, url, args):
    open_page(browser, url, "#preset=moons")
    for hash_, expected in ROBUST:
        browser.evaluate(f"location.hash = {json.dumps(hash_)}")
        shown = browser.wait_for(
            f"(() => {{ const m = document.getElementById('message');"
            f" return !m.hidden && m.textContent.includes({json.dumps(expected)}) && m.textContent; }})()",
            30, f"a message with {expected!r} for {hash_[:40]}")
        # Still answering: the worker gives the weights of the model it kept.
        if not browser.evaluate("playground.weights().then((w) => w.length)", timeout=10):
            fail(f"no answer from the worker after {hash_[:40]}")
        print(f"{hash_[:40]:42} -> {shown[:110]}")
    # The largest network the page takes (32 layers of 256 units, 2 million
    # parameters) plays batch by batch: the page answers, and pause stops it.
    browser.evaluate("location.hash = '#layers=" + ",".join(["256:relu"] * 32) + "'")
    browser.wait_for("playground.ready() && document.getElementById('message').textContent.includes('parameters')",
                     60, "the 32x256 network")
    browser.evaluate("document.getElementById('play').click()")
    time.sleep(3)
    start = time.monotonic()
    steps = browser.evaluate("playground.weights().then((w) => w.length)", timeout=10)
    answer_s = time.monotonic() - start
    browser.evaluate("document.getElementById('play').click()")
    time.sleep(1)
    before = browser.evaluate("document.getElementById('epoch').title")
    time.sleep(2)
    after = browser.evaluate("document.getElementById('epoch').title")
    print(f"32 layers of 256 units: {steps} weights read while playing, in {answer_s:.2f} s; after pause {before} "
          f"then {after}")
    if before != after:
        fail("the large network kept training after pause")
    browser.evaluate("location.hash = '#lr=1e9&optimizer=sgd&layers=8:relu'")
    # The absurd learning rate trains into a visible divergence, and play stops.
    browser.wait_for("playground.ready()", 30, "the lr=1e9 model")
    browser.evaluate("document.getElementById('play').click()")
    shown = browser.wait_for("(() => { const m = document.getElementById('message');"
                             " return m.textContent.includes('loss became') && m.textContent; })()",
                             60, "the divergence message")
    playing = browser.evaluate("document.getElementById('play').classList.contains('playing')")
    print(f"lr 1e9 after play -> {shown[:110]}; still playing: {playing}")
    if playing:
        fail("the page keeps playing a diverged model")
    # Written out and opened from a file, where Chromium runs no worker: it says what to do instead.
    out = os.path.join(args.work, "page")
    subprocess.run([args.mlp, "playground", "--out", out], check=True, capture_output=True)
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f"the page written out: {', '.join(sorted(os.listdir(out)))}: {size / 1e6:.2f} MB (bar 2 MB)")
    if size >= 2_000_000:
        fail(f"the page is {size} bytes, over 2 MB")
    browser.open("file://" + os.path.join(out, "index.html"))
    shown = browser.wait_for("(() => { const m = document.getElementById('message');"
                             " return m && !m.hidden && m.textContent.includes('--serve') && m.textContent; })()",
                             30, "the message about file://")
    print(f"opened from a file -> {shown[:110]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--mlp", required=True)
    parser.add_argument("--replay", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("check", choices=["same_numbers", "trains", "vanishing_gradients", "robust"])
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    server, url = serve(args.mlp)
    try:
        with Chromium(args.chromium) as browser:
            try:
                globals()["check_" + args.check](browser, url, args)
            except PageError as e:
                fail(f"{e}; the page says: " + str(browser.evaluate(
                    "document.getElementById('message').textContent")))
            if browser.problems:
                fail("console errors:\n  " + "\n  ".join(browser.problems))
    finally:
        server.kill()
        server.wait()
    print(f"PASS: playground {args.check}, no console errors")


if __name__ == "__main__":
    main()
