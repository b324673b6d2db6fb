#!/bin/sh
# The edges a user hits on the first day, each with its exit code and message:
# nothing silent, nothing lost.
#   first_day.sh MLP GARDEN_CSV WORK_DIR
set -eu
mlp=$1 garden=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAILED: $*"; exit 1; }
# expect CODE PATTERN ARGS...: mlp ARGS exits CODE and its stdout or stderr matches PATTERN (grep -E).
expect() {
  code=$1 pattern=$2
  shift 2
  set +e
  "$mlp" "$@" > out.txt 2>&1
  got=$?
  set -e
  [ "$got" = "$code" ] || fail "mlp $* exited $got, not $code: $(cat out.txt)"
  grep -Eq -- "$pattern" out.txt || fail "mlp $* said: $(cat out.txt) -- not /$pattern/"
}
train_garden() { "$mlp" train --data "$garden" --label species --categorical color --ignore id "$@"; }

# A whole-number target is regression when the output layer is linear: said, and learned.
awk 'BEGIN { srand(1); print "a,b,y"; for (i = 0; i < 300; i++) { a = 6 * rand() - 3; b = 6 * rand() - 3;
     y = 3 * a - 2 * b; printf "%.4f,%.4f,%d\n", a, b, (y < 0 ? -int(-y + 0.5) : int(y + 0.5)) } }' > linear.csv
expect 0 "task: regression \(the output layer is linear\)" train --data linear.csv --layers 32:relu,1 --epochs 60 \
  --batch-size 16 --lr 1e-2 --metrics r2 --verbose 0 --out linear
r2=$(sed -n 's/.*r2: \([0-9.-]*\).*/\1/p' out.txt | tail -1)
awk -v r="$r2" 'BEGIN { exit !(r > 0.95) }' || fail "integer regression test R² $r2 <= 0.95"

# Several labels make a multi-output regression: trained, predicted and evaluated by name.
awk 'BEGIN { srand(2); print "a,sum,b,diff"; for (i = 0; i < 300; i++) { a = 4 * rand() - 2; b = 4 * rand() - 2;
     printf "%.4f,%.4f,%.4f,%.4f\n", a, a + b, b, a - b } }' > two.csv
expect 0 "task: regression \(several labels: sum,diff\)" train --data two.csv --label sum,diff --layers 16:relu,2 \
  --epochs 40 --batch-size 16 --lr 1e-2 --metrics r2 --verbose 0 --out two
r2=$(sed -n 's/.*r2: \([0-9.-]*\).*/\1/p' out.txt | tail -1)
awk -v r="$r2" 'BEGIN { exit !(r > 0.95) }' || fail "two-target regression test R² $r2 <= 0.95"
expect 0 "predictions" predict two/model.safetensors --input two.csv -o two_pred.csv
head -1 two_pred.csv | grep -q "^sum,diff$" || fail "predict's columns are not the labels: $(head -1 two_pred.csv)"
expect 0 "r2: 0\.9" evaluate two/model.safetensors --data two.csv
expect 2 "2 targets \(sum, diff\), but the last layer, dense_2 \(Dense 8->1\), has 1 output; give it 2 units" \
  train --data two.csv --label sum,diff --layers 8:relu,1 --out two_bad
expect 2 "several label columns make a regression" train --data two.csv --label sum,diff --task classification \
  --layers 8:relu,2:softmax --out two_class

# An output layer that does not fit the classes.
expect 2 "3 classes \(setosa, versicolor, virginica\), but the last layer, dense_2 \(Dense 5->1\), has 1 output; give it 3 units" \
  train --data "$garden" --label species --categorical color --ignore id --layers 5:relu,1:sigmoid --out mismatch

# Flags that do not apply fail; sgd takes --momentum as Keras's SGD(momentum=) does.
expect 2 "--momentum does not apply to --optimizer adam" train --data moons --optimizer adam --momentum 0.5 --out m1
expect 2 "--weight-decay is AdamW's decoupled decay" train --data moons --optimizer adam --weight-decay 0.1 --out m2
expect 0 "test loss" train --data moons --layers 8:relu,1:sigmoid --optimizer sgd --momentum 0.5 --epochs 1 --quiet --out sgd
grep -q '"momentum": 0.5' sgd/config.json || fail "sgd --momentum 0.5 is not in the config: $(cat sgd/config.json)"
expect 2 "--threads: Value -3 not in range" train --data moons --threads -3
expect 2 "--threads: Value 100000 not in range" train --data moons --threads 100000

# Initializers from the command line; flags that would be ignored beside a config fail.
expect 0 "test loss" train --data moons --layers 8:relu,1:sigmoid --init lecun_normal --bias-init constant:-1 --epochs 1 \
  --out init --quiet
