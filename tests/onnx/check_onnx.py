#!/usr/bin/python3
"""Every DIR/*.onnx passes onnx.checker (full check, shapes inferred) and
declares what mlp's export promises: input "input" and output "output" with a
dynamic batch dimension, opset 17, and the producer "mlp".
Usage: check_onnx.py DIR"""
import pathlib
import sys

import onnx

files = sorted(pathlib.Path(sys.argv[1]).glob("*.onnx"))
if not files:
    sys.exit(f"no .onnx files in {sys.argv[1]}")
for path in files:
    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)
    graph = model.graph
    assert [i.name for i in graph.input] == ["input"], (path, [i.name for i in graph.input])
    assert [o.name for o in graph.output] == ["output"], (path, [o.name for o in graph.output])
    for value in (graph.input[0], graph.output[0]):
        dims = value.type.tensor_type.shape.dim
        assert len(dims) == 2 and dims[0].dim_param == "batch" and dims[1].dim_value > 0, (path, dims)
    assert model.opset_import[0].version == 17 and model.producer_name == "mlp", path
    assert {p.key for p in model.metadata_props} >= {"mlp.format_version", "mlp.config"}, path
print(f"{len(files)} ONNX files pass onnx.checker")
