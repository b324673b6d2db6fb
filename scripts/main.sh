#!/usr/bin/env bash
# The main job: install, build, train 784-256-128-10 on Fashion-MNIST (10 epochs),
# print the test accuracy and write the History to out/history.csv and the
# report to out/report.html (the whole run directory goes to runs/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh -DMLP_BUILD_TESTS=OFF
mkdir -p out
./build/tools/mlp/mlp train --data fashion-mnist --layers 256:relu,128:relu,10:softmax \
  --optimizer adam --lr 1e-3 --epochs 10 --batch-size 128 --seed 0 --history out/history.csv \
  --report out/report.html "$@"
