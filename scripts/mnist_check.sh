#!/usr/bin/env bash
# Short form of the demo for CI: on the MNIST digits scripts/setup.sh fetched into data/mnist
# (no network at test time), run a brief Deep Compression twice with one seed
# (the model files must be identical, byte for byte), then the model on the RTL for 100 test
# digits (RTL and golden accuracy must agree, every output checked).
# Usage: scripts/mnist_check.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out="$build/mnist_check"
mkdir -p "$out"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -s "data/mnist/$f" ] || { echo "mnist_check.sh: data/mnist/$f missing: run scripts/setup.sh (it fetches MNIST once)" >&2; exit 1; }
done
short=(--data-dir data/mnist --epochs 3 --prune-steps 2 --retrain-epochs 1 --finetune-epochs 1
       --density 0.08,0.09,0.26 --quiet --seed 7)
"$build/golden/eie" deep-compress "${short[@]}" -o "$out/a.eie"
"$build/golden/eie" deep-compress "${short[@]}" -o "$out/b.eie" > /dev/null
cmp "$out/a.eie" "$out/b.eie"
echo "mnist_check.sh: two runs with seed 7 wrote identical model files"
"$build/tb/eie_sim" --model "$out/a.eie" --mnist data/mnist --limit 100 --quiet
