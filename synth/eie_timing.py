#!/usr/bin/env python3
"""Static timing of the EIE RTL: Yosys 0.23 + ABC onto the OSU 0.18 um cells, then OpenSTA.

For each configuration: a flattened gate-level netlist (synth/eie_timing.ys), the SRAMs (eie_ram instances) as macros with a liberty written here from synth/sram_timing.json, a
wire-load model from the same file, one clock, inputs and outputs registered outside the chip
(zero input and output delay). OpenSTA gives every endpoint's worst arrival; each endpoint is
attributed to a pipeline stage or block by the register or RAM pin it ends at (STAGES), and the
worst path into every stage is reported with its start point. Delays are also given in FO4 of this
library, measured here on a fan-out-of-4 inverter chain, and scaled to 45 nm by FO4 (the rule in
docs/timing.md) beside the EIE paper's 1.15 ns.

Usage:
  synth/eie_timing.py                         the small configuration (what CI runs)
  synth/eie_timing.py --sweep                 NumPe 4, 16 and 64 with the paper's memories
  synth/eie_timing.py --params NumPe=8 ...    one configuration
  synth/eie_timing.py --budget-fo4 N          exit 1 if the critical path exceeds N FO4
Reports go to synth/reports/timing/ (or --out): NAME.txt, NAME.json and NAME_paths.txt per
configuration, and summary.md / summary.json for a sweep. Exit status 1 if a check fails, 2 on bad
arguments.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eie_synth import (LIBERTY, PAPER_PE, ROOT, RTL_DEFAULTS, SMALL, SynthError,  # noqa: E402
                       base_name, rtl_list)

SRAM_MODEL = os.path.join(ROOT, "synth", "sram_timing.json")
SWEEP = [("pe%d" % n, dict(PAPER_PE, NumPe=n, FifoDepth=8)) for n in (4, 16, 64)]
PAPER_CRITICAL_NS = 1.15  # EIE at 45 nm, 800 MHz
# Scaling rule to 45 nm (docs/timing.md): a path keeps its length in FO4, and the FO4 delay scales
# with the drawn gate length, so FO4(45 nm) = the FO4 measured here x 45 / 180.
NODE_UM, PAPER_NODE_UM = 0.18, 0.045

# Pipeline stages and blocks, by where a path ends: (name, pattern on the hierarchical name of
# the register (its Q net) or RAM pin at the end). The first match wins; docs/hardware.md section
# 6 names the registers.
PE = r"^g_pe\[\d+\]\.u_pe\."
STAGES = [
    ("B: broadcast -> pointer read", PE + r"u_ptr_read\.(u_ptr_(even|odd)\.(raddr_i|re_i)|b_)"),
    ("host: pointer RAM write", PE + r"u_ptr_read\.u_ptr_"),
    ("FIFO", PE + r"u_fifo\."),
    ("E: entry address", PE + r"u_spmat_read\.(u_spmat\.(raddr_i|re_i)|e_)"),
    ("host: sparse-matrix RAM write", PE + r"u_spmat_read\.u_spmat\."),
    ("R: entry decode", PE + r"u_spmat_read\.r_"),
    ("R: row index, codebook", PE + r"u_arith\.(prev_row_q|m1_)"),
    ("M1: first entry of a row", PE + r"u_arith\.m2_first_q"),
    ("M1: partial products, carry-save tree", PE + r"u_arith\.m2_"),
    ("M2: product carry add", PE + r"u_arith\.s1_"),
    ("M2: accumulator, bias read", PE + r"u_act_rw\.g_(acc|bias)_bank\[\d\]\.u_(acc|bias)\.(raddr_i|re_i)"),
    ("S1: scale, round bit, forward", PE + r"u_arith\.s2_"),
    ("S2: add, saturate", PE + r"u_arith\.byp_"),
    ("S2: accumulator write, touched bit", PE + r"u_act_rw\.(g_acc_bank\[\d\]\.u_acc\.|touched)"),
    ("write-back, activation RAMs", PE + r"u_act_rw\."),
    ("PE control, counters, host read", PE),
    ("broadcast hold slots", r"^g_hold\.u_hold\."),
    ("CCU: LNZD, broadcast groups", r"^u_ccu\.(g_(mask|base|valid|vals)_q|f_|fd_)"),
    ("CCU: control, layer table, codebook", r"^u_ccu\."),
    ("top: host port, outputs", r"^[^.]+$"),  # eie_top's own registers and output ports
]


class TimingError(SynthError):
    pass


def param_block(text):
    """{name: int} of a Yosys `#( .Name(32'b...), ... )` parameter list."""
    return {m.group(1): int(m.group(2), 2)
            for m in re.finditer(r"\.(\w+)\(\d+'s?b([01]+)\)", text)}


def ram_shape_names(netlist):
    """Renames every eie_ram instance to a macro per shape, eie_ram_d<Depth>_w<Width>; returns the
    new text and the shapes."""
    shapes = set()

    def rename(m):
        p = param_block(m.group(1))
        d, w = p.get("Depth", 64), p.get("Width", 16)
        shapes.add((d, w))
        return f"eie_ram_d{d}_w{w} "

    text = re.sub(r"\beie_ram\s+#\((.*?)\)\s*(?=\\?[\w\[])", rename, netlist, flags=re.S)
    return text, sorted(shapes)


def expand_concat_assigns(netlist):
    """OpenSTA 2.0.17 rejects `assign {a, b[3:0]} = {...};`, which Yosys writes where a bus is
    driven by differently named wires (with their names kept): rewritten as one assign per bit."""
    widths = {}
    for m in re.finditer(r"^\s*(?:wire|input|output|inout)\s*(?:\[(\d+):(\d+)\])?\s*(\\\S+|\w+)\s*;",
                         netlist, flags=re.M):
        hi, lo = (int(m.group(1)), int(m.group(2))) if m.group(1) else (0, 0)
        widths[m.group(3)] = (hi, lo, m.group(1) is not None)

    def bits(item):
        item = item.strip()
        c = re.match(r"^(\d+)'b([01xz]+)$", item)
        if c:
            return [f"1'b{b}" for b in c.group(2).zfill(int(c.group(1)))]
        m = re.match(r"^(\\\S+|\w+)\s*(?:\[(\d+)(?::(\d+))?\])?$", item)
        if not m:
            raise TimingError(f"netlist: cannot expand '{item}' in a concatenated assign")
        name = m.group(1)
        if m.group(2) is not None:
            hi = int(m.group(2))
            lo = int(m.group(3)) if m.group(3) is not None else hi
        else:
            hi, lo, is_bus = widths.get(name, (0, 0, False))
            if not is_bus:
                return [name]
        sep = " " if name.startswith("\\") else ""
        return [f"{name}{sep}[{i}]" for i in range(hi, lo - 1, -1)]

    def side(text):
        text = text.strip()
        items = text[1:-1].split(",") if text.startswith("{") else [text]
        return [b for item in items for b in bits(item)]

    def rewrite(m):
        lhs, rhs = side(m.group(1)), side(m.group(2))
        if len(lhs) != len(rhs):
            raise TimingError(f"netlist: assign of {len(rhs)} bits to {len(lhs)}")
        # A space ends an escaped identifier before the semicolon.
        return "\n".join(f"  assign {a} = {b} ;" for a, b in zip(lhs, rhs))

    return re.sub(r"^\s*assign\s+(\{[^;]*?\})\s*=\s*([^;]*);", rewrite, netlist, flags=re.M)


def sram_liberty(shapes, model):
    s, wl = model["sram"], model["wire_load"]
    out = ["library(eie_sram) {", "  delay_model : table_lookup;", '  time_unit : "1ns";',
           '  voltage_unit : "1V";', '  current_unit : "1uA";', "  capacitive_load_unit (1,pf);",
           '  pulling_resistance_unit : "1kohm";',
           "  slew_upper_threshold_pct_rise : 80;", "  slew_lower_threshold_pct_rise : 20;",
           "  slew_upper_threshold_pct_fall : 80;", "  slew_lower_threshold_pct_fall : 20;",
           "  input_threshold_pct_rise : 50;", "  input_threshold_pct_fall : 50;",
           "  output_threshold_pct_rise : 50;", "  output_threshold_pct_fall : 50;",
           "  nom_process : 1;", "  nom_voltage : 1.8;", "  nom_temperature : 25;"]
    # Wire load: capacitance and resistance per unit length (um), length per fanout.
    out += [f'  wire_load("{wl["name"]}") {{',
            f'    capacitance : {wl["capacitance_pf_per_um"]};',
            f'    resistance : {wl["resistance_kohm_per_um"]};',
            f'    slope : {wl["um_per_fanout"]};']
    out += [f"    fanout_length({n}, {n * wl['um_per_fanout']:.1f});" for n in range(1, 21)]
    out += ["  }"]
    widths = sorted({w for _, w in shapes} | {math.ceil(math.log2(max(d, 2))) for d, _ in shapes})
    for w in widths:
        out += [f"  type(bus{w}) {{", "    base_type : array;", "    data_type : bit;",
                f"    bit_width : {w};", f"    bit_from : {w - 1};", "    bit_to : 0;", "  }"]

    def scalar(name, v):
        return [f"        {name}(scalar) {{ values(\"{v:.4f}\"); }}"]

    def check(kind, v):
        return ([f"      timing() {{", "        related_pin : \"clk_i\";",
                 f"        timing_type : {kind}_rising;"] + scalar("rise_constraint", v) +
                scalar("fall_constraint", v) + ["      }"])

    def input_pin(name, width):
        head = ([f"    bus({name}) {{", f"      bus_type : bus{width};"] if width
                else [f"    pin({name}) {{"])
        return (head + ["      direction : input;", f"      capacitance : {s['input_pin_cap_pf']};"]
                + check("setup", s["setup_ns"]) + check("hold", s["hold_ns"]) + ["    }"])

    for d, w in shapes:
        aw = math.ceil(math.log2(max(d, 2)))
        access = s["clk_to_q_ns_base"] + s["clk_to_q_ns_per_doubling"] * max(
            0.0, math.log2(d / s["base_words"]))
        out += [f"  cell(eie_ram_d{d}_w{w}) {{", "    area : 0;", "    dont_use : true;",
                "    pin(clk_i) {", "      direction : input;", "      clock : true;",
                f"      capacitance : {s['clock_pin_cap_pf']};", "    }"]
        out += input_pin("we_i", 0) + input_pin("re_i", 0)
        out += input_pin("waddr_i", aw) + input_pin("raddr_i", aw) + input_pin("wdata_i", w)
        out += [f"    bus(rdata_o) {{", f"      bus_type : bus{w};", "      direction : output;",
                "      timing() {", "        related_pin : \"clk_i\";",
                "        timing_type : rising_edge;"]
        out += scalar("cell_rise", access) + scalar("cell_fall", access)
        out += scalar("rise_transition", s["output_transition_ns"])
        out += scalar("fall_transition", s["output_transition_ns"])
        out += ["      }", "    }", "  }"]
    out += ["}"]
    return "\n".join(out) + "\n"


def run(cmd, cwd, log, what, timeout=3600):
    """Runs a tool; its exit status and, for OpenSTA, which exits 0 after a netlist line it could
    not read or a command that failed, any `Error:` line make it a failure."""
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=timeout)
    except FileNotFoundError:
        raise TimingError(f"{what}: {cmd[0]} is not installed (scripts/setup.sh installs it)")
    except subprocess.TimeoutExpired:
        raise TimingError(f"{what}: no result after {timeout} s")
    open(log, "w").write(r.stdout)
    errors = [l for l in r.stdout.splitlines() if l.startswith("Error")]
    if r.returncode != 0 or errors:
        raise TimingError(f"{what} failed (log {log}):\n" +
                          ("\n".join(errors[:5]) if errors else r.stdout[-2000:]))
    return r.stdout


def measure_fo4(out_dir):
    """FO4 delay of this library in ps: a chain of INVX1 stages, each driving four INVX1 inputs
    (the next stage and three dummies); FO4 = (delay of 9 stages - delay of 5) / 4, so the
    input and output ends cancel. Gate delay only: no wire load (FO4 is the library's figure)."""
    def chain(n):
        lines = [f"module chain{n} (a, y);", "  input a;", "  output y;"]
        lines += [f"  wire n{i};" for i in range(n + 1)] + ["  assign n0 = a;"]
        for i in range(n):
            lines.append(f"  INVX1 s{i} (.A(n{i}), .Y(n{i + 1}));")
            lines += [f"  INVX1 d{i}_{k} (.A(n{i + 1}), .Y());" for k in range(3)]
        lines += [f"  assign y = n{n};", "endmodule"]
        return "\n".join(lines)

    v = os.path.join(out_dir, "fo4_chain.v")
    open(v, "w").write(chain(5) + "\n" + chain(9) + "\n")
    delays = {}
    for n in (5, 9):
        tcl = os.path.join(out_dir, f"fo4_{n}.tcl")
        open(tcl, "w").write("\n".join([
            f"read_liberty {LIBERTY}", f"read_verilog {v}", f"link_design chain{n}",
            "set_driving_cell -lib_cell INVX1 [get_ports a]", "set_load 0.0373 [get_ports y]",
            "set_input_delay 0 [get_ports a]",
            "report_checks -unconstrained -from [get_ports a] -to [get_ports y] -digits 4",
            "exit"]) + "\n")
        text = run(["sta", "-no_splash", "-exit", tcl], out_dir, tcl + ".log", "OpenSTA (FO4)")
        m = re.search(r"([\d.]+)\s+data arrival time", text)
        if not m:
            raise TimingError(f"no arrival time in {tcl}.log")
        delays[n] = float(m.group(1))
    return (delays[9] - delays[5]) / 4 * 1000.0


def q_net_map(netlist):
    """{flop instance: register name} from the flattened netlist: Yosys names a flop after
    nothing useful, but keeps the register's hierarchical name on the net at its Q pin."""
    regs = {}
    for cell in re.finditer(r"^\s*(DFF\w+|LATCH)\s+(\S+)\s*\((.*?)\);", netlist, flags=re.S | re.M):
        q = re.search(r"\.Q\(([^()]*)\)", cell.group(3))
        if q:
            regs[cell.group(2).lstrip("\\")] = re.sub(r"\s+", "", q.group(1).lstrip("\\"))
    return regs


def name_of(point, regs):
    """The register (hierarchical Q net) or RAM pin an OpenSTA start or end point stands for:
    `_5516_` -> `u_ccu.w_frac_q[0]`, `g_pe[0].u_pe.u_act_rw.u_acc/wdata_i[3]` ->
    `g_pe[0].u_pe.u_act_rw.u_acc.wdata_i`; an input or output port stays itself."""
    parts = point.split("/")
    if parts[0] in regs:
        return regs[parts[0]]
    if len(parts) == 2:
        return f"{parts[0]}.{parts[1].split('[')[0]}"
    return point


def classify(label):
    for name, pattern in STAGES:
        if re.search(pattern, label):
            return name
    return "other"


INPUTS = "[delete_from_list [all_inputs] [get_ports clk_i]]"


def sta_setup(sram_lib, netlist, period_ns, wire_load):
    """OpenSTA commands that read the design and constrain it (docs/timing.md, "The flow")."""
    return [
        f"read_liberty {LIBERTY}", f"read_liberty {sram_lib}", f"read_verilog {netlist}",
        "link_design eie_top",
        f"set_wire_load_model -name {wire_load}",
        f"create_clock -name clk -period {period_ns} [get_ports clk_i]",
        f"set_input_delay 0 -clock clk {INPUTS}",
        "set_output_delay 0 -clock clk [all_outputs]",
        f"set_driving_cell -lib_cell INVX1 {INPUTS}",
        "set_load 0.0373 [all_outputs]"]


def endpoint_report(path, internal):
    """Every endpoint's worst path: internal (register or RAM to register, RAM or output) with
    the input ports cut, or only the paths that start at an input port."""
    cut = [f"set_false_path -from {INPUTS}"] if internal else []
    scope = "" if internal else f"-from {INPUTS} "
    return cut + [f"report_checks -path_delay max -format end -group_count 1000000 "
                  f"-endpoint_count 1 {scope}-digits 4 > {path}"]


def stage_table(ends, regs):
    """{stage: worst endpoint} over (endpoint pin, delay) pairs."""
    stages = {}
    for pin, delay in ends:
        label = name_of(pin, regs)
        stage = classify(label)
        if stage not in stages or delay > stages[stage]["ns"]:
            stages[stage] = {"ns": delay, "endpoint": pin, "register": label}
    return stages


def add_startpoints(stages, tcl_head, internal, out_dir, regs, paths_file):
    """Reports the full path into every stage's worst endpoint (fanout, load, slew per gate),
    and names where each starts."""
    names = list(stages)
    lines = list(tcl_head) + ([f"set_false_path -from {INPUTS}"] if internal else [])
    for i, st in enumerate(stages.values()):
        lines.append(f'puts "@@path {i}"')
        target = "get_pins" if "/" in st["endpoint"] else "get_ports"
        scope = "" if internal else f"-from {INPUTS} "
        lines.append(f"report_checks -path_delay max {scope}-to [{target} {{{st['endpoint']}}}] "
                     f"-digits 3 -nets -fields {{fanout cap slew}}")
    tcl = os.path.join(out_dir, "paths_internal.tcl" if internal else "paths_inputs.tcl")
    open(tcl, "w").write("\n".join(lines + ["exit"]) + "\n")
    paths = run(["sta", "-no_splash", "-exit", tcl], out_dir, tcl + ".log", "OpenSTA paths")
    open(paths_file, "w").write(paths)
    # Each stage's report follows its marker; its start point names the register it starts at.
    for chunk in paths.split("@@path ")[1:]:
        index, _, report = chunk.partition("\n")
        start = re.search(r"Startpoint: (\S+)", report)
        if start:
            stages[names[int(index)]]["startpoint"] = name_of(start.group(1), regs)


ABC_DELAY_TARGET_PS = "1250"  # the paper's 800 MHz: ABC maps for delay below it


def synthesize(params, out_dir):
    """The flattened gate-level netlist of eie_top with these parameters (synth/eie_timing.ys),
    written to out_dir/netlist.v; returns its text and the seconds Yosys took."""
    p = dict(RTL_DEFAULTS, **params)
    os.makedirs(out_dir, exist_ok=True)
    for stale in ("netlist.v", "internal.txt", "inputs.txt"):
        if os.path.exists(os.path.join(out_dir, stale)):
            os.remove(os.path.join(out_dir, stale))
    t0 = time.time()
    constr = os.path.join(out_dir, "abc.constr")
    open(constr, "w").write("set_driving_cell INVX1\nset_load 0.0373\n")
    abc_script = os.path.join(out_dir, "abc.script")
    abc = open(os.path.join(ROOT, "synth", "eie_timing.abc")).read()
    open(abc_script, "w").write(abc.replace("@PERIOD_PS@", ABC_DELAY_TARGET_PS))
    chparams = " ".join(f"-chparam {k} {v}" for k, v in sorted(p.items()))
    ys = open(os.path.join(ROOT, "synth", "eie_timing.ys")).read()
    ys = (ys.replace("@RTL@", " ".join(rtl_list(with_ram=False))).replace("@PARAMS@", chparams)
          .replace("@LIB@", LIBERTY).replace("@CONSTR@", constr)
          .replace("@PERIOD_PS@", ABC_DELAY_TARGET_PS).replace("@ABC_SCRIPT@", abc_script)
          .replace("@OUT@", out_dir))
    open(os.path.join(out_dir, "eie_timing.ys"), "w").write(ys)
    run(["yosys", "-q", "-l", os.path.join(out_dir, "yosys.log"), "-s",
         os.path.join(out_dir, "eie_timing.ys")], ROOT, os.path.join(out_dir, "yosys.out"), "yosys")
    return open(os.path.join(out_dir, "netlist.v")).read(), time.time() - t0


def timing_one(name, params, out_root, model, fo4_ps):
    p = dict(RTL_DEFAULTS, **params)
    out_dir = os.path.join(out_root, name)
    raw, synth_s = synthesize(params, out_dir)
    netlist, shapes = ram_shape_names(expand_concat_assigns(raw))
    nl = os.path.join(out_dir, "netlist_sta.v")
    open(nl, "w").write(netlist)
    lib = os.path.join(out_dir, "eie_sram.lib")
    open(lib, "w").write(sram_liberty(shapes, model))
    period = 100.0  # ns: far above any path, so each endpoint's slack gives its path length
    head = sta_setup(lib, nl, period, model["wire_load"]["name"])
    regs = q_net_map(netlist)
    tables = {}
    for kind, internal in (("internal", True), ("inputs", False)):
        report = os.path.join(out_dir, f"{kind}.txt")
        tcl = os.path.join(out_dir, f"sta_{kind}.tcl")
        open(tcl, "w").write("\n".join(head + endpoint_report(report, internal) + ["exit"]) + "\n")
        run(["sta", "-no_splash", "-exit", tcl], out_dir, tcl + ".log", "OpenSTA")
        tables[kind] = parse_endpoints(open(report).read(), period)
    stages = stage_table(tables["internal"]["clk"], regs)
    from_inputs = stage_table(tables["inputs"]["clk"], regs)
    add_startpoints(stages, head, True, out_dir, regs,
                    os.path.join(out_root, f"{name}_paths.txt"))
    add_startpoints(from_inputs, head, False, out_dir, regs,
                    os.path.join(out_root, f"{name}_input_paths.txt"))
    unknown = sorted({v["register"] for k, v in stages.items() if k == "other"})
    if unknown:
        print(f"eie_timing: {name}: endpoints of no known stage: {unknown}", file=sys.stderr)
    # Asynchronous reset (recovery checks, from the rst_ni port): reported apart, reset is not a
    # cycle-by-cycle path.
    reset_ns = max((d for _, d in tables["inputs"].get("async_default", [])), default=0.0)
    crit = max(stages.values(), key=lambda s: s["ns"])
    inp = max(from_inputs.values(), key=lambda s: s["ns"])

    def in_fo4(table):
        return {k: dict(v, fo4=v["ns"] * 1000 / fo4_ps)
                for k, v in sorted(table.items(), key=lambda kv: -kv[1]["ns"])}

    return {
        "name": name, "params": p, "synth_seconds": round(synth_s, 1),
        "fo4_ps": round(fo4_ps, 1), "sram_shapes": shapes,
        "critical_ns": crit["ns"], "critical_fo4": crit["ns"] * 1000 / fo4_ps,
        "fmax_mhz": 1000.0 / crit["ns"],
        "fo4_45nm_ps": round(fo4_ps * PAPER_NODE_UM / NODE_UM, 1),
        "critical_45nm_ns": crit["ns"] * PAPER_NODE_UM / NODE_UM,
        "paper_critical_fo4": PAPER_CRITICAL_NS * 1000 / (fo4_ps * PAPER_NODE_UM / NODE_UM),
        "critical_endpoint": crit["register"], "critical_startpoint": crit.get("startpoint"),
        "input_ns": inp["ns"], "input_fo4": inp["ns"] * 1000 / fo4_ps,
        "input_endpoint": inp["register"], "input_startpoint": inp.get("startpoint"),
        "reset_recovery_ns": reset_ns,
        "stages": in_fo4(stages),
        "stages_from_inputs": in_fo4(from_inputs),
    }


def parse_endpoints(text, period):
    """{group: [(endpoint, path delay ns)]} from `report_checks -format end`: the delay of a path
    is the period minus its slack, so it includes the endpoint's setup time."""
    groups, group = {}, None
    for line in text.splitlines():
        g = re.match(r"max_delay/setup group (\S+)", line)
        if g:
            group = g.group(1).strip("*")
            groups[group] = []
            continue
        m = re.match(r"^(\S+) \((\S+)\)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", line)
        if m and group:
            groups[group].append((m.group(1), period - float(m.group(5))))
    if not groups.get("clk"):
        raise TimingError("no clocked endpoints in the OpenSTA report")
    return groups


def format_text(r):
    lines = [f"{r['name']}: " + ", ".join(f"{k}={v}" for k, v in sorted(r["params"].items())),
             f"FO4 of this library (measured): {r['fo4_ps']:.1f} ps; SRAM macros: " +
             ", ".join(f"{d}x{w}" for d, w in r["sram_shapes"]),
             f"critical path (register or RAM to register or RAM) {r['critical_ns']:.3f} ns = "
             f"{r['critical_fo4']:.1f} FO4 -> fmax {r['fmax_mhz']:.0f} MHz at 0.18 um; at 45 nm "
             f"(FO4 {r['fo4_45nm_ps']} ps): {r['critical_45nm_ns']:.3f} ns, "
             f"{1000 / r['critical_45nm_ns']:.0f} MHz (EIE: {PAPER_CRITICAL_NS} ns = "
             f"{r['paper_critical_fo4']:.1f} FO4)",
             f"  from {r['critical_startpoint']}", f"  to   {r['critical_endpoint']}",
             f"from the input ports (INVX1-driven, not in fmax): {r['input_ns']:.3f} ns = "
             f"{r['input_fo4']:.1f} FO4, {r['input_startpoint']} -> {r['input_endpoint']}",
             f"asynchronous reset to the flops (recovery, not a cycle path): "
             f"{r['reset_recovery_ns']:.3f} ns", ""]
    for title, table in (("stage / block (worst internal path)", r["stages"]),
                         ("from an input port, into", r["stages_from_inputs"])):
        lines.append(f"{title:<36} {'ns':>7} {'FO4':>6}  {'ends at':<48} starts at")
        for k, v in table.items():
            lines.append(f"{k:<36} {v['ns']:>7.3f} {v['fo4']:>6.1f}  {v['register']:<48} "
                         f"{v.get('startpoint', '')}")
        lines.append("")
    return "\n".join(lines)


def summary_md(results):
    """Markdown for docs/timing.md: one row per configuration, then every configuration's stages
    side by side (ns and FO4)."""
    out = ["| NumPe | critical path | FO4 | fmax (0.18 um) | 45 nm by FO4 | from | to | "
           "from the inputs |",
           "|---|---|---|---|---|---|---|---|"]
    for r in results:
        out.append(f"| {r['params']['NumPe']} | {r['critical_ns']:.2f} ns | "
                   f"{r['critical_fo4']:.1f} | {r['fmax_mhz']:.0f} MHz | "
                   f"{r['critical_45nm_ns']:.2f} ns ({1000 / r['critical_45nm_ns']:.0f} MHz) | "
                   f"`{r['critical_startpoint']}` | `{r['critical_endpoint']}` | "
                   f"{r['input_ns']:.2f} ns, {r['input_fo4']:.0f} FO4 |")
    stages = []
    for r in results:
        stages += [k for k in r["stages"] if k not in stages]
    out += ["", "| stage / block (worst path into it) | " +
            " | ".join(f"NumPe {r['params']['NumPe']}" for r in results) + " |",
            "|---|" + "---|" * len(results)]
    for k in stages:
        cells = [f"{r['stages'][k]['ns']:.2f} ns, {r['stages'][k]['fo4']:.0f} FO4"
                 if k in r["stages"] else "" for r in results]
        out.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sweep", action="store_true", help="NumPe 4, 16 and 64, paper memories")
    ap.add_argument("--params", nargs="*", default=None, metavar="NAME=VALUE")
    ap.add_argument("--out", default=os.path.join(ROOT, "synth", "reports", "timing"))
    ap.add_argument("--budget-fo4", type=float, default=None,
                    help="fail (exit 1) if a critical path exceeds this many FO4")
    ap.add_argument("--sram-model", default=SRAM_MODEL)
    ap.add_argument("--reuse", action="store_true",
                    help="check --budget-fo4 against the reports already in --out (no synthesis)")
    args = ap.parse_args()
    configs = [("small", SMALL)]
    if args.sweep:
        configs = SWEEP
    if args.params is not None:
        try:
            p = {k: int(v) for k, v in (a.split("=", 1) for a in args.params)}
        except ValueError:
            print("eie_timing: --params takes NAME=INTEGER", file=sys.stderr)
            return 2
        unknown = set(p) - set(RTL_DEFAULTS)
        if unknown:
            print(f"eie_timing: unknown parameter(s) {sorted(unknown)}", file=sys.stderr)
            return 2
        configs = [("custom", p)]
    os.makedirs(args.out, exist_ok=True)
    try:
        model = json.load(open(args.sram_model))
        for section, keys in (("sram", ("clk_to_q_ns_base", "clk_to_q_ns_per_doubling",
                                        "base_words", "setup_ns", "hold_ns",
                                        "output_transition_ns", "input_pin_cap_pf",
                                        "clock_pin_cap_pf")),
                              ("wire_load", ("name", "capacitance_pf_per_um",
                                             "resistance_kohm_per_um", "um_per_fanout"))):
            missing = [k for k in keys if k not in model.get(section, {})]
            if missing:
                raise ValueError(f"section '{section}' lacks {missing}")
    except (OSError, ValueError) as e:
        print(f"eie_timing: --sram-model {args.sram_model}: {e}", file=sys.stderr)
        return 2
    if args.reuse:
        try:
            results = json.load(open(os.path.join(args.out, "summary.json")))
        except (OSError, ValueError) as e:
            print(f"eie_timing: --reuse: no reports in {args.out}: {e}", file=sys.stderr)
            return 1
        return check_budget(results, args.budget_fo4)
    try:
        fo4 = measure_fo4(args.out)
        results = []
        for name, params in configs:
            r = timing_one(name, params, args.out, model, fo4)
            text = format_text(r)
            open(os.path.join(args.out, f"{name}.txt"), "w").write(text)
            json.dump(r, open(os.path.join(args.out, f"{name}.json"), "w"), indent=2)
            print(text)
            results.append(r)
    except SynthError as e:
        print(f"eie_timing: {e}", file=sys.stderr)
        return 1
    json.dump(results, open(os.path.join(args.out, "summary.json"), "w"), indent=2)
    md = summary_md(results)
    open(os.path.join(args.out, "summary.md"), "w").write(md)
    # The two tables docs/timing.md shows, one file each (make timing UPDATE_DOCS=1).
    critical, stages = md.strip().split("\n\n")
    open(os.path.join(args.out, "doc_critical.md"), "w").write(critical + "\n")
    open(os.path.join(args.out, "doc_stages.md"), "w").write(stages + "\n")
    return check_budget(results, args.budget_fo4)


def check_budget(results, budget):
    """1 (and a FAIL line per configuration) when a critical path exceeds budget FO4."""
    if budget is None:
        return 0
    over = [r for r in results if r["critical_fo4"] > budget]
    for r in over:
        print(f"eie_timing: FAIL {r['name']}: critical path {r['critical_fo4']:.1f} FO4 > "
              f"budget {budget} ({r['critical_startpoint']} -> {r['critical_endpoint']})",
              file=sys.stderr)
    if over:
        return 1
    print(f"eie_timing: every critical path within {budget} FO4")
    return 0


if __name__ == "__main__":
    sys.exit(main())
