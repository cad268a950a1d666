#!/usr/bin/env python3
"""Formal proofs of the small blocks with Yosys 0.23's own SAT solver (SymbiYosys is not packaged
for Debian 12).

The properties are in the RTL, behind `ifdef FORMAL` (immediate `assert` and `assume` that Yosys
reads with `read_verilog -formal`; the simulation builds never define FORMAL):
  eie_fifo  never overflows or underflows, keeps order (a reference queue beside it: the i-th slot
            from the read pointer holds the i-th entry pushed and not popped), and its valid
            output holds its data until popped;
  eie_lnzd  the lowest-numbered valid input wins, with its data; "two or more" is exact;
  eie_ccu   the result stream (valid/ready) holds its payload until it is accepted; a group
            holds only active PEs' values and, in a layer, only non-zero ones, so a broadcast
            comes from an active PE and is never zero; the active mask follows control register 2.
Sequential proofs are by temporal induction from reset (`sat -tempinduct`, asynchronous resets
made synchronous, memories mapped to flops); the LNZD's by SAT over every input. A proof passes
only if Yosys proves it and it checked at least the number of assertions the table expects, so a
property block that fails to reach the solver does not pass as proven.

usage: scripts/formal.py [--out DIR] [--only NAME ...] [--selftest]
  --selftest  prove copies of the RTL with a known bug each (BROKEN below): each must fail.
Logs and scripts in DIR/NAME/ (default build/formal); a Markdown table in DIR/summary.md.
Exit status 0 when every proof holds (with --selftest: every broken copy fails), 1 otherwise,
2 on bad arguments or a missing Yosys.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FIFO = ["eie_pkg.sv", "eie_fifo.sv"]
LNZD = ["eie_pkg.sv", "eie_lnzd.sv"]
CCU = ["eie_pkg.sv", "eie_ram.sv", "eie_lnzd.sv", "eie_ccu.sv"]

# name, top module, RTL files, parameters, sequential, assertions at least
PROOFS = [
    ("fifo_depth1", "eie_fifo", FIFO, dict(Width=3, Depth=1), True, 7),
    ("fifo_depth2", "eie_fifo", FIFO, dict(Width=3, Depth=2), True, 7),
    ("fifo_depth3", "eie_fifo", FIFO, dict(Width=3, Depth=3), True, 7),
    ("fifo_depth8", "eie_fifo", FIFO, dict(Width=4, Depth=8), True, 7),  # the paper's depth
    ("lnzd_1", "eie_lnzd", LNZD, dict(NumIn=1, Width=4), False, 5),
    ("lnzd_6", "eie_lnzd", LNZD, dict(NumIn=6, Width=4), False, 6),
    ("lnzd_16", "eie_lnzd", LNZD, dict(NumIn=16, Width=8), False, 6),
    ("lnzd_64", "eie_lnzd", LNZD, dict(NumIn=64, Width=16), False, 6),  # 64 PEs
    ("ccu_pe4", "eie_ccu", CCU, dict(NumPe=4, MaxLayers=2, ActDepth=16, BiasDepth=16), True, 20),
    ("ccu_pe5", "eie_ccu", CCU, dict(NumPe=5, MaxLayers=2, ActDepth=8, BiasDepth=16), True, 20),
]

# The self-test's bugs: proof, file, text, replacement, what the bug does.
BROKEN = [
    ("fifo_depth3", "eie_fifo.sv", "assign push_ready_o = count_q < limit_i;",
     "assign push_ready_o = count_q <= limit_i;", "a full FIFO takes one more push"),
    ("fifo_depth3", "eie_fifo.sv", "if (pop) rd_q <= next_ptr(rd_q);",
     "if (pop_ready_i) rd_q <= next_ptr(rd_q);", "the read pointer moves on a pop from empty"),
    ("fifo_depth3", "eie_fifo.sv", "next_ptr = (32'(p) == Depth - 1) ? '0 : p + 1'b1;",
     "next_ptr = (32'(p) == Depth) ? '0 : p + 1'b1;", "the pointers wrap one slot past the last"),
    ("fifo_depth8", "eie_fifo.sv", "if (store_i && push_ready_o) mem_q[wr_q] <= push_data_i;",
     "if (store_i && push_ready_o) mem_q[rd_q] <= push_data_i;", "a store overwrites the head"),
    ("lnzd_64", "eie_lnzd.sv", "for (int c = 3; c >= 0; c--) begin",
     "for (int c = 0; c <= 3; c++) begin", "the highest-numbered child wins"),
    ("lnzd_16", "eie_lnzd.sv",
     "node_multi[n] = node_multi[n] || node_valid[n] || node_multi[4*n+1+c];",
     "node_multi[n] = node_multi[n] || node_valid[n];", "two valid inputs under one child count as one"),
    ("ccu_pe4", "eie_ccu.sv",
     "assign sink_ready = to_output ? (!out_valid_q || out_ready_i) : bcast_ready_i;",
     "assign sink_ready = to_output ? 1'b1 : bcast_ready_i;",
     "the result stream overwrites a result not yet accepted"),
    ("ccu_pe4", "eie_ccu.sv", "(fd_left_q > $signed((DimW+1)'(k))) && act_mask_q[k] &&",
     "(fd_left_q > $signed((DimW+1)'(k))) &&", "an inactive PE's activation enters the group"),
    ("ccu_pe4", "eie_ccu.sv", "(to_output || src_data_i[k*ActW +: ActW] != '0)",
     "(to_output || 1'b1)", "zero activations are broadcast"),
    ("ccu_pe4", "eie_ccu.sv", "act_mask_q[k] <= k < 32'(num_active_q);",
     "act_mask_q[k] <= k <= 32'(num_active_q);", "the mask takes one PE more than the count"),
]

SEQUENTIAL = """async2sync
memory_map
opt -fast
sat -tempinduct -prove-asserts -set-init-def -set-def-inputs -tempinduct-def -set-assumes -seq 1 -set-at 1 rst_ni 0 -maxsteps 8 -verify
"""
COMBINATIONAL = """sat -prove-asserts -set-def-inputs -set-assumes -verify
"""


class Usage(Exception):
    pass


def script(top, files, params, sequential, rtl_dir):
    read = " ".join(os.path.join(rtl_dir, f) for f in files)
    chparam = " ".join(f"-set {k} {v}" for k, v in params.items())
    return (f"read_verilog -sv -formal -DFORMAL -DSYNTHESIS {read}\n"
            f"chparam {chparam} {top}\n"
            f"prep -top {top} -flatten\n" + (SEQUENTIAL if sequential else COMBINATIONAL))


def prove(name, top, files, params, sequential, expect, rtl_dir, out_dir):
    """(proven, assertions checked, seconds, log path) for one proof."""
    work = os.path.join(out_dir, name)
    os.makedirs(work, exist_ok=True)
    ys, log = os.path.join(work, "proof.ys"), os.path.join(work, "yosys.log")
    with open(ys, "w") as f:
        f.write(script(top, files, params, sequential, rtl_dir))
    t0 = time.time()
    try:
        r = subprocess.run(["yosys", "-s", ys], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=600)
        text = r.stdout
        ok = r.returncode == 0
    except subprocess.TimeoutExpired as e:
        text, ok = (e.stdout or b"").decode(errors="replace") + "\nTIMEOUT after 600 s\n", False
    with open(log, "w") as f:
        f.write(text)
    # Each induction length imports every assertion again: count one round.
    asserts = len(set(re.findall(r"Import proof for assert: (\S+)", text)))
    ok = ok and "SUCCESS!" in text and asserts >= expect
    return ok, asserts, time.time() - t0, log


def run_proofs(only, out_dir):
    rows, failed = [], 0
    for name, top, files, params, sequential, expect in PROOFS:
        if only and name not in only:
            continue
        ok, asserts, secs, log = prove(name, top, files, params, sequential, expect,
                                       os.path.join(ROOT, "rtl"), out_dir)
        failed += not ok
        p = ", ".join(f"{k}={v}" for k, v in params.items())
        print(f"{'PROVEN' if ok else 'FAILED'}  {name:<12} {top:<9} {p:<44} {asserts:>2} "
              f"assertions  {secs:5.1f} s" + ("" if ok else f"  (log {log})"))
        rows.append(f"| {name} | `{top}` | {p} | {'induction' if sequential else 'SAT'} | "
                    f"{asserts} | {'proven' if ok else '**failed**'} | {secs:.1f} s |")
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write("| proof | module | parameters | method | assertions | result | time |\n"
                "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n")
    return failed


def run_selftest(only, out_dir):
    """Each broken copy must fail its proof; returns the number that did not."""
    table = {p[0]: p for p in PROOFS}
    missed = 0
    for i, (name, file, text, broken, what) in enumerate(BROKEN):
        if only and name not in only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            rtl = os.path.join(tmp, "rtl")
            shutil.copytree(os.path.join(ROOT, "rtl"), rtl)
            path = os.path.join(rtl, file)
            with open(path) as f:
                src = f.read()
            if src.count(text) != 1:
                print(f"STALE   {name}: {file} no longer has exactly one '{text}'")
                missed += 1
                continue
            with open(path, "w") as f:
                f.write(src.replace(text, broken))
            _, top, files, params, sequential, expect = table[name]
            ok, _, secs, log = prove(f"{name}_broken{i}", top, files, params, sequential, expect,
                                     rtl, out_dir)
        # Caught means a counterexample, not a copy Yosys could not read.
        with open(log) as f:
            refuted = "proof did fail" in f.read()
        missed += ok or not refuted
        verdict = "MISSED" if ok else "CAUGHT" if refuted else "ERROR "
        print(f"{verdict}  {name:<12} {what} ({secs:.1f} s)" +
              ("" if ok or refuted else f"  (no counterexample; log {log})"))
    return missed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "formal"))
    ap.add_argument("--only", nargs="*", default=[], metavar="NAME")
    ap.add_argument("--selftest", action="store_true")
    try:
        args = ap.parse_args()
    except SystemExit as e:
        return 2 if e.code else 0
    unknown = set(args.only) - {p[0] for p in PROOFS}
    if unknown:
        print(f"formal: unknown proof(s) {sorted(unknown)}; the proofs: "
              f"{', '.join(p[0] for p in PROOFS)}", file=sys.stderr)
        return 2
    if not shutil.which("yosys"):
        print("formal: yosys is not installed (scripts/setup.sh installs it)", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    if args.selftest:
        missed = run_selftest(args.only, args.out)
        print(f"formal self-test: {'every broken copy fails its proof' if not missed else f'{missed} broken copies not caught'}")
        return 1 if missed else 0
    failed = run_proofs(args.only, args.out)
    print(f"formal: {'every proof holds' if not failed else f'{failed} proof(s) failed'} "
          f"(logs in {args.out})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
