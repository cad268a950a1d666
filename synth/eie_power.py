#!/usr/bin/env python3
"""Logic power per block of the EIE gate-level netlist, from the switching activity of a
gate-level simulation, by OpenSTA's report_power (Debian's 2.0.17: no read_vcd / read_saif).

1. The gate-level test bench (eie_sim_gate) runs one scenario, idle 0 and back-pressure 0, with an
   FST trace; fst2vcd turns it into a VCD.
2. Window: the cycles with state_o in Compute or Drain (rtl/eie_pkg.sv: 2, 3), or with
   --window layer every cycle from Load to the end of the last drain (1..3).
3. Every net is sampled once a cycle, just before each rising edge of clk_i (zero delay, as the
   trace). Verilator traces the named nets (every register, the RAM outputs, the ports, the RTL
   wires Yosys kept); every other net is computed from them, bit-parallel, by its cell's liberty
   function, and every traced net a gate drives is checked against that gate (a net neither
   traced nor computable would keep OpenSTA's own estimate: "fallback"). Activity = toggles per
   clock cycle (a change from the cycle before a window cycle to it); duty = share of window
   cycles at 1. Every cell pin but the clock pins gets its net's activity.
4. OpenSTA reads the netlist as the timing flow does (eie_timing.sta_setup, SRAMs as macros),
   gets the activities and gives each instance's power twice: as measured, and with every
   activity 0 but the clock's (clock_only: clocking every flop every cycle, no clock gating).
   Energy per cycle = power x period (--period-ns; only leakage per cycle depends on it). The
   clock net itself (clk_i is a port, whose net OpenSTA charges to no one) is added apart:
   clock_net = (clock pins + wire-load wire) x V^2 a cycle, not in total_mw.
5. Blocks (EIE paper, Table II). The flattened netlist names cells _N_, so a flop belongs to the
   block of the register on its Q net, an SRAM macro to its instance name, and a gate to the
   block that gets the largest share of its fanout (shares of flops, macros and output ports
   passed back through the gates). SRAM macros are excluded: their liberty has no power (0 W,
   checked), and OpenSTA charges the switching of their read-data nets to no instance.

Usage: synth/eie_power.py [--sim build/tb/eie_sim_gate] [--netlist build/tb/gate/netlist.v]
         [--sizes 60,64 --weight-density 0.1 --act-density 0.35 --seed 3 -n 4 --sim-args '...']
         [--period-ns 10] [--window compute|layer] [--raw-opensta] [--out synth/reports/power]
Writes OUT/power.json and OUT/power.txt (trace, Tcl, logs beside). Exit status 1 on failure, 2 on
bad arguments. power.json: liberty, opensta_fix, voltage_v, period_ns, window, window_cycles,
trace_cycles, scenario, blocks {ptr_read, spmat_read, arith, act_rw, fifo, pe_other, ccu, hold, top:
{cells, flops, internal_mw, switching_mw, leakage_mw, total_mw, clock_only_mw,
energy_pj_per_cycle, clock_only_pj_per_cycle, leakage_pj_per_cycle, clock_net_pf, clock_net_mw,
clock_net_pj_per_cycle}}, total {the same},
design_total_mw, matching {counts}, sram_macros_excluded, runtime_s, sim (the simulator's JSON as
written; sim.pe holds each PE's busy and idle cycles of the compute window).
"""

import argparse
import json
import os
import re
import shlex
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eie_synth import LIBERTY, ROOT, SynthError  # noqa: E402
from eie_netlist import liberty_expr  # noqa: E402
from eie_timing import (SRAM_MODEL, expand_concat_assigns, ram_shape_names, run,  # noqa: E402
                        sram_liberty, sta_setup)

PE = r"^g_pe\[\d+\]\.u_pe\."
BLOCKS = [("ptr_read", PE + r"u_ptr_read\."), ("spmat_read", PE + r"u_spmat_read\."),
          ("arith", PE + r"u_arith\."), ("act_rw", PE + r"u_act_rw\."), ("fifo", PE + r"u_fifo\."),
          ("pe_other", PE), ("ccu", r"^u_ccu\."), ("hold", r"^g_hold\.u_hold\."), ("top", r"")]
