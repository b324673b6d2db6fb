#!/usr/bin/env python3
"""Runs DIR/NAME.onnx in headless Chromium with onnxruntime-web (its WebAssembly
backend) on NAME.x.npy, in batches of each size given, and compares with
NAME.y.npy (what mlp's predict gave): every output within RTOL relative (and
1e-6 absolute near zero, as run_onnx.js).

usage: run_onnx_web.py CHROMIUM ORT_WEB_DIST DIR NAME [RTOL] [BATCH...]   (defaults 1e-5, 1 and 37)

A local HTTP server gives the page, the runtime and the files (WebAssembly
cannot load from file://); the page posts each batch size's outputs back, or
its error, and the browser is closed once they are in.
"""
import http.server
import json
import sys
import subprocess
import tempfile
import threading
from pathlib import Path

import numpy as np

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-extensions", "--user-data-dir={profile}"]
TIMEOUT_S = 180

PAGE = """<!doctype html>
<meta charset="utf-8">
<title>mlp in onnxruntime-web</title>
<script src="/ort/ort.wasm.min.js"></script>
<script>
function readNpy(buffer) {
  const bytes = new Uint8Array(buffer);
  const headerLength = new DataView(buffer).getUint16(8, true);
  const header = new TextDecoder("latin1").decode(bytes.subarray(10, 10 + headerLength));
  const descr = /'descr': *'([<|>]?[a-z]\\d+)'/.exec(header)[1];
  const shape = /'shape': *\\(([^)]*)\\)/.exec(header)[1].split(",").filter((s) => s.trim()).map(Number);
  const data = buffer.slice(10 + headerLength);
  if (descr.endsWith("f4")) return { type: "float32", shape, values: new Float32Array(data) };
  if (descr.endsWith("f8")) return { type: "float64", shape, values: new Float64Array(data) };
  throw new Error("dtype " + descr);
}
async function post(path, body) { await fetch(path, { method: "POST", body }); }
async function main() {
  ort.env.wasm.numThreads = 1;  // threads need cross-origin isolation; one is the plain page's case
  ort.env.wasm.wasmPaths = "/ort/";
  const model = await (await fetch("/files/NAME.onnx")).arrayBuffer();
  const session = await ort.InferenceSession.create(model, { executionProviders: ["wasm"] });
  const x = readNpy(await (await fetch("/files/NAME.x.npy")).arrayBuffer());
  const [rows, features] = x.shape;
  for (const batch of BATCHES) {
    const parts = [];
    for (let start = 0; start < rows; start += batch) {
      const n = Math.min(batch, rows - start);
      const slice = x.values.slice(start * features, (start + n) * features);
      const result = await session.run({ input: new ort.Tensor(x.type, slice, [n, features]) });
      parts.push(result.output.data);
    }
    await post("/result/" + batch, new Blob(parts));
  }
  await post("/done", ort.env.versions ? JSON.stringify(ort.env.versions) : "{}");
}
main().catch((e) => post("/error", String(e && e.stack || e)));
</script>
"""


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        sys.exit(2)
    chromium, dist, directory, name = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    rtol = float(sys.argv[5]) if len(sys.argv) > 5 else 1e-5
    batches = [int(b) for b in sys.argv[6:]] or [1, 37]
    page = PAGE.replace("NAME", name).replace("BATCHES", json.dumps(batches)).encode()
    results, finished = {}, threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/":
                body, kind = page, "text/html"
            else:
                root, _, file = self.path.lstrip("/").partition("/")
                base = {"ort": dist, "files": directory}.get(root)
                target = (base / file).resolve() if base and "/" not in file else None
                if target is None or not target.is_file():
                    self.send_error(404)
                    return
                body = target.read_bytes()
                kind = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm"}.get(
                    target.suffix, "application/octet-stream")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(204)
            self.end_headers()
            results[self.path] = body
            if self.path in ("/done", "/error"):
                finished.set()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with tempfile.TemporaryDirectory() as profile:
        browser = subprocess.Popen([chromium] + [f.format(profile=profile) for f in FLAGS] + [url],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if not finished.wait(TIMEOUT_S):
                print(f"FAIL: no answer from the page in {TIMEOUT_S} s")
                sys.exit(1)
        finally:
            browser.kill()
            browser.wait()
            server.shutdown()
    if "/error" in results:
        print("FAIL: the page: " + results["/error"].decode(errors="replace"))
        sys.exit(1)
    want = np.load(directory / f"{name}.y.npy")
    worst = 0.0
    for batch in batches:
        got = np.frombuffer(results[f"/result/{batch}"], dtype=want.dtype).reshape(want.shape)
        relative = np.abs(got - want) / np.maximum(np.abs(want), 1e-6 / rtol)
        worst = max(worst, float(relative.max()))
        if relative.max() > rtol:
            row, col = np.unravel_index(int(relative.argmax()), want.shape)
            print(f"FAIL: batch {batch}, row {row}, output {col}: onnxruntime-web {got[row, col]}, "
                  f"mlp {want[row, col]} (relative {relative.max():.3g})")
            sys.exit(1)
    version = json.loads(results["/done"] or b"{}").get("web", "?")
    print(f"onnxruntime-web {version} in Chromium agrees with mlp on {name}: {want.shape[0]} rows, batches "
          f"{', '.join(map(str, batches))}, max relative difference {worst:.3g}")


if __name__ == "__main__":
    main()
