#!/usr/bin/env bash
# Builds the libFuzzer target of every parser (clang, AddressSanitizer,
# UndefinedBehaviorSanitizer) into build-fuzz and runs each for SECONDS
# (default 60) from its committed seed corpus in fuzz/corpus/<target>.
# New inputs go to a scratch corpus, so the committed one stays small. Fails
# on the first crash, hang (10 s), leak or out-of-memory (4 GB), leaving the
# input in build-fuzz/findings/. fuzz/make_corpus.py writes the seed corpora.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
MLP_WITH_TESTS=1 scripts/install-deps.sh
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_SHARED_LIBS=OFF \
      -DMLP_BUILD_FUZZERS=ON -DMLP_BUILD_TESTS=OFF -DMLP_BUILD_EXAMPLES=OFF -DMLP_BUILD_TOOLS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)"
mkdir -p build-fuzz/findings
for target in csv idx idx_gz npy safetensors model_json model_file torch_weights load_like onnx; do
  if [ ! -x "build-fuzz/fuzz/fuzz_$target" ]; then echo "== fuzz_$target: not built (no libonnx-dev)"; continue; fi
  scratch="build-fuzz/corpus/$target"
  mkdir -p "$scratch"
  echo "== fuzz_$target for ${seconds}s"
  log="build-fuzz/fuzz_$target.log"
  set +e
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "build-fuzz/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$target-" "$scratch" "fuzz/corpus/$target" > "$log" 2>&1
  status=$?
  set -e
  grep -E "DONE|stat::number_of_executed_units|SUMMARY|ERROR|Test unit written" "$log" || true
  # A fuzzer that dies without writing a finding (killed, out of memory in its
  # own runtime) fails the run as a finding does.
  if [ "$status" != 0 ] || ls build-fuzz/findings/"$target"-* >/dev/null 2>&1; then
    echo "fuzz_$target failed (exit $status): $(ls build-fuzz/findings/"$target"-* 2>/dev/null)"
    tail -40 "$log"
    exit 1
  fi
done
echo "fuzzing: no crash, hang or leak in any parser"
