"""Reads an mlp model file with nothing but json and numpy, runs its forward
pass, and checks the predictions against the ones mlp wrote.

    python3 read_model.py MODEL.safetensors X.npy PREDICTIONS.npy

The layout: 8 bytes little-endian header length, a JSON header naming each
tensor's dtype, shape and byte range (relative to the end of the header), and
"__metadata__" whose "config" is the model's architecture as JSON and, from
format version 2, "input_spec" what it was trained on (feature names, one-hot
categories, label and class names).
"""
import json
import math
import struct
import sys

import numpy as np

DTYPES = {"F32": "<f4", "F64": "<f8", "I64": "<i8"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(body[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
    return tensors, metadata


def activate(spec, z):
    name, _, alpha = spec.partition(":")
    if name == "linear":
        return z
    if name == "relu":
        return np.maximum(z, 0)
    if name == "leaky_relu":
        return np.where(z > 0, z, float(alpha or 0.01) * z)
    if name == "elu":
        return np.where(z > 0, z, float(alpha or 1.0) * np.expm1(np.minimum(z, 0)))
    if name == "gelu":
        erf = np.vectorize(math.erf)
        return 0.5 * z * (1 + erf(z / math.sqrt(2)))
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise SystemExit(f"read_model.py: activation {spec} is not known here")


def forward(tensors, config, x):
    h = x.astype(np.float64)
    for layer in config["layers"]:
        kind, name = layer["type"], layer["name"]
        w = lambda key: tensors[f"{name}.{key}"].astype(np.float64)
        if kind == "Dense":
            h = h @ w("kernel") + (w("bias") if layer.get("use_bias", True) else 0)
            h = activate(layer["activation"], h)
        elif kind == "Activation":
            h = activate(layer["activation"], h)
        elif kind == "Dropout":
            pass  # the identity at inference
        elif kind == "BatchNormalization":
            h = (h - w("moving_mean")) / np.sqrt(w("moving_variance") + layer["epsilon"])
            if layer["scale"]:
                h = h * w("gamma")
            if layer["center"]:
                h = h + w("beta")
        elif kind == "Normalization":
            h = (h - w("center")) / w("scale")
        else:
            raise SystemExit(f"read_model.py: layer type {kind} is not known here")
    return h


def main():
    model_path, x_path, expected_path = sys.argv[1:4]
    tensors, metadata = read_safetensors(model_path)
    assert metadata["format"] == "mlp.model", metadata.get("format")
    print("format version", metadata["format_version"], "written by mlp", metadata["mlp_version"])
    config = json.loads(metadata["config"])
    if "input_spec" in metadata:
        spec = json.loads(metadata["input_spec"])
        width = sum(len(c.get("categories", [])) or 1 for c in spec["columns"])
        assert width == spec["features"] == config["inputs"], (width, spec["features"], config["inputs"])
        assert len(spec["feature_names"]) == width, spec["feature_names"]
        print(f"input spec: features {spec['feature_names']}, label '{spec['label']}', classes {spec['class_names']}")
    predictions = forward(tensors, config, np.load(x_path))
    expected = np.load(expected_path).astype(np.float64)
    error = np.abs(predictions - expected).max()
    print(f"{len(config['layers'])} layers, {len(tensors)} tensors; largest difference from mlp's predictions: {error:.3g}")
    if not error < 1e-5:
        raise SystemExit("predictions differ")
    print("the predictions match mlp's within 1e-5")


if __name__ == "__main__":
    main()
