"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>: small
valid and nearly valid inputs of each format. Run from the repository root
after the golden model file changes: python3 fuzz/make_corpus.py [MLP], where
MLP, the built mlp command, also writes a checkpoint of a training run (with
its callbacks' state and a dropout layer's draws) for fuzz_model_file."""
import gzip
import io
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

root = Path(__file__).resolve().parent / "corpus"
for target in ("csv", "idx", "idx_gz", "npy", "safetensors", "model_json", "model_file", "torch_weights",
               "load_like", "onnx"):
    (root / target).mkdir(parents=True, exist_ok=True)


def write(target, name, data):
    (root / target / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# CSV: the first byte chooses the parser's options (see fuzz_csv.cpp).
write("csv", "header_labels", b"\x00a,b,species\n1,2,virginica\n3,4.5,setosa\n")
write("csv", "quoted", b'\x02x,"the, label"\n1,"say ""hi"""\n2,"two\nlines"\r\n')
write("csv", "semicolon_categorical", b"\x41size;color;y\n1;red;0.5\n2;blue;1.25\n")
write("csv", "sklearn_counts", b"\x80150,4,setosa,versicolor\n5.1,3.5,1.4,0.2,0\n4.9,3,1.4,0.2,1\n")

# Data read by a model's input spec (see fuzz_load_like.cpp): by name, by position, with a kept id.
write("load_like", "by_name", b"\x00kind,b,color,a\nx,1,red,2\ny,3.5,white,-1\n")
write("load_like", "by_position", b"\x011,blue,2,y\n3,red,4,x\n")
write("load_like", "kept_unknown", b"\x30id,a,color,b\n7,1,green,2\n")
write("load_like", "idx_rows", b"\x00" + bytes([0, 0, 0x08, 2]) + struct.pack(">II", 2, 5) + bytes(range(10)))


def idx(element_type, dims, data):
    return bytes([0, 0, element_type, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + data


write("idx", "images", idx(0x08, [2, 3, 3], bytes(range(18))))
write("idx", "labels", idx(0x08, [4], bytes([1, 0, 7, 3])))
write("idx", "floats", idx(0x0D, [2], struct.pack(">ff", 1.5, -2)))
write("idx", "doubles", idx(0x0E, [1, 1], struct.pack(">d", 0.25)))
# The same, compressed as the installed data sets are (mtime 0: the same bytes every time).
for name in ("images", "labels", "floats"):
    write("idx_gz", name, gzip.compress((root / "idx" / name).read_bytes(), mtime=0))

arrays = {"f4": np.arange(6, dtype="<f4").reshape(2, 3), "f8": np.array([0.5, 1.5]), "u1": np.arange(4, dtype="u1"),
          "i8": np.array([[1], [-2]], dtype="<i8"), "scalar": np.float32(3),
          "fortran": np.asfortranarray(np.ones((2, 2), dtype="<f4"))}
for name, array in arrays.items():
    buffer = io.BytesIO()
    np.save(buffer, array)
    write("npy", name, buffer.getvalue())


def safetensors(tensors, metadata=None):
    header, blobs, offset = {}, b"", 0
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + blobs


write("safetensors", "two", safetensors({"a": ("F32", [2], struct.pack("<ff", 1, 2)),
                                         "b": ("F64", [1, 1], struct.pack("<d", 3))}, {"format": "x"}))
write("safetensors", "int", safetensors({"n": ("I64", [], struct.pack("<q", 5))}))
golden = (Path(__file__).resolve().parent.parent / "tests/io/golden/model_v1.safetensors").read_bytes()
write("safetensors", "golden_model", golden)

(length,) = struct.unpack("<Q", golden[:8])
write("model_json", "golden_config", json.loads(golden[8:8 + length])["__metadata__"]["config"])
write("model_json", "small", json.dumps({
    "inputs": 3,
    "layers": [{"type": "Dense", "units": 4, "activation": "relu"}, {"type": "Dropout", "rate": 0.5},
               {"type": "BatchNormalization"}, {"type": "Normalization", "method": "minmax"},
               {"type": "Dense", "units": 2, "activation": "softmax"}],
    "compile": {"optimizer": {"name": "adam", "lr": 0.01}, "loss": {"name": "sparse_categorical_crossentropy"},
                "metrics": ["accuracy"]}}))
write("model_json", "dense_stacks", json.dumps({
    "inputs": 4,
    "layers": [{"type": "DenseStack", "units": 8, "depth": 3, "activation": "tanh"},
               {"type": "Residual", "layers": [{"type": "DenseStack", "units": 8, "depth": 2, "activation": "relu",
                                                "use_bias": False}]},
               {"type": "Dense", "units": 2}],
    "compile": {"optimizer": {"name": "sgd"}, "loss": {"name": "mse"}}}))

# Model files: the golden ones (v2 has an input spec, training metadata and Adam's state).
golden_dir = Path(__file__).resolve().parent.parent / "tests/io/golden"
for version in ("v1", "v2"):
    write("model_file", "golden_" + version, (golden_dir / f"model_{version}.safetensors").read_bytes())
if len(sys.argv) > 1:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([sys.argv[1], "train", "--data", "xor", "--layers", "4:tanh,dropout:0.2,1:sigmoid",
                        "--optimizer", "momentum", "--epochs", "3", "--batch-size", "2", "--early-stopping", "5",
                        "--reduce-lr-on-plateau", "2", "--checkpoint", f"{work}/ckpt.safetensors", "--out",
                        f"{work}/run", "--quiet"], check=True, stdout=subprocess.DEVNULL)
        write("model_file", "checkpoint", Path(f"{work}/ckpt.safetensors").read_bytes())
        subprocess.run([sys.argv[1], "export", f"{work}/ckpt.safetensors", "--onnx", f"{work}/model.onnx"], check=True,
                       stdout=subprocess.DEVNULL)
        write("onnx", "mlp_export", Path(f"{work}/model.onnx").read_bytes())


# PyTorch state_dicts for the model fuzz_torch_weights.cpp builds: Linear(2, 3), BatchNorm1d(3), Linear(3, 1).
def f32(*shape):
    count = 1
    for d in shape:
        count *= d
    return ("F32", list(shape), struct.pack(f"<{count}f", *[0.1 * (i + 1) for i in range(count)]))


state = {"0.weight": f32(3, 2), "0.bias": f32(3), "1.weight": f32(3), "1.bias": f32(3), "1.running_mean": f32(3),
         "1.running_var": f32(3), "1.num_batches_tracked": ("I64", [], struct.pack("<q", 7)), "3.weight": f32(1, 3),
         "3.bias": f32(1)}
write("torch_weights", "sequential", safetensors(state))
write("torch_weights", "no_bias", safetensors({k: v for k, v in state.items() if not k.endswith("bias")}))
write("torch_weights", "double", safetensors({"net.0.weight": ("F64", [3, 2], struct.pack("<6d", *range(6)))}))

# ONNX files: PyTorch's exports and the tf2onnx-form Keras stack of the import tests.
for model in sorted((Path(__file__).resolve().parent.parent / "tests/reference/onnx").glob("*.onnx")):
    write("onnx", model.stem, model.read_bytes())
