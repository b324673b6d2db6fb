"""Writes tests/reference/onnx/: five random PyTorch MLPs (depths 1 to 4, every
activation PyTorch and mlp share: ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU,
Softmax, none) exported by torch.onnx.export, three of them in float64, with a
BatchNorm1d whose running statistics were moved, a Linear without bias and an
eval-mode Dropout; and one Keras-style Dense stack in the form tf2onnx writes
(MatMul then Add of the bias, input "dense_input" of shape (unk__6, 4)), built
with onnx.helper because TensorFlow is not a Debian package. Beside each
NAME.onnx: NAME.x.npy (64 rows) and NAME.y.npy, the exporter's own output for
them, which mlp's import must reproduce (import_models_main).

Run with Debian's python3-torch and python3-onnx, from the repository root:
    /usr/bin/python3 tests/reference/make_torch_onnx.py
"""
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

out = Path(__file__).resolve().parent / "onnx"
out.mkdir(exist_ok=True)
ROWS = 64

# (name, inputs, layers, dtype, opset)
MODELS = [
    ("torch_depth1_softmax", 6, lambda: [nn.Linear(6, 3), nn.Softmax(dim=-1)], torch.float32, 17),
    ("torch_depth2_relu_sigmoid", 5, lambda: [nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 4), nn.Sigmoid()],
     torch.float32, 13),
    ("torch_depth3_tanh_leaky", 8,
     lambda: [nn.Linear(8, 32), nn.Tanh(), nn.Dropout(0.2), nn.Linear(32, 16), nn.LeakyReLU(0.1), nn.Linear(16, 2)],
     torch.float64, 17),
    ("torch_depth4_elu_gelu_batchnorm", 4,
     lambda: [nn.Linear(4, 24), nn.ELU(0.5), nn.Linear(24, 24), nn.GELU(), nn.Linear(24, 12, bias=False),
              nn.BatchNorm1d(12), nn.ReLU(), nn.Linear(12, 3), nn.Softmax(dim=-1)], torch.float64, 14),
    ("torch_depth4_gelu_sigmoid_tanh", 10,
     lambda: [nn.Linear(10, 20), nn.GELU(), nn.Linear(20, 20), nn.Sigmoid(), nn.Linear(20, 10), nn.Tanh(),
              nn.Linear(10, 1)], torch.float64, 11),
]

for seed, (name, inputs, layers, dtype, opset) in enumerate(MODELS):
    torch.manual_seed(seed)
    net = nn.Sequential(*layers()).to(dtype)
    for m in net:
        if isinstance(m, nn.BatchNorm1d):  # running statistics away from 0 and 1, as after training
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.3, 0.3)
    net.eval()
    x = torch.randn(ROWS, inputs, dtype=dtype) * 1.5
    with torch.no_grad():
        y = net(x)
    torch.onnx.export(net, x[:2], str(out / f"{name}.onnx"), input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=opset)
    np.save(out / f"{name}.x.npy", x.numpy())
    np.save(out / f"{name}.y.npy", y.numpy())
    print(name, opset, [type(m).__name__ for m in net])

# A Keras Sequential of Dense layers as tf2onnx writes it.
rng = np.random.default_rng(7)
w1, b1 = rng.normal(0, 0.5, (4, 10)).astype(np.float32), rng.normal(0, 0.1, 10).astype(np.float32)
w2, b2 = rng.normal(0, 0.5, (10, 3)).astype(np.float32), rng.normal(0, 0.1, 3).astype(np.float32)
prefix = "sequential/dense"
nodes = [
    helper.make_node("MatMul", ["dense_input", f"{prefix}/MatMul/ReadVariableOp:0"], [f"{prefix}/MatMul:0"],
                     name=f"{prefix}/MatMul"),
    helper.make_node("Add", [f"{prefix}/MatMul:0", f"{prefix}/BiasAdd/ReadVariableOp:0"], [f"{prefix}/BiasAdd:0"],
                     name=f"{prefix}/BiasAdd"),
    helper.make_node("Relu", [f"{prefix}/BiasAdd:0"], [f"{prefix}/Relu:0"], name=f"{prefix}/Relu"),
    helper.make_node("MatMul", [f"{prefix}/Relu:0", f"{prefix}_1/MatMul/ReadVariableOp:0"],
                     [f"{prefix}_1/MatMul:0"], name=f"{prefix}_1/MatMul"),
    helper.make_node("Add", [f"{prefix}_1/MatMul:0", f"{prefix}_1/BiasAdd/ReadVariableOp:0"],
                     [f"{prefix}_1/BiasAdd:0"], name=f"{prefix}_1/BiasAdd"),
    helper.make_node("Softmax", [f"{prefix}_1/BiasAdd:0"], ["dense_1"], name=f"{prefix}_1/Softmax", axis=-1),
]
initializers = [numpy_helper.from_array(w1, f"{prefix}/MatMul/ReadVariableOp:0"),
                numpy_helper.from_array(b1, f"{prefix}/BiasAdd/ReadVariableOp:0"),
                numpy_helper.from_array(w2, f"{prefix}_1/MatMul/ReadVariableOp:0"),
                numpy_helper.from_array(b2, f"{prefix}_1/BiasAdd/ReadVariableOp:0")]
graph = helper.make_graph(nodes, "tf2onnx", [helper.make_tensor_value_info("dense_input", TensorProto.FLOAT,
                                                                           ["unk__6", 4])],
                          [helper.make_tensor_value_info("dense_1", TensorProto.FLOAT, ["unk__7", 3])], initializers)
model = helper.make_model(graph, producer_name="tf2onnx", opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, str(out / "keras_dense_stack.onnx"))
x = rng.normal(0, 1.5, (ROWS, 4)).astype(np.float32)
z = np.maximum(x.astype(np.float64) @ w1 + b1, 0) @ w2 + b2
y = np.exp(z - z.max(axis=1, keepdims=True))
np.save(out / "keras_dense_stack.x.npy", x)
np.save(out / "keras_dense_stack.y.npy", (y / y.sum(axis=1, keepdims=True)).astype(np.float32))
print("keras_dense_stack 13 [MatMul, Add, Relu, MatMul, Add, Softmax]")
