#!/usr/bin/env bash
# The main demonstration: Deep Compression of LeNet-300-100 on real MNIST digits, then the
# compressed network on the RTL (64 PEs), every output of every layer checked against the golden
# model on the cycle it appears, with the accuracy of the float, golden and RTL models side by
# side.
#   scripts/demo.sh [BUILD_DIR] [DIGITS]   DIGITS: test digits on the RTL (default 300; 2000 = all)
# The data are fetched once (data/mnist) and the model trained once (BUILD_DIR/lenet/); delete
# BUILD_DIR/lenet to retrain.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
digits=${2:-300}
eie="$build/golden/eie"
sim="$build/tb/eie_sim"
for b in "$eie" "$sim"; do
  [ -x "$b" ] || { echo "demo.sh: $b not built; run 'make build' first" >&2; exit 1; }
done

scripts/fetch_mnist.sh data/mnist
mkdir -p "$build/lenet"
model="$build/lenet/lenet-300-100.eie"
if [ -s "$model" ] && [ -s "$build/lenet/deep_compress.json" ]; then
  echo "demo.sh: using the cached model $model (delete $build/lenet to retrain)"
  cat "$build/lenet/deep_compress.txt"
else
  echo "== Deep Compression of LeNet-300-100 (dense -> prune -> share -> fine-tune -> Huffman)"
  # The paper's ip3 density and 80% of its ip1 and ip2 ones, the densities for a 50x file
  # (docs/deep_compression.md); without --density they are searched by sensitivity (about 20
  # minutes more, and a smaller file that loses more than 0.2 points on the test digits).
  "$eie" deep-compress --data-dir data/mnist --density 0.064,0.072,0.26 -o "$model" \
    --json "$build/lenet/deep_compress.json" \
    --quiet | tee "$build/lenet/deep_compress.txt"
fi
echo
echo "== On-chip memory at 64 PEs"
"$eie" pack "$model" --pe 64
echo
echo "== The compressed network on the RTL, $digits test digits, 64 PEs"
"$sim" --model "$model" --mnist data/mnist --limit "$digits" --json "$build/lenet/rtl.json"
