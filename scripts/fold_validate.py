#!/usr/bin/env python3
"""Scores `eie deep-compress` settings on digits held out of the training split, never the test
digits: the 8,000 training digits in 4 folds as the density search splits them (digit i is in
fold i mod 4), each fold's pipeline trained on the other 6,000 and scored on its 2,000, over the
seeds asked; prints the accuracy change (fixed point minus dense float) pooled over all of them
(docs/deep_compression.md, "Distillation").

usage: scripts/fold_validate.py [--build-dir B] [--eie EIE] [--seeds 1,2] [--folds 4]
                                -- DEEP_COMPRESS_OPTIONS
Writes the folds and each run's model and report to BUILD_DIR/folds/.
e.g.   scripts/fold_validate.py --seeds 1,2 -- --density 0.064,0.072,0.26 --distill 0
"""
import argparse
import json
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_idx(path, magic):
    try:
        data = open(path, "rb").read()
    except OSError as e:
        sys.exit(f"fold_validate.py: {path}: {e.strerror} (scripts/setup.sh fetches MNIST)")
    if len(data) < 8 or struct.unpack(">I", data[:4])[0] != magic:
        sys.exit(f"fold_validate.py: {path} is not an IDX file of type {magic:#x}")
    return data


def write_folds(mnist, out, folds):
    """Writes out/fK/ for each fold: the other folds' digits as train, fold K's as t10k;
    returns each fold's count of held-out digits."""
    images = read_idx(os.path.join(mnist, "train-images-idx3-ubyte"), 0x803)
    labels = read_idx(os.path.join(mnist, "train-labels-idx1-ubyte"), 0x801)
    count, rows, cols = struct.unpack(">III", images[4:16])
    pixels = rows * cols
    if count < folds:
        sys.exit(f"fold_validate.py: {mnist}: {count} training digits, fewer than {folds} folds")
    sizes = []
    if len(images) != 16 + count * pixels or len(labels) != 8 + count:
        sys.exit(f"fold_validate.py: {mnist}: image and label files do not match")
    for k in range(folds):
        d = os.path.join(out, f"f{k}")
        os.makedirs(d, exist_ok=True)
        held = [i for i in range(count) if i % folds == k]
        fit = [i for i in range(count) if i % folds != k]
        sizes.append(len(held))
        for name, idx in (("train", fit), ("t10k", held)):
            with open(os.path.join(d, f"{name}-images-idx3-ubyte"), "wb") as f:
                f.write(struct.pack(">IIII", 0x803, len(idx), rows, cols))
                f.write(b"".join(images[16 + i * pixels:16 + (i + 1) * pixels] for i in idx))
            with open(os.path.join(d, f"{name}-labels-idx1-ubyte"), "wb") as f:
                f.write(struct.pack(">II", 0x801, len(idx)))
                f.write(bytes(labels[8 + i] for i in idx))
    return sizes


def main():
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--eie", help="the eie binary (default BUILD_DIR/golden/eie)")
    ap.add_argument("--data-dir", default="data/mnist")
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--folds", type=int, default=4)
    a = ap.parse_args(argv[:split])
    if a.folds < 2:
        sys.exit(f"fold_validate.py: --folds {a.folds}: at least 2")
    options = argv[split + 1:]
    build = os.path.join(ROOT, a.build_dir)
    out = os.path.join(build, "folds")
    sizes = write_folds(os.path.join(ROOT, a.data_dir), out, a.folds)
    eie = a.eie or os.path.join(build, "golden", "eie")
    fixed = dense = digits = 0
    for seed in a.seeds.split(","):
        for k in range(a.folds):
            report = os.path.join(out, f"f{k}.s{seed}.json")
            cmd = [eie, "deep-compress", "--data-dir", os.path.join(out, f"f{k}"), "--quiet",
                   "--force", "--seed", seed, "-o", os.path.join(out, f"f{k}.s{seed}.eie"),
                   "--json", report] + options
            proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
            if proc.returncode != 0:
                sys.exit(f"fold_validate.py: {' '.join(cmd)} failed:\n{proc.stderr}")
            r = json.load(open(report))
            held = sizes[k]
            f = r["pipeline"]["stages"][-1]["fixed_accuracy"]
            d = r["pipeline"]["dense_float_accuracy"]
            print(f"seed {seed} fold {k}: {100 * f:.2f}% vs dense {100 * d:.2f}% "
                  f"({100 * (f - d):+.2f} points), {r['compression']['file_bytes']} bytes",
                  flush=True)
            fixed += f * held
            dense += d * held
            digits += held
    print(f"pooled over {digits} held-out digits: {100 * fixed / digits:.3f}% vs dense "
          f"{100 * dense / digits:.3f}% ({100 * (fixed - dense) / digits:+.3f} points)")


if __name__ == "__main__":
    main()
