"""Helpers the fixture scripts share: the input formula the C++ tests repeat,
and a safetensors writer (float32, and int64 as PyTorch keeps counters; little-endian)."""
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
        integer = t.dtype == torch.int64
        raw = t.contiguous().numpy().astype("<i8" if integer else "<f4").tobytes()
        header[name] = {"dtype": "I64" if integer else "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"generator": generator, "torch": torch.__version__}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))
