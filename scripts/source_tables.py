#!/usr/bin/env python3
"""The documentation's tables that restate a source file, made from that file.

  hardware.md  hw:builds     the Verilator builds (tb/CMakeLists.txt: eie_add_sim, the gate
                             build) and the synthesis flow's small configuration
                             (synth/eie_synth.py SMALL), with their parameters
  verification.md verif:configs  what tb/regressions.txt runs: tests per build and label, the
                             active PE counts and FIFO limits
  hardware.md  the parameter table's default column, checked against rtl/eie_top.sv

With --check (the CTest test docs.source_tables) nothing is written: a table that differs from
what its source gives fails, naming the page and the table. Without it the pages are rewritten
(atomically) and the parameter defaults still only checked: that column is one cell of a
hand-written table.

usage: scripts/source_tables.py [--check] [--root DIR]
"""
import argparse
import ast
import os
import re
import shlex
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "synth"))
from eie_synth import sv_parameters  # noqa: E402
from update_doc_tables import replace_marked, write_atomic  # noqa: E402

PARAMS = ["NumPe", "FifoDepth", "SpmatDepth", "PtrDepth", "ActDepth", "BiasDepth", "MaxLayers",
          "HoldSlots"]
CMAKE_KEYS = ["NUM_PE", "FIFO_DEPTH", "SPMAT_DEPTH", "PTR_DEPTH", "ACT_DEPTH", "BIAS_DEPTH",
              "MAX_LAYERS", "HOLD_SLOTS"]
# What each build is for: prose, so it lives here; a build without a line, or a line without a
# build, fails.
ROLES = {
    "eie_sim": "the main build: the paper's 64 PEs and FIFO depth 8, memories for LeNet-300-100; "
               "the regressions, `make sim`, `make demo`",
    "eie_sim_pe6": "a PE count that is not a power of two, a shallow FIFO, two hold slots",
    "eie_sim_pe1": "the degenerate corner: one PE, a one-entry FIFO, no hold slots (the paper's "
                   "broadcast)",
    "eie_sim_bench": "`make bench`, `make sweep`: memories for a whole benchmark layer on one PE, "
                     "FIFO storage for the paper's Fig. 8 range",
    "eie_sim_pe256": "`make sweep` only (not in `make build`): PE counts beyond 64",
    "eie_sim_cov": "`make coverage` (Verilator `--coverage`, its own build folder)",
    "eie_sim_gate": "the synthesised netlist of the small configuration (`gate` regressions, "
                    "docs/timing.md)",
    "synth/eie_synth.py default": "`make synth` and `make timing` without parameters",
    "fuzz_rtl": "the RTL fuzzer (libFuzzer, clang, `scripts/fuzz.sh`, its own build folder): "
                "small and quick, a PE count, a FIFO depth and a hold-slot count that are not "
                "powers of two",
    "eie_fuzz_rtl_replay": "the same build, replaying the RTL fuzzer's corpus "
                           "(`sim.fuzz_rtl_corpus`)",
}


class SourceError(Exception):
    pass


def read(root, path):
    with open(os.path.join(root, path)) as f:
        return f.read()


def top_defaults(root):
    """rtl/eie_top.sv's parameter defaults, read as the synthesis flow reads them."""
    return sv_parameters(os.path.join(root, "rtl/eie_top.sv"))


def cmake_builds(root):
    """(name, {param: value}) of every eie_add_sim call and of the gate build, in file order."""
    text = re.sub(r"#[^\n]*", "", read(root, "tb/CMakeLists.txt"))
    # A parameter set named once (set(EIE_..._CONFIG NUM_PE ...)) and used as ${EIE_..._CONFIG}.
    for var, value in re.findall(r"set\((EIE_\w+_CONFIG)\s([^)]*)\)", text):
        text = text.replace("${" + var + "}", value)
    # Keys a call may leave out: eie_add_sim sets their default (if(NOT DEFINED A_KEY) set(...)).
    defaults = {k: int(v) for k, v in
                re.findall(r"if\(NOT DEFINED A_(\w+)\)\s*set\(A_\1\s+(\d+)\)", text)}
    builds = []
    for m in re.finditer(r"eie_add_sim\((\w+)\s([^)]*)\)|set\(gate_params\s([^)]*)\)", text):
        name, args = (m.group(1), m.group(2)) if m.group(1) else ("eie_sim_gate", m.group(3))
        if name == "name":
            continue  # the function's own definition
        words = args.split()
        values = {}
        for key, param in zip(CMAKE_KEYS, PARAMS):
            if key not in words:
                if key in defaults:
                    values[param] = defaults[key]
                    continue
                raise SourceError(f"tb/CMakeLists.txt: {name} has no {key}")
            values[param] = int(words[words.index(key) + 1])
        builds.append((name, values))
    if not builds:
        raise SourceError("tb/CMakeLists.txt: no eie_add_sim call found")
    return builds


