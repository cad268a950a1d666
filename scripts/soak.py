#!/usr/bin/env python3
"""Constrained-random soak of the RTL against the golden model.

Every seed picks a hardware build and run-time configuration (active PEs, FIFO limit), a network
(layers, widths, densities, saturation, ReLU), stimulus settings (host idle cycles, result
back-pressure) and a random initial state (every register and memory random, Verilator's
rand-reset), all derived from the seed alone, and runs it in eie_sim, which checks every
write-back, broadcast and result cycle by cycle against golden/. Failing seeds are printed with
the command that reproduces them.

Usage:
  scripts/soak.py --seeds 1000                 seeds 1..1000 on this machine
  scripts/soak.py --seeds 1000 --shard 3/8     the seeds s with s % 8 == 3 (a job array, CI matrix)
  scripts/soak.py --first 4242 --seeds 1 -v    one seed, its command and output
Exit status: 0 all passed, 1 a seed failed, 2 bad arguments or a missing build.
"""

import argparse
import concurrent.futures
import math
import os
import random
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The eie_sim builds (tb/CMakeLists.txt) and their memories, so generated networks fit them.
BUILDS = {
    "eie_sim": dict(pe=64, fifo=8, spmat=1024, ptr=2048, act=256, bias=512, layers=8, hold=4,
                    weight=5),
    "eie_sim_pe6": dict(pe=6, fifo=2, spmat=512, ptr=1024, act=128, bias=256, layers=4, hold=2,
                        weight=3),
    "eie_sim_pe1": dict(pe=1, fifo=1, spmat=2048, ptr=1024, act=512, bias=512, layers=4, hold=0,
                        weight=2),
}
# The coverage build (scripts/coverage.py), never drawn by the soak itself.
COVERAGE_BUILD = dict(pe=8, fifo=4, spmat=1024, ptr=2048, act=256, bias=512, layers=8, hold=2)
# Scenarios with fixed shapes (the rest take --sizes).
FIXED_SCENARIOS = ["paper", "padding", "rounding", "sat-order"]


def log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def fits(b, pes, sizes, wd):
    """Whether a network of these widths and weight density fits build b with pes active PEs."""
    ptrs = sum(c + 1 for c in sizes[:-1])
    # Two bias banks of half the depth: the odd-numbered layers' and the even-numbered layers'.
    biases = max(sum(math.ceil(r / pes) for r in sizes[1 + bank::2]) for bank in (0, 1))
    # Entries per PE: non-zeros plus padding (a gap of 16+ zero rows costs one padding entry per
    # 16 rows), with margin for the random spread.
    entries = 0
    for cols, rows in zip(sizes[:-1], sizes[1:]):
        local_rows = math.ceil(rows / pes)
        per_col = local_rows * wd + (local_rows / 16 if wd < 1 / 16 else 0) + 1
        entries += cols * per_col
    return (ptrs + 2 <= b["ptr"] and biases <= b["bias"] // 2 and
            max(math.ceil(w / pes) for w in sizes) <= b["act"] and
            entries * 1.3 + 8 * len(sizes) <= 8 * b["spmat"] and len(sizes) - 1 <= b["layers"])


def with_hold(rng, b, args):
    """Half the seeds run with fewer hold slots than built (0: the paper's broadcast); drawn
    last, so every earlier choice of a seed stays as it was."""
    if b["hold"] > 0 and rng.random() < 0.5:
        args += ["--hold", str(rng.randint(0, b["hold"] - 1))]
    return args


