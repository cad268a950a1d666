#!/bin/sh
# torchscript.cli: `eie compress --torchscript` writes, byte for byte, the model file that
# `eie compress -l` writes from the same layers as .npy (make_fixtures.py saves both), for a
# Sequential, a nested Sequential with Dropout and a bias-free layer, and a custom module; and a
# refused model leaves no output.
set -eu
eie=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$dir"
same() {  # NAME, then the -l arguments and options that describe the same network
  name=$1
  shift
  "$eie" compress -t "$name.pt" --density 0.5 --quiet -o "$tmp/$name.eie"
  "$eie" compress "$@" --density 0.5 --quiet -o "$tmp/${name}_npy.eie"
  cmp "$tmp/$name.eie" "$tmp/${name}_npy.eie" || { echo "FAIL: $name differs"; exit 1; }
}
same mlp -l mlp_w1.npy:mlp_b1.npy -l mlp_w2.npy:mlp_b2.npy -l mlp_w3.npy:mlp_b3.npy --names 0,2,4
same nested -l nested_w1.npy:nested_b1.npy -l nested_w2.npy --names 0.0,2 --relu-last
same named -l named_w1.npy:named_b1.npy -l named_w2.npy:named_b2.npy --names fc1,fc2
if "$eie" compress -t conv.pt -o "$tmp/conv.eie" 2> "$tmp/err"; then
  echo "FAIL: conv.pt accepted"; exit 1
fi
grep -q "Conv2d '0' comes first, so the reader needs the input's shape" "$tmp/err" ||
  { cat "$tmp/err"; echo "FAIL: message"; exit 1; }
[ ! -e "$tmp/conv.eie" ] || { echo "FAIL: a refused model left an output"; exit 1; }
# A convolutional model: compressed with its input shape, then run by eie infer (PyTorch checks the
# arithmetic in CnnAgainstPyTorch.*; this checks the command line end to end).
"$eie" compress -t lenet_like.pt --input-shape 1,12,12 --density 0.5 --quiet -o "$tmp/cnn.eie"
"$eie" report "$tmp/cnn.eie" | grep -q "^total  *436 " || { echo "FAIL: CNN report"; exit 1; }
"$eie" pack "$tmp/cnn.eie" --pe 4 | grep -q "on-chip memory at 4 PEs" || { echo "FAIL: CNN pack"; exit 1; }
"$eie" infer "$tmp/cnn.eie" -i lenet_like_x.npy -o "$tmp/cnn_y.npy" > "$tmp/err" 2>&1 ||
  { cat "$tmp/err"; echo "FAIL: CNN inference"; exit 1; }
grep -q "2 output(s) of 5 values" "$tmp/err" || { cat "$tmp/err"; echo "FAIL: CNN output"; exit 1; }
# The same inputs as (batch, C, H, W) give the same outputs.
"$eie" infer "$tmp/cnn.eie" -i lenet_like_x4.npy -o "$tmp/cnn_y4.npy" > /dev/null
cmp "$tmp/cnn_y.npy" "$tmp/cnn_y4.npy" || { echo "FAIL: NCHW input differs"; exit 1; }
echo "PASS: three TorchScript models compress to the .npy path's bytes; a refused one writes" \
  "nothing; a CNN compresses and runs"
