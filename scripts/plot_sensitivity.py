#!/usr/bin/env python3
"""Plots the per-layer sensitivity curves and the density trials of `eie deep-compress --json`
(run without --density): validation accuracy with each layer alone pruned, against the density
kept [P15, Fig. 5], and each trial's model file size against its validation accuracy.

usage: plot_sensitivity.py DEEP_COMPRESS.json OUT.png   (Debian python3-matplotlib)
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(src, out):
    with open(src) as f:
        search = json.load(f)["pipeline"].get("density_search")
    if not search:
        sys.exit(f"plot_sensitivity: {src} has no density search (run without --density)")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    base = 100 * search["dense_validation_accuracy"]
    for c in search["sensitivity"]:
        left.plot([100 * d for d in c["density"]], [100 * a for a in c["validation_accuracy"]],
                  marker="o", label=c["layer"])
    left.axhline(base, color="gray", lw=0.8, ls="--", label="dense")
    left.set_xscale("log")
    left.set_xlabel("weights kept in this layer alone (%)")
    left.set_ylabel("validation accuracy (%)")
    left.set_title("Sensitivity: one layer pruned, no retraining")
    left.legend()
    for t in search["trials"]:
        right.scatter(t["bytes"] / 1000, 100 * t["validation_accuracy"],
                      color="tab:green" if t["within_budget"] else "tab:red")
        right.annotate(" / ".join(f"{100 * d:.1f}" for d in t["density"]),
                       (t["bytes"] / 1000, 100 * t["validation_accuracy"]), fontsize=7)
    right.axhline(base, color="gray", lw=0.8, ls="--")
    right.set_xlabel("model file (KB)")
    right.set_ylabel("compressed validation accuracy (%)")
    right.set_title("Trials (green: within the budget; labels: % kept per layer)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"plot_sensitivity: wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(*sys.argv[1:])