def config_for(seed, build=None):
    """The eie_sim build and arguments of a seed (deterministic); `build` = (name, sizes) forces
    one build (the coverage build)."""
    rng = random.Random(seed)
    names = list(BUILDS)
    name = rng.choices(names, weights=[BUILDS[n]["weight"] for n in names])[0]
    b = BUILDS[name]
    if build:
        name, b = build
    pes = b["pe"] if rng.random() < 0.4 else rng.randint(1, b["pe"])
    args = ["--seed", str(seed), "--rand-reset", str(seed), "--pe", str(pes),
            "--fifo", str(rng.randint(1, b["fifo"])),
            "--idle", f"{rng.choice([0, 0.1, 0.3, 0.6]):g}",
            "--backpressure", f"{rng.choice([0, 0.3, 0.7, 0.9]):g}",
            "--inferences", str(rng.randint(1, 3)), "--quiet"]
    r = rng.random()
    if r < 0.1:
        # Fixed shapes, sized for the 64-PE build (the paper example is for 4 PEs).
        if not build:
            name, b = "eie_sim", BUILDS["eie_sim"]
        # padding has 200 outputs per PE; the paper example is for 4 PEs.
        scenario = rng.choice([f for f in FIXED_SCENARIOS
                               if (f != "padding" or b["act"] >= 200) and
                               (f != "paper" or b["pe"] >= 4)])
        pes = 4 if scenario == "paper" else rng.choice([p for p in (4, 5, 8, 16, 64)
                                                        if p <= b["pe"]])
        args[args.index("--pe") + 1] = str(pes)
        args[args.index("--fifo") + 1] = str(rng.randint(1, b["fifo"]))
        args += ["--scenario", scenario]
        if scenario in ("paper", "padding"):
            args += ["--act-density", "1"]
        return name, with_hold(rng, b, args)
    scenario = "random" if r < 0.8 else rng.choice(["empty-cols", "imbalance"])
    for _ in range(100):
        layers = rng.randint(1, min(4 if rng.random() < 0.9 else 8, b["layers"]))
        cap = min(300, pes * b["act"])
        sizes = [rng.randint(1, cap) for _ in range(layers + 1)]
        wd = rng.choice([1.0, 0.5]) if rng.random() < 0.15 else log_uniform(rng, 0.005, 0.5)
        if fits(b, pes, sizes, wd):
            break
    else:
        sizes, wd = [8, 8], 0.5
    ad = rng.choice([0.0, 1.0]) if rng.random() < 0.15 else rng.uniform(0.02, 1.0)
    args += ["--scenario", scenario, "--sizes", ",".join(map(str, sizes)),
             "--weight-density", f"{wd:.4g}", "--act-density", f"{ad:.3g}"]
    if rng.random() < 0.2:
        args.append("--wide")
    if rng.random() < 0.3:
        args.append("--relu-last")
    if rng.random() < 0.2:
        args.append("--dirty-codebook0")
    # Drawn last, so that adding them left every earlier seed's configuration as it was.
    if rng.random() < 0.2:
        args.append("--balance")
    if rng.random() < 0.2:
        args.append("--backdoor")
    if "--balance" in args and rng.random() < 0.5:
        args.append("--order-inputs")
    return name, with_hold(rng, b, args)


def run_seed(build_dir, seed, timeout):
    name, args = config_for(seed)
    cmd = [os.path.join(build_dir, "tb", name)] + args
    t0 = time.time()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=timeout)
        ok, out = p.returncode == 0, p.stdout
    except subprocess.TimeoutExpired as e:
        ok, out = False, f"timeout after {timeout} s\n{e.stdout or ''}"
    return seed, ok, cmd, out, time.time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=100, help="how many seeds (default 100)")
    ap.add_argument("--first", type=int, default=1, help="first seed (default 1)")
    ap.add_argument("--shard", default="0/1", help="i/N: run the seeds with seed %% N == i")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--timeout", type=float, default=300, help="seconds per seed")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every seed's command")
    a = ap.parse_args()
    try:
        index, count = (int(x) for x in a.shard.split("/"))
        if count < 1 or not 0 <= index < count:
            raise ValueError
    except ValueError:
        print(f"soak: --shard must be i/N with 0 <= i < N, got '{a.shard}'", file=sys.stderr)
        return 2
    if a.seeds < 1 or a.first < 1 or a.jobs < 1:
        print("soak: --seeds, --first and --jobs must be at least 1", file=sys.stderr)
        return 2
    for name in BUILDS:
        if not os.access(os.path.join(a.build_dir, "tb", name), os.X_OK):
            print(f"soak: {a.build_dir}/tb/{name} missing; run make build", file=sys.stderr)
            return 2

    seeds = [s for s in range(a.first, a.first + a.seeds) if s % count == index]
    failed = []
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for seed, ok, cmd, out, secs in pool.map(lambda s: run_seed(a.build_dir, s, a.timeout),
                                                 seeds):
            line = " ".join(shlex.quote(c) for c in cmd)
            if a.verbose or not ok:
                print(f"seed {seed}: {'ok' if ok else 'FAILED'} ({secs:.1f} s): {line}")
            if not ok:
                print("  " + "\n  ".join(out.strip().splitlines()[-12:]))
                failed.append(seed)
            elif a.verbose:
                print("  " + out.strip())
    print(f"soak: {len(seeds)} seeds (first {a.first}, shard {index}/{count}) in "
          f"{time.time() - t0:.0f} s: {len(seeds) - len(failed)} passed, {len(failed)} failed"
          + (f": {' '.join(map(str, failed))}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
