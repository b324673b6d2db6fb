"""The README's Python code, run as it is written (with 1 epoch where it says
10), so that the two cannot drift."""

import pathlib
import re

from conftest import run_python

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def python_blocks():
    text = README.read_text()
    section = text.split("## In Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_readme_has_its_python_examples():
    assert len(python_blocks()) == 2


def test_the_fashion_mnist_example_runs(tmp_path):
    code = python_blocks()[0].replace("epochs=10", "epochs=1")
    code = "import os\nos.chdir(%r)\n" % str(tmp_path) + code
    ran = run_python(code)
    assert ran.returncode == 0, ran.stderr
    accuracy = float(ran.stdout.split("test accuracy: ")[1].split()[0])
    assert accuracy > 0.75, ran.stdout
    assert (tmp_path / "fashion.safetensors").exists() and (tmp_path / "report.html").exists()


def test_the_numpy_exercise_runs():
    ran = run_python(python_blocks()[1])
    assert ran.returncode == 0, ran.stderr
    assert "dense_1.kernel" in ran.stdout and "input" in ran.stdout, ran.stdout