WINDOWS = {"compute": {2, 3}, "layer": {1, 2, 3}}
# OpenSTA 2.0.17 charges an internal-power table's rise AND fall energy on every transition of a
# clock pin (duty 1.0, 2 transitions a cycle) and of an output pin (`when` duty 1.0 on a one-input
# arc, on a flop's CLK->Q too), where a transition costs one of them: twice the liberty's energy
# (newer OpenSTA averages rise and fall). It also adds a DFFSR's Q tables related to R and S
# (asynchronous, static here) at duty 0.5 to every clocked Q transition. Unless --raw-opensta, a
# copy of the liberty has those tables halved, and the R/S ones dropped.
OPENSTA_FIX = ("internal power of clock and output pins halved, output tables related to "
               "asynchronous clear/preset pins dropped (eie_power.py, OPENSTA_FIX)")


def block_of(name):
    return next(b for b, pattern in BLOCKS if re.search(pattern, name))


def group(text, i):
    """(start, end) of the body of the liberty group whose "{" is at or after text[i]."""
    depth = 0
    for m in re.compile(r"[{}]").finditer(text, i):
        depth += 1 if m.group() == "{" else -1
        if depth == 1 and m.group() == "{":
            start = m.end()
        if depth == 0:
            return start, m.start()


def liberty(text, fix):
    """{cell: {pin: (direction, function, capacitance)}}, the sequential cells, and the liberty
    text (with OPENSTA_FIX applied when fix)."""
    cells, seq, spans = {}, set(), []
    for c in re.finditer(r"\bcell\s*\(\s*(\w+)\s*\)\s*\{", text):
        a, b = group(text, c.start())
        if re.search(r"\b(ff|latch)\s*\(", text[a:b]):
            seq.add(c.group(1))
        asyn = re.findall(r"\w+", " ".join(re.findall(r'(?:clear|preset)\s*:\s*"([^"]*)"',
                                                      text[a:b])))
        pins = cells[c.group(1)] = {}
        for p in re.compile(r"\bpin\s*\(\s*(\w+)\s*\)\s*\{").finditer(text, a, b):
            pa, pb = group(text, p.start())
            body = text[pa:pb]
            f = re.search(r'function\s*:\s*"([^"]*)"', body)
            d = re.search(r"direction\s*:\s*(\w+)", body).group(1)
            cap = re.search(r"\bcapacitance\s*:\s*([-\d.eE]+)", body)
            pins[p.group(1)] = (d, f.group(1) if f else None, float(cap.group(1)) if cap else 0.0)
            for ip in re.finditer(r"internal_power\s*\(\s*\)", body):
                ia, ib = group(text, pa + ip.start())
                rel = re.search(r'related_pin\s*:\s*"(\w+)"', text[ia:ib])
                if d == "output" or re.search(r"clock\s*:\s*true", body):
                    spans.append((ia, ib, 0.0 if rel and rel.group(1) in asyn else 0.5))
    out, pos, num = [], 0, re.compile(r"-?\d+\.?\d*(?:[eE][-+]?\d+)?")
    for a, b, k in spans if fix else []:
        out += [text[pos:a], re.sub(r"values\s*\([^)]*\)", lambda m: num.sub(
            lambda n: "%.6g" % (float(n.group()) * k), m.group()), text[a:b])]
        pos = b
    return cells, seq, "".join(out + [text[pos:]])


def decl_bits(name, widths):
    if not widths.get(name):
        return [(name, None)]
    hi, lo = widths[name]
    return [(name, i) for i in (range(hi, lo - 1, -1) if hi >= lo else range(hi, lo + 1))]


