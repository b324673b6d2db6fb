// Runs every DIR/NAME.onnx in ONNX Runtime (onnxruntime-node) on NAME.x.npy,
// in batches of each size given, and compares with NAME.y.npy (what mlp's
// predict gave): every output within RTOL relative (and 1e-6 absolute for
// values near zero).
//   node run_onnx.js DIR [RTOL] [BATCH...]   (default 1e-5, batches 1 and 37)
const fs = require("fs");
const path = require("path");
const ort = require("onnxruntime-node");

function readNpy(file) {
  const bytes = fs.readFileSync(file);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.toString("latin1", 10, 10 + headerLength);
  const descr = /'descr': *'([<|>]?[a-z]\d+)'/.exec(header)[1];
  const shape = /'shape': *\(([^)]*)\)/.exec(header)[1].split(",").filter((s) => s.trim()).map(Number);
  const data = bytes.subarray(10 + headerLength);
  const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  if (descr.endsWith("f4")) return { type: "float32", shape, values: new Float32Array(copy) };
  if (descr.endsWith("f8")) return { type: "float64", shape, values: new Float64Array(copy) };
  throw new Error(`${file}: dtype ${descr} is not float32 or float64`);
}

async function check(dir, name, rtol, batches) {
  const session = await ort.InferenceSession.create(path.join(dir, `${name}.onnx`));
  const x = readNpy(path.join(dir, `${name}.x.npy`));
  const y = readNpy(path.join(dir, `${name}.y.npy`));
  const [rows, features] = x.shape;
  const outputs = y.shape[1];
  let worst = 0;
  for (const batch of batches) {
    for (let start = 0; start < rows; start += batch) {
      const n = Math.min(batch, rows - start);
      const slice = x.values.slice(start * features, (start + n) * features);
      const result = await session.run({ input: new ort.Tensor(x.type, slice, [n, features]) });
      const got = result.output;
      if (got.dims[0] !== n || got.dims[1] !== outputs)
        throw new Error(`${name}: output shape ${got.dims}, expected [${n}, ${outputs}]`);
      for (let i = 0; i < n * outputs; i++) {
        const want = y.values[start * outputs + i];
        const diff = Math.abs(got.data[i] - want);
        const rel = diff / Math.max(Math.abs(want), 1e-6 / rtol);
        worst = Math.max(worst, rel);
        if (rel > rtol)
          throw new Error(`${name}: batch ${batch}, row ${start + Math.floor(i / outputs)}, output ` +
                          `${i % outputs}: ONNX Runtime ${got.data[i]}, mlp ${want} (relative ${rel})`);
      }
    }
  }
  return worst;
}

async function main() {
  const [dir, rtolText, ...batchTexts] = process.argv.slice(2);
  const rtol = rtolText ? Number(rtolText) : 1e-5;
  const batches = batchTexts.length ? batchTexts.map(Number) : [1, 37];
  const names = fs.readdirSync(dir).filter((f) => f.endsWith(".onnx")).map((f) => f.slice(0, -5)).sort();
  if (!names.length) throw new Error(`no .onnx files in ${dir}`);
  for (const name of names) {
    const worst = await check(dir, name, rtol, batches);
    console.log(`${name}: agrees, largest relative difference ${worst.toExponential(2)}`);
  }
  console.log(`ONNX Runtime ${ort.env.versions.node} agrees with mlp on ${names.length} models, batches ${batches}`);
}

main().catch((e) => {
  console.error(`FAILED: ${e.message}`);
  process.exit(1);
});
