#!/usr/bin/env bash
# Golden-model demo: the whole command-line flow on a seeded random LeNet-300-100-shaped network.
#   generate .npy weights -> compress (prune, share, Huffman) -> report -> pack for 64 PEs -> infer
# Usage: scripts/golden_demo.sh [BUILD_DIR]   (BUILD_DIR defaults to build)
set -euo pipefail
build=${1:-build}
eie="$build/golden/eie"
[ -x "$eie" ] || { echo "golden_demo.sh: $eie not built; run 'make build' first" >&2; exit 1; }
work="$build/demo"
mkdir -p "$work"

echo "== eie generate: LeNet-300-100 shapes, random weights, 4 inputs"
"$eie" generate --sizes 784,300,100,10 --batch 4 --seed 1 -o "$work"
echo
echo "== eie compress: keep 8% / 9% / 26% (the Deep Compression paper's LeNet-300-100 densities)"
"$eie" compress -l "$work/w1.npy:$work/b1.npy" -l "$work/w2.npy:$work/b2.npy" \
  -l "$work/w3.npy:$work/b3.npy" --names ip1,ip2,ip3 --density 0.08,0.09,0.26 \
  -o "$work/lenet.eie"
echo
echo "== eie pack: layout over 64 PEs"
"$eie" pack "$work/lenet.eie" --pe 64
echo
echo "== eie infer: bit-exact fixed-point inference"
"$eie" infer "$work/lenet.eie" -i "$work/x.npy" -o "$work/y.npy" --stats