def synth_small(root):
    """synth/eie_synth.py's SMALL configuration (the default of make synth and make timing)."""
    for node in ast.parse(read(root, "synth/eie_synth.py")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SMALL"
                                                for t in node.targets):
            return {k.arg: ast.literal_eval(k.value) for k in node.value.keywords}
    raise SourceError("synth/eie_synth.py: no SMALL configuration")


def builds_table(root):
    builds = cmake_builds(root) + [("synth/eie_synth.py default", synth_small(root))]
    names = [b[0] for b in builds]
    for name in names:
        if name not in ROLES:
            raise SourceError(f"build {name} has no role in scripts/source_tables.py ROLES")
    for name in ROLES:
        if name not in names:
            raise SourceError(f"ROLES in scripts/source_tables.py names {name}, which is not built")
    rows = ["| build | " + " | ".join(PARAMS) + " | use |",
            "|---" * (len(PARAMS) + 2) + "|"]
    for name, values in builds:
        label = name if "/" in name else f"`{name}`"
        rows.append(f"| {label} | " + " | ".join(str(values[p]) for p in PARAMS) +
                    f" | {ROLES[name]} |")
    return "\n".join(rows)


def regressions(root):
    """(name, binary, labels, args) of every line of tb/regressions.txt."""
    out = []
    for line in read(root, "tb/regressions.txt").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = shlex.split(line)
        out.append((fields[0], fields[1], fields[2].split(","), fields[3:]))
    return out


def option(args, name):
    return args[args.index(name) + 1] if name in args else None


def configs_table(root):
    builds = dict(cmake_builds(root))
    tests = regressions(root)
    rows = ["| build | tests | of them must fail | active PEs | FIFO limits | hold slots |",
            "|---|---|---|---|---|---|"]
    for binary in sorted({t[1] for t in tests}, key=lambda b: list(builds).index(b)):
        mine = [t for t in tests if t[1] == binary]
        runs = [t for t in mine if "--expect-error" not in t[3]]
        built = builds[binary]
        pes, fifos, holds = set(), set(), set()
        for _, _, _, args in runs:
            hold = option(args, "--hold")
            holds.add(int(hold) if hold is not None else built["HoldSlots"])
            pe = int(option(args, "--pe") or 0)
            pes.add(pe if 0 < pe <= built["NumPe"] else built["NumPe"])
            sweep = option(args, "--fifo-sweep")
            if sweep:
                fifos.update(int(v) for v in sweep.split(","))
            else:
                fifo = int(option(args, "--fifo") or 0)
                fifos.add(fifo if fifo else built["FifoDepth"])
        rows.append(f"| `{binary}` | {len(mine)} | {len(mine) - len(runs)} | "
                    f"{', '.join(map(str, sorted(pes)))} | {', '.join(map(str, sorted(fifos)))} | "
                    f"{', '.join(map(str, sorted(holds)))} |")
    labels = {}
    for _, _, tl, _ in tests:
        for label in tl:
            labels[label] = labels.get(label, 0) + 1
    rows += ["", f"{len(tests)} regressions; by label (a test may carry several): " +
             ", ".join(f"`{k}` {v}" for k, v in sorted(labels.items())) + "."]
    return "\n".join(rows)


def check_param_defaults(root):
    """Problems with hardware.md's parameter table against rtl/eie_top.sv's defaults."""
    defaults = top_defaults(root)
    text = read(root, "docs/hardware.md")
    problems, seen = [], set()
    for name, value in re.findall(r"^\| `(\w+)` \| (\d+) \|", text, re.M):
        if name in defaults:
            seen.add(name)
            if int(value) != defaults[name]:
                problems.append(f"docs/hardware.md: parameter {name} default {value}, "
                                f"rtl/eie_top.sv has {defaults[name]}")
    for name in sorted(set(defaults) - seen):
        problems.append(f"docs/hardware.md: the parameter table lacks {name} (rtl/eie_top.sv)")
    return problems


TABLES = [("docs/hardware.md", "hw:builds", builds_table),
          ("docs/verification.md", "verif:configs", configs_table)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="write nothing; fail on a stale table")
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = ap.parse_args()
    try:
        problems = check_param_defaults(args.root)
        pages = {}
        for page, key, make in TABLES:
            text = pages.get(page) or read(args.root, page)
            new = replace_marked(text, key, make(args.root))
            if new is None:
                raise SourceError(f"{page} does not mark the table {key}")
            if new != text and args.check:
                problems.append(f"{page}: table {key} differs from its source "
                                "(scripts/source_tables.py rewrites it)")
            pages[page] = new
    except (OSError, SourceError) as e:
        print(f"source_tables: {e}", file=sys.stderr)
        return 1
    if not args.check:
        for page, text in pages.items():
            if text != read(args.root, page):
                write_atomic(os.path.join(args.root, page), text)
                print(f"source_tables: rewrote {page}")
    for p in problems:
        print(f"source_tables: {p}", file=sys.stderr)
    if not problems and args.check:
        print(f"source_tables: {len(TABLES)} tables and the parameter defaults agree with their "
              "sources")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
