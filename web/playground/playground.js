// The playground page: the controls, the URL hash, and the drawing. The
// training itself happens in worker.js (the mlp core in WebAssembly); this
// side keeps what the worker reported and redraws at most once per display
// frame, telling the worker when it may send the next.
"use strict";

const ACTIVATIONS = ["linear", "step", "sign", "piecewise_linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu"];
const DATASETS = ["xor", "circles", "moons", "spirals", "blobs", "regression"];
const FEATURES = ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)"];
const FEATURE_LABELS = { "x1": "X\u2081", "x2": "X\u2082", "x1^2": "X\u2081\u00B2", "x2^2": "X\u2082\u00B2",
                         "x1x2": "X\u2081X\u2082", "sin(x1)": "sin(X\u2081)", "sin(x2)": "sin(X\u2082)" };
const FEATURE_FUNCTIONS = { "x1": (a) => a, "x2": (a, b) => b, "x1^2": (a) => a * a, "x2^2": (a, b) => b * b,
                            "x1x2": (a, b) => a * b, "sin(x1)": (a) => Math.sin(a), "sin(x2)": (a, b) => Math.sin(b) };
const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REGULARIZATION = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
const DROPOUT = [0, 0.1, 0.2, 0.3, 0.5];
const MAX_LAYERS = 32, MAX_UNITS = 256;
const NEGATIVE = [245, 147, 34], MIDDLE = [232, 234, 235], POSITIVE = [8, 119, 189];
const CLASS_COLOURS = [[245, 147, 34], [8, 119, 189], [76, 175, 80], [156, 39, 176], [229, 57, 53], [96, 125, 139]];
const SERIES_COLOURS = ["#0877bd", "#f59322", "#4caf50", "#9c27b0", "#e53935", "#607d8b", "#795548", "#00acc1"];
// The URL hash's keys, and where each goes in the settings.
const HASH_KEYS = ["preset", "data", "points", "noise", "test", "classes", "dataseed", "features", "layers", "init",
                   "l1", "l2", "dropout", "bn", "optimizer", "lr", "batch", "seed"];

const $ = (id) => document.getElementById(id);
const clone = (x) => JSON.parse(JSON.stringify(x));

const page = {
  worker: null,
  ready: false,
  settings: null,     // what the controls show
  accepted: null,     // what the core last accepted
  layout: null,
  history: null,
  frame: null,        // the latest frame from the worker, not yet drawn
  drawPending: false,
  playing: false,
  waiters: [],        // test hooks waiting for the worker's answers
  drawnSeries: [],    // points per gradient-norm series, for the tests
  generation: 0,      // configurations sent: frames of an earlier one are dropped
};

function configure() {
  page.generation += 1;
  page.worker.postMessage({ type: "configure", settings: page.settings, generation: page.generation });
}

function withDefaults(s) {
  const d = s.data || {};
  return {
    data: { name: d.name ?? "moons", points: d.points ?? 1000, noise: d.noise ?? 0.2,
            test_fraction: d.test_fraction ?? 0.5, classes: d.classes ?? 2, seed: d.seed ?? 0 },
    features: s.features ?? ["x1", "x2"],
    layers: s.layers ?? [{ units: 4, activation: "tanh" }, { units: 2, activation: "tanh" }],
    initializer: s.initializer ?? "auto", l1: s.l1 ?? 0, l2: s.l2 ?? 0, dropout: s.dropout ?? 0,
    batch_norm: s.batch_norm ?? false, optimizer: s.optimizer ?? "adam", lr: s.lr ?? 0.01,
    batch_size: s.batch_size ?? 10, seed: s.seed ?? 0,
  };
}

// --- messages --------------------------------------------------------------------

function showMessage(text, kind) {
  const m = $("message");
  m.textContent = text;
  m.className = kind || "error";
  m.hidden = !text;
}

// --- the URL hash ------------------------------------------------------------------

