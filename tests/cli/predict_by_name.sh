#!/bin/sh
# mlp predict and evaluate read new files the way the model was trained:
# train on a CSV with an id, a categorical column and a string label; then the
# same format with the label, the columns shuffled, no label, and no header
# give the same predictions with class names; wrong files fail naming the file.
#   predict_by_name.sh MLP GARDEN_CSV WORK_DIR
set -eu
mlp=$1 garden=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAILED: $*"; exit 1; }

"$mlp" train --data "$garden" --label species --categorical color --ignore id --normalize standardize \
  --layers 16:relu,3:softmax --epochs 30 --batch-size 8 --lr 1e-2 --quiet --out run >/dev/null
model=run/model.safetensors
"$mlp" summary $model | grep -q "color: one-hot over 3 categories (blue, purple, white)" || fail "summary has no spec"

head -11 "$garden" > a.csv                                              # id,petal length,color,petal width,species
awk -F, -v OFS=, '{ print $5, $4, $1, $3, $2 }' a.csv > b.csv          # shuffled, label first
cut -d, -f2-4 a.csv > c.csv                                             # no label, no id
tail -n +2 c.csv > d.csv                                                # no header either
tail -n +2 a.csv | cut -d, -f2,4 > e.csv                                # a column short, no header

for f in a b c d; do
  "$mlp" predict $model --input $f.csv > $f.out 2> $f.err || fail "predict $f.csv: $(cat $f.err)"
done
for f in b c d; do cmp -s a.out $f.out || fail "$f.csv predicted differently from a.csv"; done
head -1 a.out | grep -qx "class,setosa,versicolor,virginica" || fail "header: $(head -1 a.out)"
[ "$(tail -n +2 a.out | cut -d, -f1 | sort -u | tr '\n' ' ')" = "setosa versicolor virginica " ] ||
  fail "classes: $(cut -d, -f1 a.out | tr '\n' ' ')"
grep -q "a.csv: ignored columns not in the model: species (the label), id" a.err || fail "a.err: $(cat a.err)"

if "$mlp" predict $model --input e.csv > e.out 2> e.err; then fail "e.csv was accepted"; fi
grep -q "e.csv: no header and 2 columns per row; the model takes 3, or 4 with the label at column 4" e.err ||
  fail "e.err: $(cat e.err)"

"$mlp" predict $model --input a.csv --keep id -q | head -2 | tail -1 | grep -q "^g001,setosa," || fail "--keep id"

"$mlp" evaluate $model --data a.csv > eval.out || fail "evaluate a.csv"
grep -Eq "^ +setosa +[0-9]+ +[0-9]+ +[0-9]+$" eval.out || fail "confusion matrix: $(cat eval.out)"

printf 'petal width,color,petal length\n1.0,white,0.5\n2.0,white,nan\n' > nan.csv
if "$mlp" predict $model --input nan.csv 2> nan.err; then fail "nan.csv was accepted"; fi
grep -q "nan.csv:3: column 3 ('petal length'): 'nan' is not a finite number" nan.err || fail "nan.err: $(cat nan.err)"

printf 'petal length,color,petal width\n1.0,green,0.5\n' > green.csv
if "$mlp" predict $model --input green.csv 2> green.err; then fail "green.csv was accepted"; fi
grep -q "green.csv:2: column 2 ('color'): category 'green' was not seen in training" green.err ||
  fail "green.err: $(cat green.err)"
"$mlp" predict $model --input green.csv --unknown-categories ignore > /dev/null || fail "--unknown-categories ignore"
echo "predict and evaluate read the model's columns by name"