expect 0 "dense_1 \(Dense\) .* relu, lecun_normal" summary init
grep -q '"kernel_initializer": "lecun_normal"' init/config.json || fail "--init is not in the config: $(cat init/config.json)"
grep -q '"bias_initializer": "constant:-1"' init/config.json || fail "--bias-init is not in the config: $(cat init/config.json)"
expect 2 "unknown initializer 'bogus'" train --data moons --init bogus --out init2
expect 2 "--init goes with --layers; a --config spec gives each layer's own" train --config init/config.json --init he_normal \
  --out init3

# Absurd sizes are refused at once, with the reason.
expect 1 "\(2, 9223372036854775807\) has more elements than a 64-bit count holds" train --data moons \
  --layers 9223372036854775807:relu,1:sigmoid --out huge1
expect 2 "would take .* GB, more than this machine's .* GB of memory \(the largest layer is dense_2" train --data moons \
  --layers 100000000:relu,100000:relu,1:sigmoid --out huge2
expect 2 "a gradient check takes two forward passes per parameter" gradcheck --layers 100000000:relu,1:sigmoid
# Dropout's masks hold through the check; --max-entries samples large tensors; the passes are counted.
expect 0 "finite differences: 342 forward passes \(2 per entry\); backpropagation: 1 forward and 1 backward" \
  gradcheck --layers 16:relu,dropout:0.3,3:softmax --inputs 20 --max-entries 50
grep -q "every tensor within 1e-06" out.txt || fail "gradcheck with dropout: $(cat out.txt)"

# Range errors print the bound a user can read; a test split of 0 needs a test file.
expect 2 "^--lr: must be > 0, got -1" train --data moons --lr -1
expect 2 "--test-split 0 leaves nothing to test on; give --test-data FILE" train --data "$garden" --label species \
  --categorical color --ignore id --test-split 0 --out split0
head -61 "$garden" > first60.csv
{ head -1 "$garden"; tail -30 "$garden"; } > last30.csv
expect 0 "test loss: [0-9.]+ - accuracy" train --data first60.csv --test-data last30.csv --test-split 0 --label species \
  --categorical color --ignore id --layers 8:relu,3:softmax --epochs 2 --quiet --out split_files

# Flags beside --config win over its compile section; an unknown key in it is an error.
expect 0 "test loss: [0-9.]+ - accuracy: [0-9.]+ - auc: " train --config sgd/config.json --metrics accuracy,auc \
  --epochs 1 --quiet --out config_metrics
sed 's/"use_bias"/"bogus_key"/' sgd/config.json > bogus.json
expect 2 "layer 1 \(Dense\): unknown key \"bogus_key\"" train --config bogus.json --out bogus

# A run directory that holds a run is not overwritten unless asked, and not shared while in use.
expect 2 "the run directory 'sgd' holds files already.*--overwrite" train --data moons --layers 8:relu,1:sigmoid \
  --epochs 1 --out sgd
expect 0 "test loss" train --data moons --layers 8:relu,1:sigmoid --epochs 1 --quiet --out sgd --overwrite
if command -v flock >/dev/null; then
  mkdir -p busy
  flock busy sh -c "\"$mlp\" train --data moons --layers 8:relu,1:sigmoid --epochs 1 --out busy --overwrite \
    > out.txt 2>&1; echo \$? > code.txt" || true
  [ "$(cat code.txt)" = 1 ] && grep -q "'busy' is in use by another mlp process" out.txt || fail "lock: $(cat out.txt)"
fi

# Bad data is found before training, with file, line and column; a diverged model is never saved.
{ head -20 "$garden"; echo "g999,1.5,white,nan,setosa"; } > nan.csv
expect 1 "nan.csv:21: column 4 \('petal width'\): 'nan' is not a finite number" train --data nan.csv --label species \
  --categorical color --ignore id --out nan
expect 1 "not written: dense_1.kernel holds|the loss became" train --data moons --layers 8:relu,1:sigmoid --lr 1e308 \
  --epochs 1 --save diverged.safetensors --out diverged
[ ! -e diverged.safetensors ] || fail "a diverged model was saved"

# Numbers past float32 are refused by name, as NaN is.
{ head -3 "$garden"; echo "g998,1e999,white,0.2,setosa"; } > huge.csv
expect 1 "huge.csv:4: column 2 \('petal length'\): '1e999' is out of range for a number" train --data huge.csv \
  --label species --categorical color --ignore id --out huge
{ head -3 "$garden"; echo "g998,1e39,white,0.2,setosa"; } > big.csv
expect 1 "big.csv:4: column 2 \('petal length'\): '1e39' is out of range for float32" train --data big.csv \
  --label species --categorical color --ignore id --out big