def key_bits(expr, widths):
    """The bits of a netlist expression, MSB first, as (name, index or None); constants as
    ("1'b0", None) and ("1'b1", None)."""
    expr = expr.strip()
    if expr.startswith("{"):
        return [b for part in expr[1:-1].split(",") for b in key_bits(part, widths)]
    c = re.match(r"^(\d+)'b([01xz]+)$", expr)
    if c:
        return [("1'b1" if v == "1" else "1'b0", None) for v in c.group(2).zfill(int(c.group(1)))]
    # An escaped name runs to the first blank (it may end in "]": rows[8]), then an optional range.
    m = re.match(r"^(?:\\(\S+)|([A-Za-z_]\w*))\s*(?:\[(\d+)(?::(\d+))?\])?$", expr)
    if not m:
        raise SynthError(f"netlist: cannot read '{expr}'")
    if m.group(3) is None:
        return decl_bits(m.group(1) or m.group(2), widths)
    hi, lo = int(m.group(3)), int(m.group(4) or m.group(3))
    return decl_bits(m.group(1) or m.group(2), {m.group(1) or m.group(2): (hi, lo)})


def read_netlist(text):
    """Widths {name: (msb, lsb) or None}, ports {name: direction}, cells {inst: (type, {pin:
    bits})} and the bit pairs the assigns join."""
    widths, ports, cells, pairs = {}, {}, {}, []
    for m in re.finditer(r"^\s*(wire|input|output|inout)\s*(?:\[(\d+):(\d+)\])?\s*\\?(\S+)\s*;",
                         text, flags=re.M):
        widths[m.group(4)] = (int(m.group(2)), int(m.group(3))) if m.group(2) else None
        if m.group(1) != "wire":
            ports[m.group(4)] = m.group(1)
    for m in re.finditer(r"^\s*(\w+)\s+\\?(\S+)\s*\((.*?)\);", text, flags=re.S | re.M):
        if m.group(1) not in ("module", "assign", "wire", "input", "output"):
            cells[m.group(2)] = (m.group(1), {p.group(1): key_bits(p.group(2), widths) for p in
                                              re.finditer(r"\.(\w+)\(([^()]*)\)", m.group(3))})
    for m in re.finditer(r"^\s*assign\s+(.*?)\s*=\s*(.*?)\s*;\s*$", text, flags=re.M):
        lhs, rhs = key_bits(m.group(1), widths), key_bits(m.group(2), widths)
        if len(lhs) != len(rhs):
            raise SynthError(f"netlist: assign of {len(rhs)} bits to {len(lhs)}: {m.group(0)}")
        pairs += zip(lhs, rhs)
    return widths, ports, cells, pairs


def read_vcd(path, states):
    """Samples the vars of the netlist's scope (eie.eie_top) just before each rising edge of
    clk_i. Returns {(name, index or None): waveform}, the window and the cycle count; a waveform
    is an int of 2N bits for the N window cycles: bit j the value in the cycle before window
    cycle j, bit N + j the value in window cycle j."""
    scope, vars_, ids, f = [], {}, {}, open(path)
    for line in f:
        tok = line.split() or [""]
        if tok[0] in ("$scope", "$upscope"):
            scope = scope + [tok[2]] if tok[0] == "$scope" else scope[:-1]
        elif tok[0] == "$var" and ".".join(scope) == "eie.eie_top":
            rng = re.match(r"\[(\d+)(?::(\d+))?\]", tok[5])
            hi = int(rng.group(1)) if rng else None
            vars_.setdefault(tok[3], []).append((tok[4], int(tok[2]), hi,
                                                 int(rng.group(2) or hi) if rng else None))
            ids[tok[4]] = tok[3]
        elif tok[0] == "$enddefinitions":
            break
    if "clk_i" not in ids or "state_o" not in ids:
        raise SynthError(f"{path}: no clk_i or state_o in scope eie.eie_top")
    order, clk = list(vars_), ids["clk_i"]
    col, cur = {i: k for k, i in enumerate(order)}, dict.fromkeys(vars_, "0")
    samples, block = [], []
    for line in f:  # a time step's changes are applied after the sample of a rising edge in it
        if line[0] == "#":
            if cur[clk] == "0" and (clk, "1") in block:
                samples.append([cur[i] for i in order])
            cur.update(block)
            block = []
        elif line[0] in "01xz" and line[1:].strip() in col:
            block.append((line[1:].strip(), line[0]))
        elif line[0] == "b" and line.split()[1] in col:
            block.append(tuple(reversed(line[1:].split())))
    if cur[clk] == "0" and (clk, "1") in block:
        samples.append([cur[i] for i in order])
    st = col[ids["state_o"]]
    window = [k for k in range(1, len(samples)) if re.fullmatch("[01]+", samples[k][st])
              and int(samples[k][st], 2) in states]
    if not window:
        raise SynthError(f"{path}: no cycle with state_o in {sorted(states)}")
    waves, clean = {}, str.maketrans("xzXZ", "0000")
    for i in order:
        seq = [samples[k - 1][col[i]] for k in window] + [samples[k][col[i]] for k in window]
        for name, width, hi, lo in vars_[i]:
            rows = [s.translate(clean).zfill(width)[-width:] for s in reversed(seq)]
            for pos in range(width):
                idx = None if hi is None else hi - pos if hi >= lo else hi + pos
                waves[(name, idx)] = int("".join(s[pos] for s in rows), 2)
    return waves, window, len(samples)