function toHash(s) {
  const p = new URLSearchParams();
  p.set("data", s.data.name);
  p.set("points", s.data.points);
  p.set("noise", s.data.noise);
  p.set("test", s.data.test_fraction);
  if (s.data.name === "spirals" || s.data.name === "blobs") p.set("classes", s.data.classes);
  p.set("dataseed", s.data.seed);
  p.set("features", s.features.join(","));
  p.set("layers", s.layers.map((l) => l.units + ":" + l.activation).join(","));
  p.set("init", s.initializer);
  p.set("l1", s.l1);
  p.set("l2", s.l2);
  p.set("dropout", s.dropout);
  p.set("bn", s.batch_norm ? 1 : 0);
  p.set("optimizer", s.optimizer);
  p.set("lr", s.lr);
  p.set("batch", s.batch_size);
  p.set("seed", s.seed);
  return "#" + p.toString();
}

/// Settings from a hash; throws an Error whose message says what is wrong.
function fromHash(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  for (const key of p.keys())
    if (!HASH_KEYS.includes(key)) throw new Error(`unknown setting "${key}" in the address (known: ${HASH_KEYS.join(", ")})`);
  let s = withDefaults({});
  if (p.has("preset")) {
    const name = p.get("preset");
    if (!Object.hasOwn(PRESETS, name)) throw new Error(`no preset "${name}" (known: ${Object.keys(PRESETS).join(", ")})`);
    s = withDefaults(clone(PRESETS[name].settings));
  }
  const num = (key) => {
    const text = p.get(key);
    const x = Number(text);
    if (text === "" || !Number.isFinite(x)) throw new Error(`"${key}" in the address must be a number, got "${text}"`);
    return x;
  };
  if (p.has("data")) s.data.name = p.get("data");
  if (p.has("points")) s.data.points = num("points");
  if (p.has("noise")) s.data.noise = num("noise");
  if (p.has("test")) s.data.test_fraction = num("test");
  if (p.has("classes")) s.data.classes = num("classes");
  if (p.has("dataseed")) s.data.seed = num("dataseed");
  if (p.has("features")) s.features = p.get("features").split(",").filter((f) => f);
  if (p.has("layers")) {
    const text = p.get("layers");
    s.layers = text === "" ? [] : text.split(",").map((part) => {
      const m = /^(\d+):(\w+)$/.exec(part);
      if (!m) throw new Error(`"layers" in the address: "${part}" is not UNITS:ACTIVATION (16:tanh)`);
      return { units: Number(m[1]), activation: m[2] };
    });
  }
  if (p.has("init")) s.initializer = p.get("init");
  if (p.has("l1")) s.l1 = num("l1");
  if (p.has("l2")) s.l2 = num("l2");
  if (p.has("dropout")) s.dropout = num("dropout");
  if (p.has("bn")) s.batch_norm = num("bn") !== 0;
  if (p.has("optimizer")) s.optimizer = p.get("optimizer");
  if (p.has("lr")) s.lr = num("lr");
  if (p.has("batch")) s.batch_size = num("batch");
  if (p.has("seed")) s.seed = num("seed");
  return s;
}

// --- the controls ------------------------------------------------------------------

function fillSelect(select, values, label) {
  select.replaceChildren(...values.map((v) => new Option(label ? label(v) : String(v), String(v))));
}

/// Selects `value`, adding it as a choice when it is not one (a value from the address).
function choose(select, value) {
  const text = String(value);
  if (![...select.options].some((o) => o.value === text)) select.add(new Option(text, text));
  select.value = text;
}

function makeButton(text, title, onclick) {
  const b = document.createElement("button");
  b.className = "small";
  b.textContent = text;
  b.title = title;
  b.onclick = onclick;
  return b;
}

function renderControls() {
  const s = page.settings;
  choose($("optimizer"), s.optimizer);
  choose($("lr"), s.lr);
  $("batch_size").value = s.batch_size;
  choose($("l1"), s.l1);
  choose($("l2"), s.l2);
  choose($("dropout"), s.dropout);
  $("batch_norm").checked = s.batch_norm;
  choose($("initializer"), s.initializer);
  $("seed").value = s.seed;
  $("noise").value = s.data.noise;
  $("noise_value").textContent = s.data.noise;
  $("test_fraction").value = s.data.test_fraction;
  $("test_fraction_value").textContent = Math.round(100 * s.data.test_fraction) + "%";
  $("points").value = s.data.points;
  $("classes").value = s.data.classes;
  $("classes").disabled = !(s.data.name === "spirals" || s.data.name === "blobs");
  $("data_seed").value = s.data.seed;
  for (const b of $("datasets").children) b.classList.toggle("selected", b.dataset.name === s.data.name);
  for (const label of $("features").children) {
    const box = label.querySelector("input");
    box.checked = s.features.includes(box.value);
    label.classList.toggle("off", !box.checked);
  }
  $("add_layer").disabled = s.layers.length >= MAX_LAYERS;
  $("remove_layer").disabled = s.layers.length === 0;
  $("layer_count").textContent = s.layers.length + (s.layers.length === 1 ? " layer" : " layers");
}

