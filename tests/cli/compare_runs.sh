#!/bin/sh
# Comparing runs: a sweep trains one run per value and writes one page; plot
# history overlays runs named by what differs between their configs.
#   compare_runs.sh MLP WORK_DIR
set -eu
mlp=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAILED: $*"; exit 1; }

# A sweep over two flags: every combination, each in its own directory, one comparison page.
"$mlp" train --data moons --layers 8:relu,1:sigmoid --lr 0.3,0.03 --seed 0,1 --epochs 3 --validation-split 0.2 \
  --out sweep --quiet > sweep.txt || fail "the sweep failed: $(cat sweep.txt)"
for run in "lr=0.3_seed=0" "lr=0.3_seed=1" "lr=0.03_seed=0" "lr=0.03_seed=1"; do
  [ -f "sweep/$run/model.safetensors" ] || fail "no run $run: $(ls sweep)"
  grep -q "^== $run\$" sweep.txt || fail "the sweep did not name $run: $(cat sweep.txt)"
done
[ "$(grep -c '^test loss: ' sweep.txt)" = 4 ] || fail "not four test scores: $(cat sweep.txt)"
grep -q "compared in sweep/compare.html" sweep.txt || fail "the page is not named: $(cat sweep.txt)"
for name in "lr=0.3, seed=0" "lr=0.03, seed=1" "lr=0.03, seed=1 (validation)"; do
  grep -qF "$name" sweep/compare.html || fail "compare.html does not name '$name'"
done
grep -q 'data-chart="compare-loss"' sweep/compare.html || fail "compare.html has no loss chart"
grep -q 'data-chart="compare-accuracy"' sweep/compare.html || fail "compare.html has no accuracy chart"
# The runs really differ as named: the learning rate each run's config records.
grep -q '"lr": 0.03' "sweep/lr=0.03_seed=1/config.json" || fail "the lr=0.03 run did not train at 0.03"
grep -q '"seed": 1' "sweep/lr=0.03_seed=1/config.json" || fail "the seed=1 run did not use seed 1"

# Networks are separated by ';' (',' separates their layers).
"$mlp" train --data moons --layers "4:relu,1:sigmoid;16:relu,1:sigmoid" --epochs 2 --out nets --quiet > nets.txt \
  || fail "the --layers sweep failed: $(cat nets.txt)"
grep -qF "layers=4:relu,1:sigmoid" nets/compare.html || fail "the networks are not named by their layers"

# A sweep cannot write one --save file for several models: refused before training.
set +e
"$mlp" train --data moons --lr 0.1,0.01 --save model.safetensors > refused.txt 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "a sweep with --save exited $code: $(cat refused.txt)"
grep -q -- "--save names one file, and a sweep trains several models" refused.txt || fail "$(cat refused.txt)"
[ ! -e model.safetensors ] || fail "the refused sweep wrote a model"

# plot history with several runs: one page, each run named by its difference.
"$mlp" plot history "sweep/lr=0.3_seed=0" "sweep/lr=0.03_seed=0" -o two.html > /dev/null
grep -qF ">lr=0.3<" two.html || fail "plot history did not name the run lr=0.3: $(grep -o '<td>[^<]*' two.html)"
grep -qF ">lr=0.03<" two.html || fail "plot history did not name the run lr=0.03"
# History files carry no config: they are named by their file names.
cp "sweep/lr=0.3_seed=0/history.json" a.json && cp "sweep/lr=0.03_seed=0/history.csv" b.csv
"$mlp" plot history a.json b.csv -o files.html > /dev/null
grep -qF ">a.json<" files.html && grep -qF ">b.csv<" files.html || fail "history files are not named by file"
# A run beside a bare history file is still named by what differs between the runs that have configs.
"$mlp" plot history "sweep/lr=0.3_seed=1" "sweep/lr=0.03_seed=1" a.json -o mixed.html > /dev/null
grep -qF ">lr=0.03<" mixed.html && grep -qF ">a.json<" mixed.html || fail "a history file spoiled the others' names"
echo "sweeps and comparisons as they should be"