def analyse(netlist, lib, seq, waves, n, model):
    """Activity lines for OpenSTA (p: pin, q: input port, c: input port constant in the window),
    the block of every instance, instance types, the clock net's capacitance (pF) per block and
    match statistics."""
    widths, ports, cells, pairs = read_netlist(netlist)
    up = {}

    def root(k):  # union-find: the bits an assign joins are one net
        while k in up:
            k = up[k]
        return k
    for a, b in pairs:
        if root(a) != root(b):
            up[root(a)] = root(b)
    full, lows, val, traced, conflicts = (1 << 2 * n) - 1, (1 << n) - 1, {}, set(), 0
    for k, v in waves.items():
        traced.add(root(k))
        conflicts += val.setdefault(root(k), v) != v
    val[root(("1'b0", None))], val[root(("1'b1", None))] = 0, full
    driver, loads, fixed = {}, {}, {}
    for p, d in ports.items():
        for k in decl_bits(p, widths):
            driver[root(k)] = ("port", p)
            if d == "output":
                loads.setdefault(root(k), []).append("PORT")
    for inst, (typ, conns) in cells.items():
        ram = typ.startswith("eie_ram_")
        if not ram and typ not in lib:
            raise SynthError(f"netlist: cell type {typ} ({inst}) is not in the liberty")
        if ram or typ in seq:  # a flop belongs to the register on its Q net
            fixed[inst] = block_of(inst if ram else conns["Q"][0][0])
        for pin, bits in conns.items():
            for k in bits:
                if (pin == "rdata_o") if ram else lib[typ][pin][0] == "output":
                    driver[root(k)] = (inst, pin)
                else:
                    loads.setdefault(root(k), []).append(inst)
    funcs = {(t, p): eval("lambda %s: %s" % (",".join(i for i in pins if pins[i][0] == "input"),
                                             liberty_expr(f)))
             for t, pins in lib.items() if t not in seq for p, (d, f, _) in pins.items() if f}
    unknown, checked, mismatched = set(), 0, 0

    def gate(inst, pin):
        typ, conns = cells[inst]
        return full & funcs[typ, pin](**{i: get(root(b[0])) for i, b in conns.items()
                                         if lib[typ][i][0] == "input"})

    def get(r):
        if r not in val:
            d = driver.get(r, ("port", None))
            if d[0] != "port" and (cells[d[0]][0], d[1]) in funcs:
                val[r] = gate(*d)
            else:  # neither traced nor computable: OpenSTA keeps its own estimate
                unknown.add(r)
                val[r] = 0
        return val[r]
    sys.setrecursionlimit(100000)
    comb = [i for i in cells if i not in fixed]
    for inst in comb:
        for pin, bits in cells[inst][1].items():
            if (cells[inst][0], pin) in funcs and root(bits[0]) in traced:
                checked += 1
                mismatched += gate(inst, pin) != val[root(bits[0])]

    def act(r):
        v = get(r)
        return ((v ^ (v >> n)) & lows).bit_count() / n, (v >> n).bit_count() / n
    lines, outs, clk = [], {"traced": 0, "computed": 0, "fallback": 0}, root(("clk_i", None))
    for inst, (typ, conns) in cells.items():
        for pin, bits in conns.items() if inst not in fixed or typ in seq else []:
            r = root(bits[0])
            if r != clk:  # OpenSTA gives clock pins 2 transitions a cycle itself
                a, d = act(r)
                if lib[typ][pin][0] == "output":
                    outs["traced" if r in traced else "fallback" if r in unknown else "computed"] \
                        += 1
                if r not in unknown:
                    lines.append(f"p {inst}/{pin} {a:.6g} {d:.6g}")
    for p, d in ports.items():
        for k in decl_bits(p, widths) if d == "input" and p != "clk_i" else []:
            a, d = act(root(k))
            bit = k[0] if k[1] is None else f"{k[0]}[{k[1]}]"
            lines.append(f"q {bit} {a:.6g} {d:.6g}" if a else f"c {bit} {d:.0f}")
    shares, blocks = {}, dict(fixed)

    def share(inst):  # {block: share of the fanout of inst that ends there}
        if inst not in shares:
            acc, typ = {}, cells[inst][0]
            for pin, bits in cells[inst][1].items():
                for ld in loads.get(root(bits[0]), []) if lib[typ][pin][0] == "output" else []:
                    sub = {"top": 1} if ld == "PORT" else {fixed[ld]: 1} if ld in fixed \
                        else share(ld)
                    for b, w in sub.items():
                        acc[b] = acc.get(b, 0) + w
            if not acc:  # drives nothing: its output's name, if it has one, says
                name = [b[0][0] for p, b in cells[inst][1].items() if lib[typ][p][0] == "output"]
                acc = {"top" if re.match(r"_\d+_$", name[0]) else block_of(name[0]): 1}
            shares[inst] = {b: w / sum(acc.values()) for b, w in acc.items()}
        return shares[inst]
    for inst in comb:
        blocks[inst] = max(share(inst), key=share(inst).get)
    # The clock net: OpenSTA charges a net's switching to its driving cell, and clk_i is a port.
    # Its load: the clock pins, and the wire-load model's wire per pin (eie_timing's model).
    wl, clk_pf = model["wire_load"], {}
    for inst, (typ, conns) in cells.items():
        for pin, bits in conns.items():
            if root(bits[0]) == clk:
                ram = typ.startswith("eie_ram_")
                b = "sram" if ram else blocks[inst]
                clk_pf[b] = clk_pf.get(b, 0.0) + wl["capacitance_pf_per_um"] * wl["um_per_fanout"] \
                    + (model["sram"]["clock_pin_cap_pf"] if ram else lib[typ][pin][2])
    declared = {k for name in widths for k in decl_bits(name, widths)}
    nets = {root(k) for k in declared}
    stats = {"vcd_bits": len(waves), "vcd_bits_matched": len(set(waves) & declared),
             "vcd_bits_unmatched_examples": sorted(map(str, set(waves) - declared))[:5],
             "nets": len(nets), "nets_traced": len(nets & traced),
             "nets_computed_from_gates": len(nets - traced - unknown),
             "nets_fallback": len(nets & unknown), "trace_alias_conflicts": conflicts,
             "gate_outputs_checked_against_trace": checked, "gate_check_mismatches": mismatched,
             "cell_output_pins": sum(outs.values()), "cell_output_pins_traced": outs["traced"],
             "cell_output_pins_computed": outs["computed"],
             "cell_output_pins_fallback": outs["fallback"], "pins_set": len(lines)}
    return lines, blocks, {i: t for i, (t, _) in cells.items()}, clk_pf, stats


