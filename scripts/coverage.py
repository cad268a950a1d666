#!/usr/bin/env python3
"""Coverage of the RTL by the regression: Verilator line, branch and toggle coverage, and the
functional cover points written into the RTL (`cover property` under `ifndef SYNTHESIS`).

Builds eie_sim_cov (8 PEs, FIFO 4, Verilator --coverage) in BUILD/coverage, runs the directed
scenarios and constrained-random soak seeds on it (scripts/soak.py's generator), merges the
counts, writes an annotated source tree and an lcov file, and reports the percentages and the
functional-coverage table. Fails (exit 1) if a functional point was never hit, a run failed or a
toggle point scripts/toggle_exclusions.py excludes did toggle (a wrong exclusion).

Usage: scripts/coverage.py [--seeds N] [--build-dir build]     (make coverage: 300 seeds)
Output in BUILD/coverage/report/: summary.txt, summary.json, summary.md, merged.dat,
coverage.info (lcov, every kind summed per line), line.info / branch.info / toggle.info and
html/index.html (lcov's genhtml, one report per kind: the RTL annotated line by line, for a
browser) and annotated/ (verilator_coverage --annotate, plain text).
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import soak  # noqa: E402  (the constrained-random generator)
import toggle_exclusions  # noqa: E402

BUILD = ("eie_sim_cov", soak.COVERAGE_BUILD)

# Directed runs: the regression's scenarios, sized for 8 PEs.
DIRECTED = {
    "paper": "--scenario paper --pe 4 --act-density 1 --inferences 2 --readback",
    "paper_no_stall": "--scenario paper --pe 4 --act-density 1 --backpressure 0 --idle 0",
    "padding_pe4": "--scenario padding --pe 4 --act-density 1",
    "padding_pe8": "--scenario padding --pe 8 --act-density 1 --fifo 1",
    "rounding_pe3": "--scenario rounding --pe 3 --seed 3",
    "rounding_pe8": "--scenario rounding --pe 8 --seed 2",
    "sat_order": "--scenario sat-order --pe 2",
    "saturation_wide": "--sizes 120,100,60 --weight-density 0.5 --act-density 0.9 --wide "
                       "--seed 15 --inferences 2",
    "saturation_wide_relu_last": "--sizes 90,80 --weight-density 0.6 --act-density 1 --wide "
                                 "--relu-last --seed 16",
    "empty_columns": "--scenario empty-cols --sizes 140,90 --weight-density 0.3 "
                     "--act-density 0.8 --seed 8",
    "imbalance": "--scenario imbalance --sizes 256,512 --weight-density 0.3 --act-density 0.6 "
                 "--seed 11",
    "fifo1": "--sizes 200,300 --weight-density 0.2 --act-density 0.7 --fifo 1 --seed 12",
    "fifo2": "--sizes 200,300 --weight-density 0.2 --act-density 0.7 --fifo 2 --seed 13",
    "heavy_backpressure": "--sizes 64,500 --weight-density 0.1 --act-density 0.5 "
                          "--backpressure 0.9 --idle 0.5 --seed 14",
    "eight_layers": "--sizes 100,90,80,70,60,50,40,30,20 --weight-density 0.2 "
                    "--act-density 0.6 --seed 17 --readback",
    "act_zero": "--sizes 100,80 --weight-density 0.2 --act-density 0 --seed 6",
    "dense": "--sizes 96,64 --weight-density 1.0 --act-density 1.0 --seed 4",
    "sparse_long_gaps": "--sizes 512,1000 --weight-density 0.005 --act-density 0.5 --seed 5",
    "one_pe": "--pe 1 --sizes 100,80,20 --weight-density 0.2 --act-density 0.6 --seed 28 "
              "--readback",
    "five_pes": "--pe 5 --sizes 120,77 --weight-density 0.3 --act-density 0.6 --seed 27",
    # Every row of both accumulator banks (255 of 256 a PE), so every touched bit toggles: a
    # 2,040-row first layer (bank 0), then a 2,040-row second layer (bank 1).
    "all_rows_bank0": "--sizes 100,2040 --weight-density 0.02 --act-density 0.5 --seed 29 "
                      "--inferences 2",
    "all_rows_bank1": "--sizes 100,300,2040 --weight-density 0.05 --act-density 0.5 --seed 30 "
                      "--inferences 2",
}


def parse_dat(path):
    """Verilator coverage.dat: yields (fields, count) per point."""
    for line in open(path, encoding="latin-1"):
        m = re.match(r"C '(.*)' (\d+)$", line.rstrip("\n"))
        if not m:
            continue
        fields = dict(kv.split("\x02", 1) for kv in m.group(1).split("\x01") if "\x02" in kv)
        yield fields, int(m.group(2))


KINDS = ("line", "branch", "toggle")


def write_html(lines, report):
    """HTML in report/html/: one lcov report per kind (line, branch, toggle), each RTL source with
    the smallest count of that kind's points on every line (0, red: one was never hit), and an
    index linking them. verilator_coverage --write-info sums every kind into one count per line,
    which hides an untoggled bit behind the line that declares it."""
    html = os.path.join(report, "html")
    shutil.rmtree(html, ignore_errors=True)
    links = []
    for kind in KINDS:
        info = os.path.join(report, f"{kind}.info")
        with open(info, "w") as f:
            for src in sorted(lines[kind]):
                f.write(f"TN:{kind}\nSF:{src}\n")
                for line, count in sorted(lines[kind][src].items()):
                    f.write(f"DA:{line},{count}\n")
                f.write("end_of_record\n")
        subprocess.run(["genhtml", "--quiet", "--title", f"EIE RTL {kind} coverage (make coverage)",
                        "--prefix", ROOT, "-o", os.path.join(html, kind), info],
                       check=True, stdout=subprocess.DEVNULL)
        links.append(f'<li><a href="{kind}/index.html">{kind}</a>: each line with the smallest '
                     f"count of its {kind} points</li>")
    with open(os.path.join(html, "index.html"), "w") as f:
        f.write("<!doctype html><title>EIE RTL coverage</title><h1>EIE RTL coverage</h1>"
                "<p>make coverage (scripts/coverage.py); the percentages per kind are in "
                "summary.md.</p><ul>" + "".join(links) + "</ul>\n")


def run(cmd, log):
    with open(log, "w") as f:
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT).returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=300, help="soak seeds on the coverage build")
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    if not shutil.which("genhtml"):
        print("coverage: genhtml is not installed (Debian lcov; scripts/setup.sh installs it)",
              file=sys.stderr)
        return 2
    cov = os.path.join(a.build_dir, "coverage")
    report = os.path.join(cov, "report")
    runs_dir = os.path.join(cov, "runs")
    for d in (report, runs_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)

    t0 = time.time()
    # Configured every time (seconds: it verilates the coverage model alone), so a folder made
    # by an older checkout takes today's settings.
    if run(["cmake", "-S", ROOT, "-B", cov, "-DCMAKE_BUILD_TYPE=Release", "-DEIE_COVERAGE=ON",
            "-DEIE_GATE_SIM=OFF", f"-DEIE_SIM_ONLY={BUILD[0]}"],
           os.path.join(report, "configure.log")):
        print(f"coverage: configure failed, see {report}/configure.log", file=sys.stderr)
        return 1
    if run(["cmake", "--build", cov, "-j", str(a.jobs), "--target", BUILD[0]],
           os.path.join(report, "build.log")):
        print(f"coverage: build failed, see {report}/build.log", file=sys.stderr)
        return 1
    binary = os.path.join(cov, "tb", BUILD[0])
    build_s = time.time() - t0

    jobs = [(name, args.split()) for name, args in DIRECTED.items()]
    for seed in range(1, a.seeds + 1):
        args = soak.config_for(seed, BUILD)[1]
        # No random power-up state here: its settling into reset values would count as toggles.
        i = args.index("--rand-reset")
        jobs.append((f"seed{seed}", args[:i] + args[i + 2:]))

    def one(job):
        name, args = job
        dat = os.path.join(runs_dir, name + ".dat")
        cmd = [binary] + args + ["--coverage-file", dat, "--json", dat[:-4] + ".json"]
        if "--quiet" not in cmd:
            cmd.append("--quiet")
        return name, run(cmd, os.path.join(runs_dir, name + ".log")), cmd

    failed = []
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        for name, rc, cmd in pool.map(one, jobs):
            if rc != 0:
                failed.append(name)
                print(f"coverage: run {name} FAILED: {' '.join(cmd)}", file=sys.stderr)
    dats = sorted(glob.glob(os.path.join(runs_dir, "*.dat")))
    merged = os.path.join(report, "merged.dat")
    subprocess.run(["verilator_coverage", "--write", merged] + dats, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["verilator_coverage", "--write-info", os.path.join(report, "coverage.info"),
                    merged], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["verilator_coverage", "--annotate", os.path.join(report, "annotated"),
                    merged], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    kinds = collections.defaultdict(lambda: [0, 0])
    # {kind: {source: {line: the smallest count of the line's points}}} for the HTML report.
    html_lines = {k: collections.defaultdict(dict) for k in KINDS}
    # Toggle points that cannot toggle in this build (scripts/toggle_exclusions.py): counted
    # apart, by reason; one that did toggle is a wrong rule.
    exclude = toggle_exclusions.excluder(soak.COVERAGE_BUILD)
    excluded = collections.OrderedDict()
    wrongly_excluded = []
    per_file = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
    functional = collections.OrderedDict()
    for fields, count in parse_dat(merged):
        kind = fields.get("page", "?").split("/")[0].replace("v_", "")
        kinds[kind][0] += count > 0
        kinds[kind][1] += 1
        if kind in html_lines and "f" in fields and "l" in fields:
            per_line = html_lines[kind][fields["f"]]
            line = int(fields["l"])
            per_line[line] = min(per_line.get(line, count), count)
        if kind == "toggle":
            module = fields.get("page", "").split("/")[-1].split("__")[0]
            why = exclude(module, fields.get("o", "?"))
            if why:
                excluded[why] = excluded.get(why, 0) + 1
                if count > 0:
                    wrongly_excluded.append(f"{module}.{fields.get('o')}")
            else:
                kinds["toggle_kept"][0] += count > 0
                kinds["toggle_kept"][1] += 1
        src = os.path.basename(fields.get("f", "?"))
        per_file[src][kind][0] += count > 0
        per_file[src][kind][1] += 1
        if kind == "user":
            name = fields.get("o", "?")
            pe = re.search(r"g_pe\[(\d+)\]", fields.get("h", ""))
            module = fields.get("page", "").split("/")[-1].split("__")[0]
            entry = functional.setdefault(name, dict(module=module, hits=0, pes={}))
            entry["hits"] += count
            if pe:
                entry["pes"][int(pe.group(1))] = entry["pes"].get(int(pe.group(1)), 0) + count
    write_html(html_lines, report)
    # Per-PE points the testbench counts (the RTL's cover points count per module).
    for key, label in (("fifo_full_cycles_per_pe", "tb_fifo_full_per_pe"),
                       ("busy_cycles_per_pe", "tb_busy_per_pe")):
        per_pe = [0] * soak.COVERAGE_BUILD["pe"]
        for path in glob.glob(os.path.join(runs_dir, "*.json")):
            for k, v in enumerate(json.load(open(path))["coverage"][key]):
                per_pe[k] += v
        functional[label] = dict(module="testbench", hits=sum(per_pe),
                                 pes=dict(enumerate(per_pe)))
    holes = [n for n, e in functional.items()
             if e["hits"] == 0 or (e["pes"] and min(e["pes"].values()) == 0)]

    def pct(c):
        return 100.0 * c[0] / c[1] if c[1] else 100.0

    lines = [f"Coverage of eie_sim_cov (8 PEs, FIFO 4): {len(jobs)} runs ({len(DIRECTED)} directed, "
             f"{a.seeds} soak seeds), {len(failed)} failed; build {build_s:.0f} s, total "
             f"{time.time() - t0:.0f} s", ""]
    labels = dict(user="functional", toggle_kept="toggle, without the exclusions")
    for kind in ("line", "branch", "toggle", "toggle_kept", "user"):
        c = kinds.get(kind, [0, 0])
        label = labels.get(kind, kind)
        lines.append(f"  {label:<10} {c[0]:>6} / {c[1]:<6} {pct(c):6.2f}%")
    lines += ["", "Toggle points excluded (cannot toggle in this build; scripts/toggle_exclusions.py):"]
    lines += [f"  {n:>5}  {why}" for why, n in excluded.items()]
    if wrongly_excluded:
        lines.append("WRONG EXCLUSIONS (excluded but toggled): " + ", ".join(wrongly_excluded[:20]))
    lines += ["", "Per file (line / branch / toggle %):"]
    for src in sorted(per_file):
        k = per_file[src]
        lines.append(f"  {src:<22} " + " ".join(
            f"{pct(k[t]):6.1f}" if k[t][1] else "     -" for t in ("line", "branch", "toggle")))
    lines += ["", "Functional cover points (hits over all runs; per-PE points: PEs hit of 8):"]
    for name, e in functional.items():
        pes = (f"  PEs {sum(1 for v in e['pes'].values() if v)}/{len(e['pes'])}"
               if e["pes"] else "")
        lines.append(f"  {name:<32} {e['module']:<18} {e['hits']:>10}{pes}")
    if holes:
        lines.append("HOLES (never hit): " + ", ".join(holes))
    text = "\n".join(lines)
    print(text)
    open(os.path.join(report, "summary.txt"), "w").write(text + "\n")
    md = ["| kind | covered | points | % |", "|---|---|---|---|"]
    for kind in ("line", "branch", "toggle", "toggle_kept", "user"):
        c = kinds.get(kind, [0, 0])
        md.append(f"| {labels.get(kind, kind)} | {c[0]} | {c[1]} | {pct(c):.2f} |")
    md += ["", "| toggle points excluded | why they cannot toggle |", "|---|---|"]
    md += [f"| {n} | {why} |" for why, n in excluded.items()]
    md += ["", "| cover point | module | hits | PEs hit |", "|---|---|---|---|"]
    for name, e in functional.items():
        pes = f"{sum(1 for v in e['pes'].values() if v)}/{len(e['pes'])}" if e["pes"] else "-"
        md.append(f"| `{name}` | `{e['module']}` | {e['hits']:,} | {pes} |")
    open(os.path.join(report, "summary.md"), "w").write("\n".join(md) + "\n")
    json.dump(dict(runs=len(jobs), failed=failed, kinds={k: dict(covered=v[0], points=v[1])
                                                         for k, v in kinds.items()},
                   functional=functional, holes=holes, toggle_excluded=excluded,
                   wrongly_excluded=wrongly_excluded),
              open(os.path.join(report, "summary.json"), "w"), indent=1)
    print(f"coverage: report in {report} (open {report}/html/index.html)")
    return 1 if failed or holes or wrongly_excluded else 0


if __name__ == "__main__":
    sys.exit(main())
