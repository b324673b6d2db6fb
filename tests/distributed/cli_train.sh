#!/bin/sh
# `mpiexec -n 2 mlp train`: one process prints and writes, the figures are one
# process's, and the checkpoint of the 2-process run resumes on 1 process and on
# 3 to the same test scores. A data file missing on one process ends them all,
# naming that rank.
#   cli_train.sh MLP MPIEXEC WORK_DIR
set -eu
mlp=$1 mpiexec=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work"
set -- --data spirals --layers 32:relu,batchnorm:sync,dropout:0.1,3:softmax --optimizer adam --lr 0.01 \
       --batch-size 50 --seed 3 --threads 1 --verbose 2
"$mpiexec" --oversubscribe -n 2 "$mlp" train "$@" --epochs 4 --out two --checkpoint two.safetensors > two.txt
"$mlp" train "$@" --epochs 4 --out one > one.txt
[ "$(grep -c '^test loss' two.txt)" = 1 ] || fail "the 2-process run printed its results $(grep -c '^test loss' two.txt) times"
[ -f two/model.safetensors ] && [ -f two/report.html ] && [ -f two.safetensors ] || fail "the run directory or checkpoint is missing"
# The epochs' and the test's figures, without the seconds each epoch took.
figures() { grep -E '^(Epoch|test)' "$1" | sed -E 's/ - [0-9.]+m?s - / - /'; }
figures two.txt > two.figures
figures one.txt > one.figures
cmp -s two.figures one.figures || { diff two.figures one.figures; fail "2 processes printed other figures than 1"; }
cp two.safetensors three.safetensors
"$mlp" train "$@" --epochs 6 --resume two.safetensors --out resumed_one > resumed_one.txt
"$mpiexec" --oversubscribe -n 3 "$mlp" train "$@" --epochs 6 --resume three.safetensors --out resumed_three \
    > resumed_three.txt
grep '^test' resumed_one.txt > resumed_one.test
grep '^test' resumed_three.txt > resumed_three.test
cmp -s resumed_one.test resumed_three.test || fail "resumed on 1 and on 3 processes: $(cat resumed_one.test) / $(cat resumed_three.test)"
# Rank 1 alone is given a file that is not there: both end at once, rank 1 named.
status=0
timeout 60 "$mpiexec" --oversubscribe -n 2 sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then d=missing.csv; else d=spirals; fi
  exec "$0" train --data "$d" --threads 1 --epochs 2 --out lonely --overwrite' "$mlp" > lonely.txt 2>&1 || status=$?
[ "$status" != 0 ] && [ "$status" != 124 ] || fail "a missing file on rank 1 ended the job with status $status"
grep -q "rank 1 of 2: 'missing.csv'" lonely.txt || fail "the message does not name rank 1: $(cat lonely.txt)"
echo "mpiexec -n 2 mlp train: one report, one process's figures ($(cat one.figures | tail -1)); its checkpoint resumes alike on 1 and 3"
