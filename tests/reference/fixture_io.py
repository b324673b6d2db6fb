"""Helpers the fixture scripts share: the input formula the C++ tests repeat,
and a safetensors writer (float32, float64, and int64 as PyTorch keeps counters; little-endian)."""
import json
import math
import struct
from pathlib import Path

import torch


def formula(shape, phase, scale):
    """value k = scale * sin(1.7 k + phase), in float64, rounded to float32."""
    n = math.prod(shape)
    data = [scale * math.sin(1.7 * k + phase) for k in range(n)]
    return torch.tensor(data, dtype=torch.float64).reshape(shape).float()


def write_safetensors(path, tensors, generator):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        kind = {torch.int64: ("<i8", "I64"), torch.float64: ("<f8", "F64")}.get(t.dtype, ("<f4", "F32"))
        raw = t.contiguous().numpy().astype(kind[0]).tobytes()
        header[name] = {"dtype": kind[1], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"generator": generator, "torch": torch.__version__}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))
