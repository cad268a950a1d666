"""Plots the RTL sweeps (scripts/sweep.sh) like the EIE paper's Fig. 8 and Fig. 11.

Usage: python3 scripts/plot_sweeps.py SWEEP_DIR OUT_DIR
Writes OUT_DIR/fifo_sweep.png and OUT_DIR/pe_sweep.png for the sweeps present, and prints the
tables behind them.
"""
import glob
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LAYERS = ["Alex-6", "Alex-7", "Alex-8", "VGG-6", "VGG-7", "VGG-8", "NT-We", "NT-Wd", "NT-LSTM"]


def load(path):
    with open(path) as f:
        return json.load(f)


def fifo_sweep(sweep_dir, out_dir):
    series = {}
    for layer in LAYERS:
        path = os.path.join(sweep_dir, f"fifo.{layer}.json")
        if not os.path.exists(path):
            continue
        j = load(path)
        pes = j["config"]["active_pe"]
        series[layer] = [(r["fifo_limit"], r["work_total_entries"][0] / pes / r["layer_cycles"][0])
                         for r in j["runs"]]
    if not series:
        return
    depths = [d for d, _ in next(iter(series.values()))]
    print("load-balance efficiency (ideal / RTL cycles) vs FIFO depth, 64 PEs")
    print("layer    " + "".join(f"{d:>7}" for d in depths))
    for layer, pts in series.items():
        print(f"{layer:<9}" + "".join(f"{e:>7.3f}" for _, e in pts))
    fig, ax = plt.subplots(figsize=(8, 5))
    for layer, pts in series.items():
        ax.plot([d for d, _ in pts], [e for _, e in pts], marker="o", label=layer)
    ax.set_xscale("log", base=2)
    ax.set_xticks(depths)
    ax.set_xticklabels([str(d) for d in depths])
    ax.set_xlabel("activation FIFO depth")
    ax.set_ylabel("load-balance efficiency (ideal / cycles)")
    ax.set_title("EIE RTL, 64 PEs: efficiency vs FIFO depth (uniform benchmark layers)")
    ax.set_ylim(0, 1.02)
    ax.grid(True, alpha=0.3)
    ax.legend(ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "fifo_sweep.png"), dpi=110)


def pe_sweep(sweep_dir, out_dir):
    series = {}
    for layer in LAYERS:
        runs = {}
        for path in glob.glob(os.path.join(sweep_dir, f"pe.{layer}.*.json")):
            j = load(path)
            runs[j["config"]["active_pe"]] = j["runs"][0]["layer_cycles"][0]
        if runs:
            # Speedup over one PE; a layer too large for the smallest counts is normalised to the
            # smallest count it fits, assuming linear scaling below it (marked in the table).
            base = min(runs)
            series[layer] = [(p, runs[base] * base / runs[p]) for p in sorted(runs)]
            if base != 1:
                print(f"note: {layer} fits from {base} PEs; speedup normalised as {base} x")
    if not series:
        return
    counts = sorted({p for pts in series.values() for p, _ in pts})
    print("\nspeedup over 1 PE vs PE count, FIFO 8")
    print("layer    " + "".join(f"{p:>7}" for p in counts))
    for layer, pts in series.items():
        by_count = dict(pts)
        print(f"{layer:<9}" + "".join(f"{by_count[p]:>7.1f}" if p in by_count else f"{'-':>7}"
                                      for p in counts))
    fig, ax = plt.subplots(figsize=(8, 5))
    for layer, pts in series.items():
        ax.plot([p for p, _ in pts], [s for _, s in pts], marker="o", label=layer)
    ax.plot(counts, counts, "k--", linewidth=0.8, label="linear")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xticks(counts)
    ax.set_xticklabels([str(p) for p in counts])
    ax.set_xlabel("number of PEs")
    ax.set_ylabel("speedup over 1 PE")
    ax.set_title("EIE RTL: scalability (uniform benchmark layers, FIFO 8)")
    ax.grid(True, alpha=0.3)
    ax.legend(ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "pe_sweep.png"), dpi=110)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot_sweeps.py SWEEP_DIR OUT_DIR")
    fifo_sweep(sys.argv[1], sys.argv[2])
    pe_sweep(sys.argv[1], sys.argv[2])


if __name__ == "__main__":
    main()
