#!/bin/sh
# torchscript.deep_compress: `eie deep-compress --torchscript` starts from the user's model. With
# no training (--epochs 0, no retraining, no fine-tuning, every weight kept) its dense stage must
# classify exactly the test digits PyTorch classified with the same model (make_fixtures.py wrote
# the count); then a short pipeline with retraining must write a model whose layers carry the
# module paths as names. A model the trainer cannot train (no ReLU between layers) is refused.
set -eu
eie=$1
dir=$2
mnist=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
want=$(cat "$dir/mnist784_correct.txt")
"$eie" deep-compress -t "$dir/mnist784.pt" --data-dir "$mnist" --epochs 0 --prune-steps 1 \
  --retrain-epochs 0 --finetune-epochs 0 --density 1,1 --quiet --json "$tmp/as_is.json" \
  -o "$tmp/as_is.eie" > /dev/null
got=$(sed -n 's/.*"dense_float_accuracy": *\([0-9.e-]*\).*/\1/p' "$tmp/as_is.json" | head -1)
correct=$(awk -v a="$got" 'BEGIN { printf "%d", a * 2000 + 0.5 }')
[ "$correct" = "$want" ] ||
  { echo "FAIL: the imported model classifies $correct test digits, PyTorch $want"; exit 1; }
"$eie" deep-compress -t "$dir/mnist784.pt" --data-dir "$mnist" --epochs 1 --prune-steps 2 \
  --retrain-epochs 1 --finetune-epochs 1 --density 0.2,0.5 --quiet -o "$tmp/pruned.eie" \
  > /dev/null
"$eie" report "$tmp/pruned.eie" > "$tmp/report.txt"
grep -q "^0 " "$tmp/report.txt" && grep -q "^2 " "$tmp/report.txt" ||
  { cat "$tmp/report.txt"; echo "FAIL: the layers are not named by their module paths"; exit 1; }
if "$eie" deep-compress -t "$dir/nested.pt" --data-dir "$mnist" --density 0.5,0.5 \
     -o "$tmp/nested.eie" 2> "$tmp/err"; then
  echo "FAIL: a model ending in ReLU was trained"; exit 1
fi
grep -q "ReLU after every layer but the last" "$tmp/err" || { cat "$tmp/err"; exit 1; }
echo "PASS: the imported model classifies the $want test digits PyTorch does; pruned, named 0 and 2"
