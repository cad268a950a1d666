#!/usr/bin/env bash
# A named network through the whole chain, short form for CI: on the MNIST digits
# scripts/setup.sh fetched into data/mnist, a brief Deep Compression of ARCH (eie deep-compress
# --arch lenet5 or lstm) twice with one seed (the model files must be identical, byte for byte),
# then the model on the RTL for DIGITS test digits (default 20): each convolution once per output
# position, an LSTM's gate matrix once per step, every output checked on its cycle, RTL and golden
# accuracy equal (docs/verification.md, "Convolutional and recurrent networks"). The full runs are
# `make lenet5` and `make lstm`.
# Usage: scripts/arch_check.sh ARCH [BUILD_DIR] [DIGITS]
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:?usage: scripts/arch_check.sh lenet5|lstm [BUILD_DIR] [DIGITS]}
build=${2:-build}
digits=${3:-20}
out="$build/${arch}_check"
mkdir -p "$out"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -s "data/mnist/$f" ] || { echo "arch_check.sh: data/mnist/$f missing: run scripts/setup.sh (it fetches MNIST once)" >&2; exit 1; }
done
case "$arch" in
  lenet5) density=0.66,0.12,0.08,0.19 ;;
  lstm) density=0.1,0.5 ;;
  *) echo "arch_check.sh: unknown network '$arch' (lenet5 or lstm)" >&2; exit 2 ;;
esac
short=(--arch "$arch" --data-dir data/mnist --epochs 2 --prune-steps 1 --retrain-epochs 1
       --finetune-epochs 1 --density "$density" --quiet --seed 7)
"$build/golden/eie" deep-compress "${short[@]}" -o "$out/a.eie"
"$build/golden/eie" deep-compress "${short[@]}" -o "$out/b.eie" > /dev/null
cmp "$out/a.eie" "$out/b.eie"
echo "arch_check.sh: two runs of $arch with seed 7 wrote identical model files"
"$build/tb/eie_sim" --model "$out/a.eie" --mnist data/mnist --limit "$digits" --backdoor
