#!/usr/bin/env bash
# Installs ONNX Runtime for Node (the npm package onnxruntime-node, whose native
# runtime comes inside the package) under ~/.cache/mlp/node, where the tests
# find it. Its install step would fetch GPU binaries from elsewhere: skipped.
set -euo pipefail
dir="$HOME/.cache/mlp/node"
version=1.30.0
if [ -f "$dir/node_modules/onnxruntime-node/package.json" ] &&
   grep -q "\"version\": \"$version\"" "$dir/node_modules/onnxruntime-node/package.json"; then
  exit 0
fi
mkdir -p "$dir"
ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
  "onnxruntime-node@$version" >/dev/null
