#!/usr/bin/env bash
# Builds the Python package mlp and installs it for Debian's /usr/bin/python3,
# into its directory for locally installed packages
# (/usr/local/lib/python3.X/dist-packages): no pip, nothing downloaded, the
# system's own packages untouched. MLP_PYTHON=path/to/python installs for
# another interpreter instead, a virtual environment's say (made with
# --system-site-packages, so that it sees Debian's NumPy).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${MLP_PYTHON:-/usr/bin/python3}
MLP_WITH_PYTHON=1 scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build} scripts/build.sh -DMLP_BUILD_PYTHON=ON -DPython_EXECUTABLE="$python" \
  -UMLP_PYTHON_INSTALL_DIR
cmake --install "${BUILD_DIR:-build}" --component python
echo "installed: $("$python" -c 'import mlp; print("mlp", mlp.__version__, "in", mlp.__path__[0])')"
