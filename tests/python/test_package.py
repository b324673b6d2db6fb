"""The package as users meet it: version, help, type stubs for editors."""

import ast
import pathlib

import mlp


def test_version():
    assert mlp.__version__.count(".") == 2


def test_help_shows_signatures_and_docs():
    doc = mlp.Dense.__init__.__doc__
    assert "units" in doc and "activation" in doc and "kernel_initializer" in doc
    assert "Keras" in mlp.Sequential.__doc__ or "fit" in mlp.Sequential.__doc__
    assert "epochs" in mlp.Sequential.fit.__doc__
    assert mlp.Callback.__doc__ and mlp.datasets.load.__doc__


def test_every_public_name_has_a_stub():
    stub = pathlib.Path(mlp.__file__).with_name("__init__.pyi")
    tree = ast.parse(stub.read_text())
    stubbed = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            stubbed.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            stubbed.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            stubbed.add(node.target.id)
    missing = [name for name in mlp.__all__ if name not in stubbed]
    assert not missing, missing
    for cls in ("Sequential", "Dense", "Adam", "EarlyStopping", "History"):
        members = {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == cls for n in n.body
                   if isinstance(n, ast.FunctionDef)}
        assert "__init__" in members or cls == "History", cls
