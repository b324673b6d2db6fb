#!/usr/bin/env bash
# Gathers, on this machine, what scripts/gpu-check.sh needs on a GPU machine
# whose image has CUDA, CMake and a compiler but not the Debian packages the
# project builds with, and which can fetch nothing: into .gpu-bundle/ (ignored
# by git, about 32 MB), the .deb files of nlohmann-json and googletest's
# sources, and the Fashion-MNIST files. Carry .gpu-bundle with the working tree.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=.gpu-bundle
mkdir -p "$bundle/debs" "$bundle/fashion-mnist"
(cd "$bundle/debs" && apt-get download nlohmann-json3-dev googletest 2>&1 | grep -v "^W: Download is performed unsandboxed")
cp /usr/share/datasets/fashion-mnist/*-ubyte.gz "$bundle/fashion-mnist/"
du -sh "$bundle"