# OpenSTA 2.0.17 keeps one activity per pin, and its propagation overwrites it (a value set on a
# gate's output or a flop's Q included): so one propagation first, from its defaults, gives every
# pin an entry, then ours are set on every pin. Each later report re-propagates from the input
# ports and constant pins up to the first flops; the input ports that hold still in the window are
# cases, which stops that (the debug trace lists what is still re-propagated). Reset must be one
# (checked): through the DFFSRs' R->Q arcs it would overwrite every DFFSR's Q and what follows.
# `activity` is in transitions per clock period: 0.5 set on a flop's Q shows as 5.0e7/s under
# `sta::set_debug power 2` with a 10 ns clock, and gives half the switching power at 20 ns.
TCL = r"""
set corner [sta::cmd_corner]
sta::design_power $corner
proc load_activities {path} {
  set f [open $path]
  while {[gets $f line] >= 0} {
    lassign $line kind name a d
    if {$kind == "p"} { sta::set_power_pin_activity [get_pins $name] $a $d }
    if {$kind == "q"} { sta::set_power_input_port_activity [get_ports $name] $a $d }
  }
  close $f
}
proc dump {path} {
  set f [open $path w]
  foreach inst [get_cells *] {
    puts $f "[sta::instance_power $inst [sta::cmd_corner]] [get_full_name $inst]"
  }
  close $f
}
load_activities activities.txt
sta::set_debug power_activity 3
puts "@@measured [sta::design_power $corner]"
sta::set_debug power_activity 0
dump instances_measured.txt
load_activities activities_clock_only.txt
puts "@@clock_only [sta::design_power $corner]"
dump instances_clock_only.txt
exit
"""


