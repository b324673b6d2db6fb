#!/usr/bin/env bash
# The package as `cmake --install BUILD --component python` lays it out (into
# a scratch DESTDIR): it imports, trains and predicts from there alone, with
# the libmlp it carries, not the build tree's.
# Usage: installed_package.sh BUILD_DIR PYTHON INSTALL_DIR WORK_DIR
set -euo pipefail
build=$1 python=$2 site=$3 work=$4
rm -rf "$work"
DESTDIR="$work" cmake --install "$build" --component python > /dev/null
cd "$work"
env -u LD_LIBRARY_PATH PYTHONPATH="$work$site" "$python" - "$work" <<'PY'
import sys
import mlp

work = sys.argv[1]
assert mlp.__file__.startswith(work), mlp.__file__
x, y = mlp.datasets.moons(200, noise=0.1)
model = mlp.Sequential(2, [mlp.Dense(8, "relu"), mlp.Dense(1, "sigmoid")])
model.compile("adam", "binary_crossentropy", ["accuracy"])
model.fit(x, y, epochs=2, verbose=0)
assert model.predict(x).shape == (200, 1)
libraries = [line.split()[-1] for line in open("/proc/self/maps") if "libmlp.so" in line]
assert libraries and all(path.startswith(work) for path in libraries), libraries
print("installed package works:", mlp.__version__, "from", mlp.__path__[0][len(work):])
PY
