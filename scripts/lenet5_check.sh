#!/usr/bin/env bash
# LeNet-5 through the whole chain, short form for CI: on the MNIST digits scripts/setup.sh fetched
# into data/mnist, a brief Deep Compression of Caffe's LeNet-5 (eie deep-compress --arch lenet5)
# twice with one seed (the model files must be identical, byte for byte), then the model on the
# RTL for DIGITS test digits (default 20): each convolution once per output position, every
# output checked on its cycle, RTL and golden accuracy equal (docs/verification.md,
# "Convolutional networks"). The full run is `make lenet5`.
# Usage: scripts/lenet5_check.sh [BUILD_DIR] [DIGITS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
digits=${2:-20}
out="$build/lenet5_check"
mkdir -p "$out"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -s "data/mnist/$f" ] || { echo "lenet5_check.sh: data/mnist/$f missing: run scripts/setup.sh (it fetches MNIST once)" >&2; exit 1; }
done
short=(--arch lenet5 --data-dir data/mnist --epochs 2 --prune-steps 1 --retrain-epochs 1
       --finetune-epochs 1 --density 0.66,0.12,0.08,0.19 --quiet --seed 7)
"$build/golden/eie" deep-compress "${short[@]}" -o "$out/a.eie"
"$build/golden/eie" deep-compress "${short[@]}" -o "$out/b.eie" > /dev/null
cmp "$out/a.eie" "$out/b.eie"
echo "lenet5_check.sh: two runs with seed 7 wrote identical model files"
"$build/tb/eie_sim" --model "$out/a.eie" --mnist data/mnist --limit "$digits" --backdoor