def opensta(out, lib_path, netlist, sram_lib, period, model, lines):
    """Runs OpenSTA; returns the design totals (W) and the pins it still re-propagated."""
    open(os.path.join(out, "activities.txt"), "w").write("\n".join(lines) + "\n")
    # Clock only: every activity 0, the duties kept (they weigh the liberty's `when` states).
    zero = [" ".join(l.split()[:2] + ["0", l.split()[3]]) for l in lines if l[0] != "c"]
    open(os.path.join(out, "activities_clock_only.txt"), "w").write("\n".join(zero) + "\n")
    head = sta_setup(sram_lib, netlist, period, model["wire_load"]["name"])
    head[0] = f"read_liberty {lib_path}"  # was the OSU liberty itself
    cases = [f"set_case_analysis {l.split()[2]} [get_ports {{{l.split()[1]}}}]"
             for l in lines if l[0] == "c"]
    tcl = os.path.join(out, "power.tcl")
    open(tcl, "w").write("\n".join(head + cases) + TCL)
    text = run(["sta", "-no_splash", "-exit", tcl], out, tcl + ".log", "OpenSTA", 1800)
    totals = {m.group(1): sum(map(float, m.group(2).split()[:3]))
              for m in re.finditer(r"^@@(\w+) (.*)$", text, flags=re.M)}
    if set(totals) != {"measured", "clock_only"}:
        raise SynthError(f"OpenSTA: no power totals in {tcl}.log")
    return totals, re.findall(r"^power_activity: set (\S+)", text, flags=re.M)


def by_block(path, blocks, types, seq):
    """{block: [internal, switching, leakage (W), cells, flops]} from a dump, and the SRAMs'."""
    out = {b: [0.0, 0.0, 0.0, 0, 0] for b, _ in BLOCKS + [("sram", "")]}
    for line in open(path):
        f = line.split(None, 4)
        name = f[4].strip().lstrip("\\")
        if name not in blocks:
            raise SynthError(f"{path}: instance {name} is not in the netlist")
        row = out["sram" if types[name].startswith("eie_ram_") else blocks[name]]
        row[:] = [x + float(y) for x, y in zip(row[:3], f[:3])] + [row[3] + 1,
                                                                   row[4] + (types[name] in seq)]
    return out


def entry(m, c, pf, period, volt):
    """A block's figures from its measured (m) and clock-only (c) sums and its clock net's pF
    (charged and discharged once a cycle: C V^2; not in total_mw, OpenSTA does not see it)."""
    mw, clk = [x * 1e3 for x in m[:3]], (c[0] + c[1]) * 1e3
    return {"cells": m[3], "flops": m[4], "internal_mw": mw[0], "switching_mw": mw[1],
            "leakage_mw": mw[2], "total_mw": sum(mw), "clock_only_mw": clk,
            "energy_pj_per_cycle": sum(mw) * period, "clock_only_pj_per_cycle": clk * period,
            "leakage_pj_per_cycle": mw[2] * period, "clock_net_pf": pf,
            "clock_net_mw": pf * volt ** 2 / period, "clock_net_pj_per_cycle": pf * volt ** 2}


