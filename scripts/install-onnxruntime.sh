#!/usr/bin/env bash
# Installs ONNX Runtime for Node (the npm package onnxruntime-node, whose native
# runtime comes inside the package) and for the browser (onnxruntime-web, its
# WebAssembly build) under ~/.cache/mlp/node, where the tests find them.
# onnxruntime-node's install step would fetch GPU binaries from elsewhere: skipped.
set -euo pipefail
dir="$HOME/.cache/mlp/node"
version=1.30.0
installed() { grep -qs "\"version\": \"$version\"" "$dir/node_modules/$1/package.json"; }
if installed onnxruntime-node && installed onnxruntime-web; then
  exit 0
fi
mkdir -p "$dir"
ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
  "onnxruntime-node@$version" "onnxruntime-web@$version" >/dev/null