# A run directory stands for its model; the version is a flag too; the summary lines up.
expect 0 "^mlp [0-9]+\.[0-9]+\.[0-9]+" --version
expect 0 "loss: [0-9.]+ - accuracy" evaluate sgd --data moons:test -q
expect 2 "--resume 'sgd' is a directory; give the checkpoint file in it" train --data moons --resume sgd --out r
expect 0 "test loss" train --data moons --normalize standardize --layers 8:relu,1:sigmoid --epochs 1 --quiet --out norm
expect 0 "^normalization_1 \(Normalization\) \(None, 2\) +4 +standardize" summary norm

# predict -o: written whole or not at all, and a failure says so.
"$mlp" predict sgd --input moons:test -o predictions.csv -q
mkdir -p predictions_dir
expect 1 "predictions_dir" predict sgd --input moons:test -o predictions_dir
if mkdir -p full && mount -t tmpfs -o size=8k tmpfs full 2>/dev/null; then
  printf 'old\n' > full/p.csv
  expect 1 "writing 'full/p.csv' failed: No space left on device" predict sgd --input moons:test -o full/p.csv
  [ "$(cat full/p.csv)" = old ] || fail "a failed write changed the old file"
  [ -z "$(ls full | grep -v '^p.csv$')" ] || fail "a failed write left $(ls full)"
  mount -o remount,ro full
  expect 1 "cannot write 'full/p.csv': Read-only file system" predict sgd --input moons:test -o full/p.csv
  umount full
else
  echo "first_day: no tmpfs mount here (not root, or not allowed): the full and read-only disk cases are skipped"
fi

# --verbose 0 prints no summary.
expect 0 "test loss" train --data moons --layers 8:relu,1:sigmoid --epochs 1 --verbose 0 --out quiet_run
! grep -q "Total params" out.txt || fail "--verbose 0 printed the summary"

# A checkpoint remembers its data: resumed from elsewhere without --data, it trains on the same file.
cp "$garden" garden.csv
"$mlp" train --data garden.csv --label species --categorical color --ignore id --layers 8:relu,3:softmax \
  --epochs 2 --test-split 0.3 --seed 4 --checkpoint resumable.safetensors --quiet --out resumable > /dev/null
mkdir -p elsewhere && cd elsewhere
expect 0 "Epoch 4/4" train --resume ../resumable.safetensors --epochs 4 --verbose 2 --out resumed
grep -q "\"name\": \"$work/garden.csv\"" resumed/config.json || fail "resumed config: $(cat resumed/config.json)"
grep -q '"test_split": 0.3' resumed/config.json || fail "the split was not kept: $(cat resumed/config.json)"
cd ..
expect 2 "does not record its training data; give --data" train --resume "$(dirname "$garden")/../../io/golden/model_v1.safetensors" \
  --epochs 9 --out v1

# Ctrl-C: exit 130, the checkpoint kept, --save not written with a partial model.
# ctrl_c CHECKPOINT ARGS...: a long training with ARGS, Ctrl-C once its first
# checkpoint is written; its output goes to int.txt; it must exit 130.
ctrl_c() {
  checkpoint=$1
  shift
  # A background job of a script ignores SIGINT; give the command the default, as a terminal would.
  env --default-signal=INT "$mlp" train --data moons --layers 64:relu,64:relu,1:sigmoid --epochs 100000 --batch-size 1 \
    --verbose 0 --checkpoint "$checkpoint" "$@" > int.txt 2>&1 &
  pid=$!
  for i in $(seq 1 100); do [ -e "$checkpoint" ] && break; sleep 0.1; done
  kill -INT $pid
  set +e
  wait $pid
  code=$?
  set -e
  [ "$code" = 130 ] || fail "Ctrl-C exited $code: $(cat int.txt)"
}
ctrl_c ckpt.safetensors --save interrupted.safetensors --out interrupted
grep -q "interrupted: the checkpoint ckpt.safetensors resumes it" int.txt || fail "Ctrl-C said: $(cat int.txt)"
[ -e ckpt.safetensors ] && [ ! -e interrupted.safetensors ] || fail "after Ctrl-C: $(ls)"
grep -q "interrupted.safetensors was not written (--save-interrupted writes it)" int.txt || fail "Ctrl-C said: $(cat int.txt)"
# ... unless asked to write it.
ctrl_c ckpt2.safetensors --save partial.safetensors --save-interrupted --out interrupted2
grep -q "partial.safetensors holds the partly trained model" int.txt || fail "Ctrl-C said: $(cat int.txt)"
expect 0 "loss: [0-9.]+ - accuracy" evaluate partial.safetensors --data moons
echo "first-day edges: every one exits as it should and says why"