def report(r):
    out = [f"EIE logic power, gate level: {r['liberty']} at {r['voltage_v']} V, clock "
           f"{r['period_ns']} ns; OpenSTA fix: {r['opensta_fix']}", f"scenario: {r['scenario']}",
           f"window: {r['window']}, {r['window_cycles']} of {r['trace_cycles']} cycles",
           "matching: " + ", ".join(f"{k} {v}" for k, v in r["matching"].items()),
           f"SRAM macros, excluded: {r['sram_macros_excluded']}", "",
           f"{'block':<11}{'cells':>6}{'flops':>6}{'int mW':>8}{'sw mW':>8}{'leak mW':>9}"
           f"{'tot mW':>8}{'clk mW':>8}{'pJ/cyc':>8}{'clk pJ':>8}{'net pJ':>8}{'fJ/flop':>8}"]
    for b, v in list(r["blocks"].items()) + [("total", r["total"])]:
        out.append(f"{b:<11}{v['cells']:>6}{v['flops']:>6}{v['internal_mw']:>8.3f}"
                   f"{v['switching_mw']:>8.3f}{v['leakage_mw']:>9.5f}{v['total_mw']:>8.3f}"
                   f"{v['clock_only_mw']:>8.3f}{v['energy_pj_per_cycle']:>8.2f}"
                   f"{v['clock_only_pj_per_cycle']:>8.2f}{v['clock_net_pj_per_cycle']:>8.2f}"
                   f"{1e3 * v['clock_only_pj_per_cycle'] / max(v['flops'], 1):>8.1f}")
    return "\n".join(out + [
        "clk: the clock-only run (every flop clocked, nothing else toggling), its power, energy "
        "per cycle and per flop;", "net pJ: the clock net (clock pins and wire, C V^2 a cycle), "
        "which OpenSTA does not count (clk_i is a port): not in tot mW"]) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sim", default=os.path.join(ROOT, "build", "tb", "eie_sim_gate"))
    ap.add_argument("--netlist", default=os.path.join(ROOT, "build", "tb", "gate", "netlist.v"))
    for opt, default in (("scenario", "random"), ("sizes", "60,64"), ("weight-density", "0.1"),
                         ("act-density", "0.35"), ("seed", "3"), ("inferences", "4")):
        ap.add_argument("--" + opt, default=default, help="simulator option (default %(default)s)")
    ap.add_argument("--sim-args", default="", help="more simulator options, in one string")
    ap.add_argument("--period-ns", type=float, default=10.0)
    ap.add_argument("--window", choices=sorted(WINDOWS), default="compute")
    ap.add_argument("--raw-opensta", action="store_true", help="without OPENSTA_FIX")
    ap.add_argument("--sram-model", default=SRAM_MODEL)
    ap.add_argument("--out", default=os.path.join(ROOT, "synth", "reports", "power"))
    a = ap.parse_args()
    # The tools run in the output folder: paths given relative to the caller's folder must hold.
    a.sim, a.netlist, a.out = (os.path.abspath(p) for p in (a.sim, a.netlist, a.out))
    missing = [p for p in (a.sim, a.netlist, a.sram_model, LIBERTY) if not os.path.isfile(p)]
    if missing or a.period_ns <= 0:
        print(f"eie_power: no file {missing}" if missing else "eie_power: --period-ns must be > 0",
              file=sys.stderr)
        return 2
    out, t0, times = os.path.abspath(a.out), time.time(), {}
    os.makedirs(out, exist_ok=True)
    scenario = (f"--scenario {a.scenario} --sizes {a.sizes} --weight-density {a.weight_density} "
                f"--act-density {a.act_density} --seed {a.seed} -n {a.inferences} --idle 0 "
                f"--backpressure 0 {a.sim_args}").strip()

    def lap(name):
        times[name] = round(time.time() - t0 - sum(times.values()), 1)
    try:
        trace, sim_json, vcd = (os.path.join(out, f) for f in ("trace.fst", "sim.json",
                                                                 "trace.vcd"))
        run([a.sim] + shlex.split(scenario) + ["--trace", trace, "--json", sim_json], out,
            os.path.join(out, "sim.log"), "gate-level simulation", 1800)
        run(["fst2vcd", "-f", trace, "-o", vcd], out, os.path.join(out, "fst2vcd.log"), "fst2vcd")
        lap("simulation_s")
        waves, window, cycles = read_vcd(vcd, WINDOWS[a.window])
        if waves.get(("rst_ni", None)) != (1 << 2 * len(window)) - 1:
            raise SynthError("rst_ni is not 1 throughout the window (OpenSTA takes it as 1)")
        lap("vcd_s")
        lib_text = open(LIBERTY).read()
        volt = float(re.search(r"nom_voltage\s*:\s*([\d.]+)", lib_text).group(1))
        lib, seq, fixed_lib = liberty(lib_text, not a.raw_opensta)
        lib_path = LIBERTY if a.raw_opensta else os.path.join(out, "osu018_opensta_fix.lib")
        open(lib_path, "w").write(fixed_lib) if lib_path != LIBERTY else None
        netlist, shapes = ram_shape_names(expand_concat_assigns(open(a.netlist).read()))
        nl_path, sram_lib = os.path.join(out, "netlist_sta.v"), os.path.join(out, "eie_sram.lib")
        open(nl_path, "w").write(netlist)
        model = json.load(open(a.sram_model))
        open(sram_lib, "w").write(sram_liberty(shapes, model))
        lines, blocks, types, clk_pf, stats = analyse(netlist, lib, seq, waves, len(window),
                                                      model)
        lap("activity_s")
        totals, redone = opensta(out, lib_path, nl_path, sram_lib, a.period_ns, model, lines)
        lap("opensta_s")
        meas, clock = (by_block(os.path.join(out, f"instances_{k}.txt"), blocks, types, seq)
                       for k in ("measured", "clock_only"))
        sim = json.load(open(sim_json))
    except (SynthError, OSError, ValueError, KeyError) as e:
        print(f"eie_power: {e}", file=sys.stderr)
        return 1
    stats.update(opensta_repropagated_pins=len(redone), opensta_repropagated_examples=redone[:5],
                 sim_pe_busy_plus_idle=[q["busy"] + q["idle"] for q in sim.get("pe", [])])
    p, sram = a.period_ns, meas.pop("sram")
    clock.pop("sram")
    r = {"liberty": LIBERTY, "opensta_fix": "none (--raw-opensta)" if a.raw_opensta else
         OPENSTA_FIX, "voltage_v": volt,
         "period_ns": p, "window": f"{a.window}, state_o in {sorted(WINDOWS[a.window])}",
         "window_cycles": len(window), "trace_cycles": cycles,
         "scenario": f"{os.path.basename(a.sim)} {scenario}",
         "blocks": {b: entry(meas[b], clock[b], clk_pf.get(b, 0.0), p, volt) for b in meas},
         "total": entry(*[[sum(v[i] for v in d.values()) for i in range(5)] for d in (meas, clock)],
                        sum(v for b, v in clk_pf.items() if b != "sram"), p, volt),
         "design_total_mw": totals["measured"] * 1e3, "matching": stats,
         "sram_macros_excluded": {"instances": sram[3], "power_mw": sum(sram[:3]) * 1e3,
                                  "clock_pins_pj_per_cycle": clk_pf.get("sram", 0) * volt ** 2,
                                  "note": "no power in their liberty; OpenSTA charges their "
                                  "read-data nets to no one"},
         "runtime_s": times, "sim": sim}
    # Blocks and SRAMs together must give OpenSTA's design total.
    if abs(r["total"]["total_mw"] + sum(sram[:3]) * 1e3 - r["design_total_mw"]) > \
            1e-3 * r["design_total_mw"]:
        print("eie_power: the blocks do not add up to the design total", file=sys.stderr)
        return 1
    lap("report_s")
    times["total_s"] = round(time.time() - t0, 1)
    # Through temporaries: a report is never left half-written for the energy model to read.
    for name, text in (("power.json", json.dumps(r, indent=2)), ("power.txt", report(r))):
        with open(os.path.join(out, name + ".tmp"), "w") as f:
            f.write(text)
        os.replace(os.path.join(out, name + ".tmp"), os.path.join(out, name))
    print(report(r), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
