// The playground's Web Worker: the mlp core (WebAssembly) trains here, so the
// page never waits on it. It trains in slices of about SLICE_MS while playing,
// and sends a frame (progress since the last frame, every neuron's grid) only
// when the page says it drew the previous one: the page redraws at most at
// the display's rate, and no frame queues up.
"use strict";
importScripts("mlp_playground.js");

const SLICE_MS = 12;
let core = null;         // the module's functions
let created = false;
let playing = false;
let pageReady = true;    // the page drew the last frame
let since = 0;           // epochs whose figures the page has (it says so with each "frame")
let generation = 0;      // the page's count of configurations: frames carry it
let unsent = false;      // trained since the last frame
let epochsPerCall = 1;   // adapted so that a call lasts about a slice
let batchesPerCall = 0;  // instead, when an epoch takes longer than that
let batchesPerEpoch = 1;
let frameCost = 0;       // ms to compute the last frame's grids
let nextFrame = 0;       // no frame before this time while playing
let resolution = 40;         // each neuron's grid
let outputResolution = 100;  // the boundary's
let rate = { epochs: 0, ms: 0 };
const tick = new MessageChannel();  // a zero-delay turn of the event loop (setTimeout clamps to 4 ms)

function call(name, ...args) { return JSON.parse(core[name](...args)); }

function floats(pointerName, ...args) {
  const pointer = core[pointerName](...args) >> 2;
  return core.module.HEAPF32.slice(pointer, pointer + core.size());
}

function fail(message) {
  playing = false;
  postMessage({ type: "error", message });
}

function sendFrame(progress) {
  if (!created || !pageReady) return;
  pageReady = false;
  const p = progress || call("progress", since);
  if (p.error) return fail(p.error);
  unsent = false;
  const start = performance.now();
  const grids = floats("grids", resolution, 0), output = floats("grids", outputResolution, 1);
  const kernels = floats("kernels");
  frameCost = performance.now() - start;
  nextFrame = performance.now() + 4 * frameCost;  // drawing takes at most a fifth of the worker's time
  const perSecond = rate.ms > 0 ? (1000 * rate.epochs) / rate.ms : 0;
  postMessage({ type: "frame", generation, progress: p, grids, resolution, output, outputResolution, kernels,
                epochsPerSecond: perSecond }, [grids.buffer, output.buffer, kernels.buffer]);
  if (p.diverged) playing = false;
}

/// One slice of training: whole epochs while an epoch is quick, single batches
/// when one epoch would take longer than a few slices (a large network), so
/// that a pause or a new setting waits for at most a slice.
function train() {
  if (!playing) return;
  const start = performance.now();
  const p = batchesPerCall > 0 ? call("train", 0, batchesPerCall, since) : call("train", epochsPerCall, 0, since);
  const took = performance.now() - start;
  if (p.error) return fail(p.error);
  rate.epochs += batchesPerCall > 0 ? batchesPerCall / batchesPerEpoch : epochsPerCall;
  rate.ms += took;
  if (rate.ms > 2000) rate = { epochs: rate.epochs / 2, ms: rate.ms / 2 };  // a running figure
  const factor = took < SLICE_MS / 2 ? 2 : took > SLICE_MS ? 0.5 : 1;
  if (batchesPerCall > 0) {
    batchesPerCall = Math.max(1, Math.round(batchesPerCall * factor));
    if (batchesPerCall >= batchesPerEpoch && p.batch === 0) batchesPerCall = 0;  // epochs are quick again
  } else if (epochsPerCall === 1 && took > 4 * SLICE_MS) {
    batchesPerCall = Math.max(1, Math.round((batchesPerEpoch * SLICE_MS) / took));
  } else {
    epochsPerCall = Math.max(1, Math.min(1000, Math.round(epochsPerCall * factor)));
  }
  if (p.diverged) {
    playing = false;
    pageReady = true;  // the last frame must show it
    nextFrame = 0;
  }
  unsent = true;
  if (pageReady && performance.now() >= nextFrame) sendFrame(null);
  if (playing) tick.port2.postMessage(null);
}
tick.port1.onmessage = train;

onmessage = (event) => {
  const m = event.data;
  if (!core) return postMessage({ type: "error", message: "the core is still loading" });
  switch (m.type) {
    case "configure": {
      playing = false;
      const layout = call("create", JSON.stringify(m.settings));
      if (layout.error) return postMessage({ type: "rejected", message: layout.error });
      created = true;
      since = 0;
      generation = m.generation;
      rate = { epochs: 0, ms: 0 };
      epochsPerCall = 1;
      batchesPerCall = 0;
      batchesPerEpoch = layout.batches_per_epoch;
      // Finer grids for small networks; a large one's would cost seconds a frame.
      const fit = (flops, lo, hi) => Math.max(lo, Math.min(hi, Math.floor(Math.sqrt(flops / (2 * layout.parameters)))));
      [resolution, outputResolution] = layout.regression ? [100, 200] : [fit(1e8, 6, 40), fit(2e8, 8, 100)];
      postMessage({ type: "layout", layout });
      pageReady = true;
      sendFrame(null);
      break;
    }
    case "play":
      if (created && !playing) {
        playing = true;
        tick.port2.postMessage(null);
      }
      break;
    case "pause":
      playing = false;
      break;
    case "step": {
      if (!created) break;
      playing = false;
      const p = call("train", 0, 1, since);
      if (p.error) return fail(p.error);
      pageReady = true;
      sendFrame(p);
      break;
    }
    case "train": {  // exactly this many epochs, then a frame (tests and lessons that count)
      if (!created) break;
      playing = false;
      const p = call("train", m.epochs, 0, since);
      if (p.error) return fail(p.error);
      pageReady = true;
      sendFrame(p);
      postMessage({ type: "trained", epoch: p.epoch });
      break;
    }
    case "frame":  // the page drew the last one and has `since` epochs: the next may go
      pageReady = true;
      if (m.generation === generation) since = m.since;
      if (unsent && !playing) sendFrame(null);
      break;
    case "weights":
      postMessage({ type: "weights", values: created ? floats("weights") : new Float32Array(0), id: m.id });
      break;
    case "export": {
      const r = created ? call("model_file") : { error: "no model yet" };
      if (r.error) return postMessage({ type: "error", message: "export: " + r.error });
      const pointer = core.bytes();
      postMessage({ type: "export", bytes: core.module.HEAPU8.slice(pointer, pointer + r.bytes).buffer });
      break;
    }
  }
};

createMlpCore().then((module) => {
  const text = (name, args) => module.cwrap("playground_" + name, "string", args);
  core = {
    module,
    create: text("create", ["string"]),
    train: text("train", ["number", "number", "number"]),
    progress: text("progress", ["number"]),
    model_file: text("model_file", []),
    grids: module.cwrap("playground_grids", "number", ["number", "number"]),
    weights: module.cwrap("playground_weights", "number", []),
    kernels: module.cwrap("playground_kernels", "number", []),
    size: module.cwrap("playground_size", "number", []),
    bytes: module.cwrap("playground_model_bytes", "number", []),
  };
  postMessage({ type: "ready" });
}, (e) => postMessage({ type: "error", message: "the WebAssembly core did not load: " + e }));