/// The columns of neurons: one per hidden layer, then the output.
function renderNetwork() {
  const layers = $("layers");
  layers.replaceChildren();
  const drawn = page.layout ? page.layout.layers : [];
  drawn.forEach((layer, i) => {
    const hidden = i < drawn.length - 1;
    const column = document.createElement("div");
    column.className = "layer";
    const head = document.createElement("div");
    head.className = "layer-head";
    if (hidden) {
      head.append(makeButton("+", "Add a unit", () => changeUnits(i, +1)),
                  makeButton("\u2212", "Remove a unit", () => changeUnits(i, -1)));
    }
    const units = document.createElement("div");
    units.textContent = hidden ? `${layer.units} ${layer.units === 1 ? "unit" : "units"}` : "output";
    head.append(units);
    if (hidden) {
      const select = document.createElement("select");
      select.className = "activation";
      fillSelect(select, ACTIVATIONS);
      choose(select, page.settings.layers[i].activation);
      select.onchange = () => { page.settings.layers[i].activation = select.value; apply(); };
      head.append(select);
    } else {
      const a = document.createElement("div");
      a.className = "activation";
      a.textContent = layer.activation;
      head.append(a);
    }
    const dead = document.createElement("div");
    dead.className = "dead";
    dead.dataset.layer = i;
    head.append(dead);
    column.append(head);
    const shown = Math.min(layer.units, 64);
    for (let u = 0; u < shown; ++u) {
      const c = document.createElement("canvas");
      c.className = "neuron";
      c.width = c.height = 44;
      c.dataset.layer = i;
      c.dataset.unit = u;
      c.title = `${layer.name}, unit ${u + 1} (${layer.activation})`;
      column.append(c);
    }
    if (layer.units > shown) {
      const more = document.createElement("div");
      more.textContent = `+${layer.units - shown} more`;
      column.append(more);
    }
    layers.append(column);
  });
}

function renderFeatureMaps() {
  if (!page.layout) return;
  const [x0, x1, y0, y1] = page.layout.domain;
  const r = 24;
  for (const label of $("features").children) {
    const canvas = label.querySelector("canvas");
    const f = FEATURE_FUNCTIONS[label.querySelector("input").value];
    const values = new Float32Array(r * r);
    let scale = 0;
    for (let i = 0; i < r * r; ++i) {
      const a = x0 + ((x1 - x0) * (i % r)) / (r - 1), b = y1 - ((y1 - y0) * Math.floor(i / r)) / (r - 1);
      values[i] = f(a, b);
      scale = Math.max(scale, Math.abs(values[i]));
    }
    drawHeat(canvas, values, 0, r, scale || 1);
  }
}

function changeUnits(layer, delta) {
  const l = page.settings.layers[layer];
  l.units = Math.max(1, Math.min(MAX_UNITS, l.units + delta));
  apply();
}

function buildStaticControls() {
  fillSelect($("lr"), LEARNING_RATES);
  fillSelect($("l1"), REGULARIZATION);
  fillSelect($("l2"), REGULARIZATION);
  fillSelect($("dropout"), DROPOUT);
  for (const [name, preset] of Object.entries(PRESETS)) {
    const o = new Option(name, name);
    o.title = preset.about;
    $("preset").add(o);
  }
  for (const name of DATASETS) {
    const b = document.createElement("button");
    b.textContent = name;
    b.dataset.name = name;
    b.onclick = () => {
      const d = page.settings.data;
      d.name = name;
      if (name === "regression") page.settings.features = ["x1"];
      else if (page.settings.features.every((f) => f === "x1")) page.settings.features = ["x1", "x2"];
      if (name !== "spirals" && name !== "blobs") d.classes = 2;
      apply();
    };
    $("datasets").append(b);
  }
  for (const f of FEATURES) {
    const label = document.createElement("label");
    label.className = "feature";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = f;
    box.onchange = () => {
      const s = page.settings;
      s.features = FEATURES.filter((g) => (g === f ? box.checked : s.features.includes(g)));
      apply();
    };
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 36;
    const name = document.createElement("span");
    name.textContent = FEATURE_LABELS[f];
    label.append(box, name, canvas);  // the picture last: the links leave from its right edge
    $("features").append(label);
  }
  const numberField = (id, set) => ($(id).onchange = () => {
    const x = Number($(id).value);
    if ($(id).value === "" || !Number.isFinite(x)) return showMessage(`${id.replace("_", " ")}: not a number`);
    set(x);
    apply();
  });
  $("optimizer").onchange = () => { page.settings.optimizer = $("optimizer").value; apply(); };
  $("initializer").onchange = () => { page.settings.initializer = $("initializer").value; apply(); };
  $("lr").onchange = () => { page.settings.lr = Number($("lr").value); apply(); };
  $("l1").onchange = () => { page.settings.l1 = Number($("l1").value); apply(); };
  $("l2").onchange = () => { page.settings.l2 = Number($("l2").value); apply(); };
  $("dropout").onchange = () => { page.settings.dropout = Number($("dropout").value); apply(); };
  $("batch_norm").onchange = () => { page.settings.batch_norm = $("batch_norm").checked; apply(); };
  numberField("batch_size", (x) => (page.settings.batch_size = x));
  numberField("seed", (x) => (page.settings.seed = x));
  numberField("points", (x) => (page.settings.data.points = x));
  numberField("classes", (x) => (page.settings.data.classes = x));
  numberField("data_seed", (x) => (page.settings.data.seed = x));
  $("noise").oninput = () => ($("noise_value").textContent = $("noise").value);
  $("noise").onchange = () => { page.settings.data.noise = Number($("noise").value); apply(); };
  $("test_fraction").onchange = () => { page.settings.data.test_fraction = Number($("test_fraction").value); apply(); };
  $("preset").onchange = () => {
    if (!$("preset").value) return;
    location.hash = "#preset=" + $("preset").value;
  };
  $("add_layer").onclick = () => {
    const layers = page.settings.layers;
    if (layers.length >= MAX_LAYERS) return;
    const last = layers[layers.length - 1];
    layers.push(last ? { ...last } : { units: 4, activation: "tanh" });
    apply();
  };
  $("remove_layer").onclick = () => { page.settings.layers.pop(); apply(); };
  $("play").onclick = () => (page.playing ? pause() : play());
  $("step").onclick = () => { pause(); page.worker.postMessage({ type: "step" }); };
  $("reset").onclick = () => apply();
  $("export").onclick = () => page.worker.postMessage({ type: "export" });
  $("show_test").onchange = () => draw();
  $("loss_log").onchange = () => draw();
  $("layers").addEventListener("scroll", () => drawLinks());
  window.addEventListener("resize", () => drawLinks());
  document.addEventListener("keydown", (e) => {
    if (e.code === "Space" && !["INPUT", "SELECT", "BUTTON"].includes(document.activeElement.tagName)) {
      e.preventDefault();
      $("play").click();
    }
  });
  window.addEventListener("hashchange", () => loadHash());
}

// --- talking to the worker ---------------------------------------------------------

/// Sends the controls' settings to the core: a new model at epoch 0.
function apply() {
  pause();
  renderControls();
  history.replaceState(null, "", toHash(page.settings));
  configure();
}

function loadHash() {
  let settings;
  try {
    settings = location.hash.length > 1 ? fromHash(location.hash) : withDefaults(clone(PRESETS.moons.settings));
    const preset = new URLSearchParams(location.hash.slice(1)).get("preset");
    showMessage(preset && PRESETS[preset] ? PRESETS[preset].about : "", "info");
    $("preset").value = preset && PRESETS[preset] ? preset : "";
  } catch (e) {
    showMessage(e.message + " \u2014 showing the last good settings instead.");
    settings = page.accepted ? clone(page.accepted) : withDefaults(clone(PRESETS.moons.settings));
  }
  page.settings = settings;
  if (page.ready) {
    pause();
    renderControls();
    configure();
  }
}

function play() {
  if (!page.layout) return;
  page.playing = true;
  $("play").classList.add("playing");
  $("play").innerHTML = "&#x2016;";
  page.worker.postMessage({ type: "play" });
}

function pause() {
  page.playing = false;
  $("play").classList.remove("playing");
  $("play").innerHTML = "&#x25B6;";
  if (page.worker) page.worker.postMessage({ type: "pause" });
}

function onWorkerMessage(event) {
  const m = event.data;
  switch (m.type) {
    case "ready":
      page.ready = true;
      $("play").disabled = false;
      configure();
      break;
    case "layout": {
      page.layout = m.layout;
      page.grids = null;
      page.accepted = clone(page.settings);
      page.history = { train_loss: [], test_loss: [], train_accuracy: [], test_accuracy: [],
                       gradient_norm: m.layout.layers.map(() => []), dead_fraction: m.layout.layers.map(() => []) };
      $("summary").textContent = m.layout.summary;
      $("parameters").textContent = `${m.layout.parameters.toLocaleString("en")} parameters`;
      if (m.layout.warnings.length) showMessage(m.layout.warnings.join(" "), "warning");
      renderNetwork();
      renderFeatureMaps();
      break;
    }
    case "rejected":
      // The core said why it cannot build this: say it, and go back to what it last took.
      showMessage(m.message);
      page.settings = page.accepted ? clone(page.accepted) : withDefaults(clone(PRESETS.moons.settings));
      renderControls();
      configure();
      break;
    case "frame":
      if (m.generation !== page.generation || !page.history) break;
      mergeProgress(m.progress);
      page.frame = m;
      if (!page.drawPending) {
        page.drawPending = true;
        requestAnimationFrame(drawFrame);
      }
      break;
    case "weights":
    case "trained":
    case "export": {
      if (m.type === "export") {
        const url = URL.createObjectURL(new Blob([m.bytes], { type: "application/octet-stream" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = "playground.safetensors";
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      }
      const waiting = page.waiters.filter((w) => w.type === m.type);
      page.waiters = page.waiters.filter((w) => w.type !== m.type);
      waiting.forEach((w) => w.resolve(m));
      break;
    }
    case "error":
      showMessage(m.message);
      pause();
      break;
  }
}

// --- drawing -----------------------------------------------------------------------

function colour(v) {
  const t = Math.max(-1, Math.min(1, v));
  const [from, to, a] = t < 0 ? [MIDDLE, NEGATIVE, -t] : [MIDDLE, POSITIVE, t];
  return [0, 1, 2].map((k) => from[k] + (to[k] - from[k]) * a);
}

const scratch = document.createElement("canvas");

/// A heat map of values[offset .. offset + r*r) (row-major, top row first),
/// scaled by 1/scale; `pale` (0 to 1) mixes white in, so that points show on it.
function drawHeat(canvas, values, offset, r, scale, pale = 0) {
  scratch.width = scratch.height = r;
  const sctx = scratch.getContext("2d");
  const image = sctx.createImageData(r, r);
  for (let i = 0; i < r * r; ++i) {
    const c = colour(values[offset + i] / scale);
    image.data.set([...c.map((v) => v + (255 - v) * pale), 255], 4 * i);
  }
  sctx.putImageData(image, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

/// A curve of values[offset .. offset + n) over the canvas's width.
function drawCurve(canvas, values, offset, n, lo, hi, colourText) {
  const ctx = canvas.getContext("2d");
  ctx.strokeStyle = colourText || "#0877bd";
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (let i = 0; i < n; ++i) {
    const x = (canvas.width * i) / (n - 1), y = canvas.height * (1 - (values[offset + i] - lo) / (hi - lo || 1));
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
}

function neuronScale(values, offset, n, activation) {
  if (["sigmoid", "step", "piecewise_linear"].includes(activation)) return 1;
  let m = 0;
  for (let i = 0; i < n; ++i) m = Math.max(m, Math.abs(values[offset + i]));
  return m > 1 ? m : 1;
}

function drawNeurons(grids, r) {
  const layout = page.layout;
  const cells = layout.regression ? r : r * r;
  let offset = 0;
  const canvases = document.querySelectorAll("canvas.neuron");
  const byPlace = new Map([...canvases].map((c) => [c.dataset.layer + "/" + c.dataset.unit, c]));
  layout.layers.forEach((layer, i) => {
    for (let u = 0; u < layer.units; ++u, offset += cells) {
      const canvas = byPlace.get(i + "/" + u);
      if (!canvas) continue;
      if (layout.regression) {
        let lo = Infinity, hi = -Infinity;
        for (let k = 0; k < cells; ++k) {
          lo = Math.min(lo, grids[offset + k]);
          hi = Math.max(hi, grids[offset + k]);
        }
        const ctx = canvas.getContext("2d");
        ctx.fillStyle = "#f4f5f6";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        drawCurve(canvas, grids, offset, cells, lo - 0.1, hi + 0.1);
      } else {
        drawHeat(canvas, grids, offset, r, neuronScale(grids, offset, cells, layer.activation));
      }
    }
  });
  return offset;
}

const MAX_LINKS = 6000;  // beyond this the links are a grey wash, and cost a frame

/// The weights as links between the neurons' pictures, TensorFlow Playground's
/// picture: blue positive, orange negative, thicker for larger.
function drawLinks() {
  const canvas = $("links"), main = canvas.parentElement;
  canvas.width = main.clientWidth;
  canvas.height = main.clientHeight;
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const layout = page.layout, k = page.kernels;
  if (!layout || !k) return;
  const origin = main.getBoundingClientRect(), view = $("layers").getBoundingClientRect();
  const place = (element, right) => {
    if (!element) return null;
    const r = element.getBoundingClientRect();
    return { x: (right ? r.right : r.left) - origin.left, y: r.top + r.height / 2 - origin.top, r };
  };
  const inView = (p) => p.r.right > view.left && p.r.left < view.right;
  const neurons = (layer) => [...document.querySelectorAll(`canvas.neuron[data-layer="${layer}"]`)];
  const features = layout.settings.features.map((f) => {
    const box = [...$("features").querySelectorAll("input")].find((b) => b.value === f);
    return box ? box.parentElement.querySelector("canvas") : null;
  });
  let offset = 0, links = 0;
  const pairs = layout.layers.map((layer, l) => {
    const from = l === 0 ? features : neurons(l - 1), to = neurons(l);
    const rows = Math.min(l === 0 ? features.length : layout.layers[l - 1].units, 64), cols = Math.min(layer.units, 64);
    const start = offset;
    offset += rows * cols;
    links += rows * cols;
    return { from, to, rows, cols, start };
  });
  if (links > MAX_LINKS || offset !== k.length) return;
  ctx.globalAlpha = 0.55;
  for (const { from, to, rows, cols, start } of pairs) {
    const sources = from.map((e) => place(e, true)), targets = to.map((e) => place(e, false));
    for (let i = 0; i < rows; ++i) {
      const a = sources[i];
      if (!a || (from !== features && !inView(a))) continue;
      for (let j = 0; j < cols; ++j) {
        const b = targets[j];
        if (!b || !inView(b)) continue;
        const w = k[start + i * cols + j];
        ctx.strokeStyle = w >= 0 ? "#0877bd" : "#f59322";
        ctx.lineWidth = Math.min(4, Math.max(0.3, Math.abs(w) * 1.5));
        ctx.beginPath();
        ctx.moveTo(a.x, a.y);
        ctx.bezierCurveTo((a.x + b.x) / 2, a.y, (a.x + b.x) / 2, b.y, b.x, b.y);
        ctx.stroke();
      }
    }
  }
}

function drawBoundary(grids, r) {
  const layout = page.layout, canvas = $("boundary"), ctx = canvas.getContext("2d");
  const [x0, x1, y0, y1] = layout.domain;
  const output = layout.layers[layout.layers.length - 1];
  const cells = layout.regression ? r : r * r;
  const start = grids.length - output.units * cells;
  const px = (x) => ((x - x0) / (x1 - x0)) * canvas.width, py = (y) => ((y1 - y) / (y1 - y0)) * canvas.height;
  if (layout.regression) {
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  } else if (output.units === 1) {
    const values = new Float32Array(cells);
    for (let i = 0; i < cells; ++i) values[i] = 2 * grids[start + i] - 1;  // p in [0, 1] to [-1, 1]
    drawHeat(canvas, values, 0, r, 1, 0.35);
  } else {  // softmax: the likeliest class's colour, paler where it is less sure
    scratch.width = scratch.height = r;
    const sctx = scratch.getContext("2d"), image = sctx.createImageData(r, r);
    for (let i = 0; i < cells; ++i) {
      let best = 0;
      for (let c = 1; c < output.units; ++c) if (grids[start + c * cells + i] > grids[start + best * cells + i]) best = c;
      const p = grids[start + best * cells + i], k = CLASS_COLOURS[best % CLASS_COLOURS.length];
      image.data.set([0, 1, 2].map((j) => MIDDLE[j] + (k[j] - MIDDLE[j]) * p * 0.6).concat([255]), 4 * i);
    }
    sctx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  }
  const showTest = $("show_test").checked;
  for (const [x, y, label, test] of layout.points) {
    if (test && !showTest) continue;
    const k = layout.regression ? [80, 80, 80] : CLASS_COLOURS[label % CLASS_COLOURS.length];
    ctx.beginPath();
    ctx.arc(px(x), py(y), 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${k.join(",")})`;
    ctx.fill();
    ctx.strokeStyle = test ? "#000" : "#fff";  // test points ringed in black, as TensorFlow Playground
    ctx.lineWidth = test ? 1.2 : 1;
    ctx.stroke();
  }
  if (layout.regression) {
    ctx.strokeStyle = "#0877bd";
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    for (let i = 0; i < cells; ++i) {
      const x = x0 + ((x1 - x0) * i) / (cells - 1);
      if (i === 0) ctx.moveTo(px(x), py(grids[start + i]));
      else ctx.lineTo(px(x), py(grids[start + i]));
    }
    ctx.stroke();
  }
}

/// Lines over epochs; `log` draws log10 of the values. Returns the points drawn per series.
function drawChart(canvas, series, log) {
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const value = (v) => (log ? Math.log10(Math.max(v, 1e-30)) : v);
  let lo = Infinity, hi = -Infinity, n = 0;
  for (const s of series)
    for (const v of s.values)
      if (Number.isFinite(v)) {
        lo = Math.min(lo, value(v));
        hi = Math.max(hi, value(v));
        n = Math.max(n, s.values.length);
      }
  if (!Number.isFinite(lo)) return series.map(() => 0);
  if (!log) lo = Math.min(lo, 0);
  if (hi - lo < 1e-9) hi = lo + 1;
  const pad = 14, w = canvas.width - pad, h = canvas.height - 4;
  ctx.fillStyle = "#777";
  ctx.font = "10px sans-serif";
  ctx.fillText(log ? "1e" + Math.round(hi) : hi.toPrecision(2), 0, 10);
  ctx.fillText(log ? "1e" + Math.round(lo) : lo.toPrecision(2), 0, canvas.height - 2);
  return series.map((s) => {
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let drawn = 0;
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const x = pad + (n > 1 ? (w * i) / (n - 1) : w), y = 2 + h * (1 - (value(v) - lo) / (hi - lo));
      if (drawn++ === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
    return drawn;
  });
}

function formatNumber(v) {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 0.001 && Math.abs(v) < 1000 ? v.toFixed(3) : v.toExponential(2);
}

/// Adds the epochs of a progress report that the history lacks (frames may
/// overlap: each covers the epochs from what the page had when it asked).
function mergeProgress(p) {
  const h = page.history, skip = h.train_loss.length - p.since;
  if (skip < 0) return;  // cannot happen: the worker starts from what the page said it has
  const add = (to, from) => to.push(...from.slice(skip));
  for (const key of ["train_loss", "test_loss", "train_accuracy", "test_accuracy"]) add(h[key], p[key]);
  p.gradient_norm.forEach((values, i) => add(h.gradient_norm[i], values));
  p.dead_fraction.forEach((values, i) => add(h.dead_fraction[i], values));
}

function drawFrame() {
  page.drawPending = false;
  const m = page.frame;
  if (!m || !page.layout) return;
  page.frame = null;
  const p = m.progress;
  page.grids = m.grids;
  page.resolution = m.resolution;
  page.output = m.output;
  page.outputResolution = m.outputResolution;
  page.kernels = m.kernels;
  $("epoch").textContent = String(p.epoch).padStart(6, "0").replace(/\B(?=(\d{3})+$)/g, ",");
  $("epoch").title = `${p.step} steps`;
  $("speed").textContent = m.epochsPerSecond > 0 ? `${Math.round(m.epochsPerSecond)} epochs/s` : "";
  if (p.diverged) {
    showMessage(p.diverged + " \u2014 press \u21BA to start again.");
    pause();
  }
  draw();
  page.worker.postMessage({ type: "frame", generation: page.generation, since: page.history.train_loss.length });
}

function draw() {
  if (!page.layout || !page.grids) return;
  const h = page.history, layout = page.layout;
  drawNeurons(page.grids, page.resolution);
  drawLinks();
  drawBoundary(page.output, page.outputResolution);
  const last = (a) => (a.length ? a[a.length - 1] : NaN);
  $("train_loss").textContent = h.train_loss.length ? formatNumber(last(h.train_loss)) : "\u2013";
  $("test_loss").textContent = h.test_loss.length ? formatNumber(last(h.test_loss)) : "\u2013";
  $("accuracy").textContent = h.test_accuracy.length ? `Test accuracy ${(100 * last(h.test_accuracy)).toFixed(1)}%` : "";
  drawChart($("loss_chart"), [{ values: h.train_loss, colour: "#999" }, { values: h.test_loss, colour: "#000" }],
            $("loss_log").checked);
  const series = layout.layers.map((l, i) => ({ values: h.gradient_norm[i], colour: SERIES_COLOURS[i % SERIES_COLOURS.length] }));
  page.drawnSeries = drawChart($("gradient_chart"), series, true);
  const legend = $("gradient_legend");
  legend.replaceChildren(...layout.layers.map((l, i) => {
    const item = document.createElement("span");
    const norm = last(h.gradient_norm[i]);
    item.dataset.layer = l.name;
    item.dataset.norm = norm;
    item.style.color = SERIES_COLOURS[i % SERIES_COLOURS.length];
    item.textContent = `${l.name} ${Number.isFinite(norm) ? norm.toExponential(1) : "\u2013"}`;
    return item;
  }));
  for (const d of document.querySelectorAll(".dead")) {
    const f = last(h.dead_fraction[Number(d.dataset.layer)] || []);
    d.textContent = Number.isFinite(f) && f > 0 ? `${Math.round(100 * f)}% dead` : "";
  }
}

// --- hooks for tests and benchmarks ------------------------------------------------

window.playground = {
  settings: () => clone(page.accepted),
  /// Whether the model of the current settings is built and its first frame drawn.
  ready: () => !!(page.layout && page.grids && !page.frame && !page.drawPending),
  epoch: () => page.history ? page.history.train_loss.length : 0,
  layers: () => page.layout ? page.layout.layers.length : 0,
  /// Trains exactly `epochs` epochs (paused), then draws.
  train: (epochs) => new Promise((resolve) => {
    pause();
    page.waiters.push({ type: "trained", resolve: (m) => resolve(m.epoch) });
    page.worker.postMessage({ type: "train", epochs });
  }),
  history: () => clone(page.history),
  gradientPoints: () => page.drawnSeries.slice(),
  play, pause,
  /// The weights as the core holds them: float32 bits as hexadecimal strings.
  weights: () => new Promise((resolve) => {
    page.waiters.push({ type: "weights", resolve: (m) => resolve(Array.from(new Uint32Array(m.values.buffer),
      (b) => b.toString(16).padStart(8, "0"))) });
    page.worker.postMessage({ type: "weights" });
  }),
  /// What Export downloads, as base64.
  exportBase64: () => new Promise((resolve) => {
    page.waiters.push({ type: "export", resolve: (m) => {
      const bytes = new Uint8Array(m.bytes);
      let text = "";
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      resolve(btoa(text));
    } });
    page.worker.postMessage({ type: "export" });
  }),
};

buildStaticControls();
loadHash();
renderControls();
try {
  page.worker = new Worker("worker.js");
  page.worker.onmessage = onWorkerMessage;
  page.worker.onerror = (e) => showMessage("the training worker failed: " + (e.message || "it did not load"));
} catch (e) {
  // Chromium runs no worker for a page opened from a file.
  page.worker = { postMessage() {} };
  showMessage(location.protocol === "file:"
    ? "This browser runs no Web Worker for a page opened from a file: run `mlp playground --serve` and open " +
      "http://127.0.0.1:8000/ instead (Firefox opens the file as it is)."
    : "the training worker could not start: " + e.message);
}
