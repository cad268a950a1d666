#!/usr/bin/env python3
"""Area estimates of the EIE RTL with Yosys 0.23 and the OSU 0.18 um standard cells.

Synthesises eie_top with its hierarchy kept (synth/eie_area.ys), so every block reports its own
logic: the PE's units (activation queue, pointer read, sparse-matrix read, arithmetic unit,
activation read/write, PE control), the LNZD tree, the central control unit and the top glue.
SRAMs are black boxes in synthesis and costed with an analytic model (bits x area per bit, see
SRAM_UM2_PER_BIT below), so totals are logic + memory. For every configuration it also checks each
block's flop count against what the RTL should have (Yosys 0.23 silently drops flops in some
constructs, e.g. arrays of packed structs) and the Yosys area total against the sum of the blocks.

Usage:
  synth/eie_synth.py                      the small configuration (what CI runs)
  synth/eie_synth.py --sweep --ice40      NumPe 1/4/16/64 and FifoDepth 1/2/8/16, and an iCE40 map
  synth/eie_synth.py --params NumPe=8 FifoDepth=4
Reports go to synth/reports/ (or --out): NAME.txt and NAME.json per configuration, summary.txt,
summary.json and summary.md for a sweep. Exit status 1 if a check fails, 2 on bad arguments.
"""

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBERTY = "/usr/share/qflow/tech/osu018/osu018_stdcells.lib"



def sv_parameters(path):
    """The `parameter int unsigned Name = N` declarations of an RTL file (relative to the checkout,
    or absolute), read from the file so that nothing here restates it."""
    with open(os.path.join(ROOT, path)) as f:
        text = f.read()
    found = re.findall(r"(?<!local)parameter\s+int\s+unsigned\s+(\w+)\s*=\s*(\d+)", text)
    return {k: int(v) for k, v in found}


# Fixed widths from rtl/eie_pkg.sv; FifoSkid: activation FIFO slots beyond the run-time limit.
_PKG = sv_parameters("rtl/eie_pkg.sv")
ACT_W, DIM_W, PTR_W, FIFO_SKID = (_PKG[k]
                                  for k in ("ActWidth", "DimWidth", "PtrWidth", "FifoSkid"))

# RTL parameter defaults (rtl/eie_top.sv) and the configurations used here.
RTL_DEFAULTS = sv_parameters("rtl/eie_top.sv")
SMALL = dict(NumPe=4, FifoDepth=8, SpmatDepth=64, PtrDepth=64, ActDepth=16, BiasDepth=32,
             MaxLayers=4, HoldSlots=4)
# The paper's per-PE memories (EIE Table II: 128 KB sparse matrix, 32 KB pointers, 2 KB
# activations): 16K 64-bit words, 16K pointers (20 bits here, 16 in the paper), 2 x 512
# activations, with 512 accumulators and biases.
PAPER_PE = dict(SpmatDepth=16384, PtrDepth=16384, ActDepth=512, BiasDepth=512, MaxLayers=8)
SWEEP = ([("pe%d_fifo8" % n, dict(PAPER_PE, NumPe=n, FifoDepth=8)) for n in (1, 4, 16, 64)] +
         [("pe64_fifo%d" % d, dict(PAPER_PE, NumPe=64, FifoDepth=d)) for d in (1, 2, 16)])

# SRAM area model. The EIE paper's own figure (Table II): 594,786 um^2 of memory for 162 KB per PE
# at 45 nm, i.e. 0.448 um^2 per bit including decoders, sense amplifiers and wiring, which is
# 221 F^2 per bit. Scaled by F^2 to 0.18 um: 7.17 um^2 per bit. (A bare 6T cell is 120-150 F^2;
# the rest is periphery.) Change it with --sram-f2-per-bit.
PAPER_MEM_UM2, PAPER_MEM_BITS, PAPER_F_UM = 594786.0, 162 * 1024 * 8, 0.045
PAPER_F2_PER_BIT = PAPER_MEM_UM2 / PAPER_MEM_BITS / PAPER_F_UM ** 2
OUR_F_UM = 0.18

# EIE Table II, per PE (45 nm): area of each module, memories included, and its share.
PAPER_TABLE2 = [("Act queue", 758), ("PtrRead", 121849), ("SpmatRead", 469412),
                ("ArithmUnit", 3110), ("ActRW", 18934)]
PAPER_PE_TOTAL = 638024
PAPER_LNZD_NODE_UM2 = 189


def clog2(x):
    return max(0, math.ceil(math.log2(x))) if x > 0 else 0


def addr_w(depth):
    return clog2(depth) if depth > 1 else 1


def derived(p):
    d = dict(p)
    d["ActAddrW"] = addr_w(p["ActDepth"])
    d["BiasAddrW"] = addr_w(p["BiasDepth"])
    d["LayerW"] = addr_w(p["MaxLayers"])
    d["PeW"] = addr_w(p["NumPe"])
    d["FifoCntW"] = clog2(p["FifoDepth"] + 1)
    d["HoldCntW"] = addr_w(p["HoldSlots"] + 1)
    d["SlotW"] = addr_w(p["HoldSlots"])
    # Host address bits a PE's request register keeps (eie_pe HostAddrW).
    d["HostAddrW"] = max(addr_w(p["SpmatDepth"]), addr_w(p["PtrDepth"]), d["ActAddrW"] + 1,
                         d["BiasAddrW"])
    return d


def expected_flops(p):
    """Flop bits each block's RTL describes, after the merges Yosys is expected to make."""
    d = derived(p)
    fifo_width = ACT_W + 2 * PTR_W  # (a_j, start, end)
    fifo_slots = p["FifoDepth"] + FIFO_SKID
    flops = {
        # Storage of FifoDepth + eie_pkg::FifoSkid entries, read and write pointers, the count.
        "eie_fifo": (fifo_slots * fifo_width + 2 * clog2(fifo_slots) + clog2(fifo_slots + 1)),
        # b_valid, b_odd, b_act.
        "eie_pe_ptr_read": 2 + ACT_W,
        # E: valid, first, last, skip, addr, end - 2, act; R: valid, sel (3), first, last, skip,
        # act.
        "eie_pe_spmat_read": 1 + 1 + 1 + 1 + 2 * PTR_W + ACT_W + 1 + 3 + 1 + 1 + 1 + ACT_W,
        # Valid bits of M1, M2, S1, S2 and the bypass; M1: act, weight; M2: sum row (32) and carry
        # row (28: its bits 0, 1, 3 and 5 are constant zeros of the Booth carry-save tree); S1:
        # product; S2: scaled product, old accumulator, round bit, bypass hit; bypass:
        # accumulator; a row in each of M1, M2, S1, S2 and the bypass. prev_row merges into the M1
        # row (same data and enable); its upper bits only feed an assertion.
        "eie_pe_arith": (5 + 2 * ACT_W + 32 + 28 + 32 + 32 + 2 * p["AccWidth"] + 2
                         + 5 * d["ActAddrW"] + 2),  # + first-entry flags of M2 and S1
        # Touched bits of both accumulator banks; wb_q, write-back row, its touched bit and bias
        # bank; the compute's bias bank; host read bias bank and activation bank; the source
        # value forwarded from the write-back and its two flags.
        "eie_pe_act_rw": 2 * p["ActDepth"] + 6 + d["ActAddrW"] + ACT_W + 2,
        # busy, idle and full counters and their registered increments, host read target and
        # counter read-back, the registered ready and active flag; the request register (write,
        # read, target, address, data).
        "eie_pe": 3 * 32 + 3 + 4 + 32 + 2 + 2 + 4 + d["HostAddrW"] + 64,
        "eie_lnzd": 0,  # combinational
        # 12 DimW registers (ptr_base, num_active, rows, f_base, fd_base, g_base, the fetched and
        # the loaded group's pointer base, out_index, the broadcast register's column and pointer
        # index, host read address, whose low 4 bits merge with the codebook read index; cols only
        # feeds an assertion), the upper DimW - PeW bits plus one of g_base and the group's
        # pointer base (the carry-select half of base + LNZD index), 3 down counters of DimW + 1
        # bits (rows left to write back, values left to fetch, for the group in flight), the next descriptor's word 0 (54 bits), two bias bases
        # (compute, write-back), the group's activations and mask, the active-PE mask, the output
        # data and broadcast activation, the FIFO limit, the fetch and write-back row counters
        # (the latter a bit wider), layer, last layer and written-back layer, and 59 single bits
        # and small fields (state 3, w_frac 4, prefetch count 2, cycles 32, read target 4,
        # codebook index 4, relu of both layers, has_bias of both, src_sel, acc_sel, layer
        # start, done, out_valid, f_pending, g_valid, write-back more and tail, broadcast valid,
        # minus the 4 merged bits).
        "eie_ccu": (59 + 12 * DIM_W + 2 * (DIM_W - d["PeW"]) + 3 * (DIM_W + 1) + 54
                    + 2 * d["BiasAddrW"]
                    + p["NumPe"] * ACT_W + 2 * ACT_W + d["FifoCntW"] + 2 * p["NumPe"]
                    + 2 * d["ActAddrW"] + 1 + 3 * d["LayerW"] + d["HoldCntW"]),
        # Host response valid, PE-target flag and responding PE, each in two stages, the CCU's
        # read data, write-back row and layer; the request register (valid, write, target, PE, address,
        # data) and its decode (CCU target, start, PE select).
        "eie_top": (2 * (2 + d["PeW"]) + 64 + d["ActAddrW"] + d["LayerW"] + 1 + 1 + 4 + d["PeW"]
                    + DIM_W + 64 + 2 + p["NumPe"]),
    }
    if p["HoldSlots"] > 0:
        # Per slot: a wait bit per PE, the activation and pointer index; head, tail and the slot
        # being filled, the count, free and fill flags; per PE: pending, take and live flags and
        # the slot it takes from.
        flops["eie_bcast_hold"] = (p["HoldSlots"] * (p["NumPe"] + ACT_W + DIM_W)
                                   + 3 * d["SlotW"] + d["HoldCntW"] + 2
                                   + p["NumPe"] * (3 + d["SlotW"]))
    return flops


def srams(p):
    """SRAM macros (eie_ram instances): (block, name, width, depth, instances per PE or per CCU)."""
    return [
        ("eie_pe_ptr_read", "pointers (even + odd bank)", PTR_W, p["PtrDepth"] // 2, 2),
        ("eie_pe_spmat_read", "sparse matrix", 64, p["SpmatDepth"], 1),
        ("eie_pe_act_rw", "activations (2 banks)", ACT_W, p["ActDepth"], 2),
        ("eie_pe_act_rw", "accumulators (2 banks)", p["AccWidth"], p["ActDepth"], 2),
        ("eie_pe_act_rw", "biases (2 banks: even, odd layers)", 32, p["BiasDepth"] // 2, 2),
        ("eie_ccu", "layer descriptors", 64, 2 * p["MaxLayers"], 1),
        ("eie_ccu", "codebooks (one RAM per index)", ACT_W, p["MaxLayers"], 16),
    ]


# Table II rows of a PE, and the array.
PE_BLOCKS = [("Act queue", "eie_fifo"), ("PtrRead", "eie_pe_ptr_read"),
             ("SpmatRead", "eie_pe_spmat_read"), ("ArithmUnit", "eie_pe_arith"),
             ("ActRW", "eie_pe_act_rw"), ("PE control", "eie_pe")]


class SynthError(Exception):
    pass


def liberty_areas(path):
    text = open(path).read()
    areas = {m.group(1): float(m.group(2))
             for m in re.finditer(r"cell\s*\(\s*(\w+)\s*\)\s*\{[^{}]*?\barea\s*:\s*([\d.]+)", text)}
    if not areas:
        raise SynthError(f"{path}: no cell areas found")
    return areas


def load_stat_json(path):
    # Yosys 0.23's `stat -json` interleaves its hierarchy listing (lines with no JSON punctuation)
    # into the JSON; drop those lines.
    lines = [l for l in open(path).read().splitlines() if re.search(r'["{}\[\]]', l)]
    return json.loads("\n".join(lines))


def base_name(module):
    # "$paramod$<hash>\eie_fifo", "$paramod\eie_pe_ptr_read\PtrDepth=...", "\eie_top", "eie_top".
    parts = module.split("\\")
    return parts[1] if module.startswith("$paramod") else parts[-1]


def run_yosys(template, params, out_dir, rtl_files):
    os.makedirs(out_dir, exist_ok=True)
    chparams = " ".join(f"-chparam {k} {v}" for k, v in sorted(params.items())
                        if RTL_DEFAULTS.get(k) != v or k in SMALL)
    script = open(os.path.join(ROOT, "synth", template)).read()
    script = (script.replace("@RTL@", " ".join(rtl_files)).replace("@PARAMS@", chparams)
              .replace("@LIB@", LIBERTY).replace("@OUT@", out_dir))
    ys = os.path.join(out_dir, template)
    open(ys, "w").write(script)
    log = os.path.join(out_dir, template.replace(".ys", ".log"))
    t0 = time.time()
    r = subprocess.run(["yosys", "-q", "-l", log, "-s", ys], cwd=ROOT, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise SynthError(f"yosys failed on {ys} (log {log}):\n{r.stderr.strip()}")
    return time.time() - t0


def rtl_list(with_ram):
    files = [l.strip() for l in open(os.path.join(ROOT, "rtl", "eie.f"))
             if l.strip() and not l.startswith("#")]
    return [f for f in files if with_ram or not f.endswith("eie_ram.sv")]


def synth_area(name, params, out_root, f2_per_bit):
    """Synthesises one configuration; returns its report (dict). Raises SynthError on a failure."""
    p = dict(RTL_DEFAULTS, **params)
    out_dir = os.path.join(out_root, name)
    seconds = run_yosys("eie_area.ys", p, out_dir, rtl_list(with_ram=False))
    lib = liberty_areas(LIBERTY)
    cells = load_stat_json(os.path.join(out_dir, "cells.json"))["modules"]
    cmos = load_stat_json(os.path.join(out_dir, "cmos.json"))["modules"]

    modules = {base_name(m) for m in cells} | {"eie_ram"}  # eie_ram: the black box
    mods = {}
    for mod, stat in cells.items():
        base = base_name(mod)
        if base in mods:
            raise SynthError(f"{name}: module {base} synthesised with two parameter sets")
        by_type = stat["num_cells_by_type"]
        subs = {base_name(t): n for t, n in by_type.items() if base_name(t) in modules}
        std = {t: n for t, n in by_type.items() if t in lib}
        unknown = set(by_type) - set(std) - {t for t in by_type if base_name(t) in modules}
        if unknown:
            raise SynthError(f"{name}: {base}: cells without a liberty area: {sorted(unknown)}")
        transistors = cmos.get(mod, {}).get("estimated_num_transistors", "0")
        mods[base] = dict(
            area=sum(lib[t] * n for t, n in std.items()),
            cells=sum(std.values()),
            flops=sum(n for t, n in std.items() if t.startswith("DFF")),
            transistors=int(str(transistors).rstrip("+")),
            subs=subs)

    # Instances of each block in the whole design, from the hierarchy.
    count = {}

    def walk(mod, n):
        count[mod] = count.get(mod, 0) + n
        for sub, k in mods[mod]["subs"].items():
            if sub in mods:
                walk(sub, n * k)
            else:
                count[sub] = count.get(sub, 0) + n * k  # black box (eie_ram)

    walk("eie_top", 1)

    # Checks: block flops against the RTL, SRAM instances against the model, area total.
    errors = []
    for block, want in expected_flops(p).items():
        got = mods.get(block, {}).get("flops")
        if got != want:
            errors.append(f"{block}: {got} flops, the RTL describes {want}")
    model = srams(p)
    ram_instances = sum(k * (p["NumPe"] if blk.startswith("eie_pe") else 1)
                        for blk, _, _, _, k in model)
    if count.get("eie_ram", 0) != ram_instances:
        errors.append(f"eie_ram: {count.get('eie_ram', 0)} SRAM instances, the model has "
                      f"{ram_instances}")
    logic_total = sum(mods[m]["area"] * count[m] for m in mods)
    m = re.search(r"Chip area for top module '\\?eie_top': ([\d.]+)",
                  open(os.path.join(out_dir, "area.txt")).read())
    if not m or abs(float(m.group(1)) - logic_total) > 1.0:
        errors.append(f"area: blocks sum to {logic_total:.0f} um^2, Yosys reports "
                      f"{m.group(1) if m else 'nothing'}")

    um2_per_bit = f2_per_bit * OUR_F_UM ** 2
    sram_by_block = {}
    macros = []
    for blk, what, width, depth, k in model:
        bits = width * depth * k
        sram_by_block[blk] = sram_by_block.get(blk, 0) + bits
        macros.append(dict(block=blk, memory=what, width=width, depth=depth, instances=k,
                           bits=bits, area_um2=bits * um2_per_bit))

    def block_row(label, mod):
        bits = sram_by_block.get(mod, 0)
        return dict(block=label, module=mod, logic_um2=mods[mod]["area"],
                    sram_bits=bits, sram_um2=bits * um2_per_bit,
                    total_um2=mods[mod]["area"] + bits * um2_per_bit,
                    flops=mods[mod]["flops"], cells=mods[mod]["cells"],
                    transistors=mods[mod]["transistors"])

    pe_rows = [block_row(label, mod) for label, mod in PE_BLOCKS]
    pe_logic = sum(r["logic_um2"] for r in pe_rows)
    pe_sram = sum(r["sram_um2"] for r in pe_rows)
    n = p["NumPe"]
    array_rows = [
        dict(block=f"PEs ({n} x)", logic_um2=n * pe_logic, sram_um2=n * pe_sram),
        dict(block="LNZD tree", logic_um2=mods["eie_lnzd"]["area"], sram_um2=0.0),
        dict(block="Central control", logic_um2=mods["eie_ccu"]["area"],
             sram_um2=sram_by_block.get("eie_ccu", 0) * um2_per_bit),
        dict(block="Top glue", logic_um2=mods["eie_top"]["area"], sram_um2=0.0),
    ]
    if "eie_bcast_hold" in mods:
        array_rows.insert(3, dict(block=f"Broadcast hold ({p['HoldSlots']} slots)",
                                  logic_um2=mods["eie_bcast_hold"]["area"], sram_um2=0.0))
    for r in array_rows:
        r["total_um2"] = r["logic_um2"] + r["sram_um2"]
    logic = sum(r["logic_um2"] for r in array_rows)
    sram = sum(r["sram_um2"] for r in array_rows)
    lnzd_nodes = (4 ** max(1, (clog2(n) + 1) // 2) - 1) // 3 if n > 1 else 1
    return dict(
        name=name, params=p, yosys_seconds=round(seconds, 1), liberty=LIBERTY,
        sram_model=dict(f2_per_bit=f2_per_bit, feature_um=OUR_F_UM, um2_per_bit=um2_per_bit,
                        source="EIE Table II memory area per bit at 45 nm, scaled by F^2"),
        pe=dict(rows=pe_rows, logic_um2=pe_logic, sram_um2=pe_sram,
                total_um2=pe_logic + pe_sram),
        array=dict(rows=array_rows, logic_um2=logic, sram_um2=sram, total_um2=logic + sram,
                   memory_share=sram / (logic + sram)),
        lnzd=dict(area_um2=mods["eie_lnzd"]["area"], nodes=lnzd_nodes,
                  per_node_um2=mods["eie_lnzd"]["area"] / lnzd_nodes),
        srams=macros,
        flops={b: dict(expected=w, got=mods.get(b, {}).get("flops"))
               for b, w in expected_flops(p).items()},
        transistors=sum(mods[m]["transistors"] * count[m] for m in mods),
        errors=errors)


def synth_ice40(params, out_root):
    p = dict(RTL_DEFAULTS, **params)
    out_dir = os.path.join(out_root, "ice40")
    seconds = run_yosys("eie_ice40.ys", p, out_dir, rtl_list(with_ram=True))
    design = load_stat_json(os.path.join(out_dir, "ice40.json"))["design"]["num_cells_by_type"]
    return dict(params=p, yosys_seconds=round(seconds, 1),
                luts=design.get("SB_LUT4", 0),
                flops=sum(v for k, v in design.items() if k.startswith("SB_DFF")),
                block_rams=design.get("SB_RAM40_4K", 0),
                carries=design.get("SB_CARRY", 0), cells=design)


def fmt_area(x):
    return f"{x:,.0f}"


def config_text(r):
    p = r["params"]
    out = [f"EIE area estimate '{r['name']}': NumPe {p['NumPe']}, FifoDepth {p['FifoDepth']}, "
           f"SpmatDepth {p['SpmatDepth']}, PtrDepth {p['PtrDepth']}, ActDepth {p['ActDepth']}, "
           f"BiasDepth {p['BiasDepth']}, MaxLayers {p['MaxLayers']}",
           f"Logic: Yosys 0.23 on OSU 0.18 um cells ({r['yosys_seconds']} s). SRAM: "
           f"{r['sram_model']['um2_per_bit']:.2f} um^2/bit ({r['sram_model']['f2_per_bit']:.0f} "
           f"F^2, {r['sram_model']['source']}).", "",
           "One PE:",
           f"  {'block':<12} {'logic um2':>11} {'SRAM bits':>10} {'SRAM um2':>12} "
           f"{'total um2':>12} {'share':>6} {'flops':>6} {'cells':>6}"]
    for row in r["pe"]["rows"]:
        out.append(f"  {row['block']:<12} {fmt_area(row['logic_um2']):>11} "
                   f"{row['sram_bits']:>10,} {fmt_area(row['sram_um2']):>12} "
                   f"{fmt_area(row['total_um2']):>12} "
                   f"{100 * row['total_um2'] / r['pe']['total_um2']:>5.1f}% "
                   f"{row['flops']:>6} {row['cells']:>6}")
    out.append(f"  {'PE total':<12} {fmt_area(r['pe']['logic_um2']):>11} {'':>10} "
               f"{fmt_area(r['pe']['sram_um2']):>12} {fmt_area(r['pe']['total_um2']):>12}")
    out += ["", "Array:", f"  {'block':<16} {'logic um2':>13} {'SRAM um2':>14} {'total um2':>14}"]
    for row in r["array"]["rows"]:
        out.append(f"  {row['block']:<16} {fmt_area(row['logic_um2']):>13} "
                   f"{fmt_area(row['sram_um2']):>14} {fmt_area(row['total_um2']):>14}")
    a = r["array"]
    out.append(f"  {'total':<16} {fmt_area(a['logic_um2']):>13} {fmt_area(a['sram_um2']):>14} "
               f"{fmt_area(a['total_um2']):>14}  ({a['total_um2'] / 1e6:.2f} mm^2, memory "
               f"{100 * a['memory_share']:.1f}%)")
    out.append(f"  LNZD: {r['lnzd']['nodes']} nodes, {r['lnzd']['per_node_um2']:,.0f} um^2 per "
               f"node; transistors (stat -tech cmos, flops with enable/reset not counted): "
               f"{r['transistors']:,}+")
    out += ["", "Flops per block (Yosys / RTL): " + ", ".join(
        f"{b} {v['got']}/{v['expected']}" for b, v in r["flops"].items())]
    out += [f"CHECK FAILED: {e}" for e in r["errors"]]
    return "\n".join(out)


def pe_table_md(r):
    """Markdown: one PE's blocks (docs/synthesis.md, synth:pe), then the array's totals."""
    pe = r["pe"]
    md = ["| block | logic um^2 | SRAM bits | SRAM um^2 | total um^2 | share | flops | cells |",
          "|---|---|---|---|---|---|---|---|"]
    for row in pe["rows"]:
        md.append(f"| {row['block']} | {fmt_area(row['logic_um2'])} | {row['sram_bits']:,} | "
                  f"{fmt_area(row['sram_um2'])} | {fmt_area(row['total_um2'])} | "
                  f"{100 * row['total_um2'] / pe['total_um2']:.1f}% | {row['flops']:,} | "
                  f"{row['cells']:,} |")
    md.append(f"| **PE** | **{fmt_area(pe['logic_um2'])}** | "
              f"{sum(row['sram_bits'] for row in pe['rows']):,} | {fmt_area(pe['sram_um2'])} | "
              f"{fmt_area(pe['total_um2'])} | | {sum(row['flops'] for row in pe['rows']):,} | |")
    a, rows = r["array"], {row["block"]: row for row in r["array"]["rows"]}
    pes = next(row for row in a["rows"] if row["block"].startswith("PEs"))
    ccu, top = rows["Central control"], rows["Top glue"]
    hold = next((row for row in a["rows"] if row["block"].startswith("Broadcast hold")), None)
    hold_text = (f"broadcast hold slots ({r['params']['HoldSlots']}) "
                 f"{fmt_area(hold['logic_um2'])} um^2, " if hold else "")
    md += ["", f"The array: {r['params']['NumPe']} PEs {pes['total_um2'] / 1e6:.1f} mm^2 "
           f"({pes['logic_um2'] / 1e6:.2f} mm^2 of it logic), LNZD tree "
           f"{fmt_area(r['lnzd']['area_um2'])} um^2 ({r['lnzd']['nodes']} nodes, "
           f"{fmt_area(r['lnzd']['per_node_um2'])} um^2 per node), central control "
           f"{fmt_area(ccu['logic_um2'])} um^2 logic + {fmt_area(ccu['sram_um2'])} um^2 SRAM, "
           f"{hold_text}top "
           f"glue {fmt_area(top['logic_um2'])} um^2: **{a['total_um2'] / 1e6:.1f} mm^2 in all, "
           f"{100 * a['memory_share']:.1f}% of it memory**, {a['logic_um2'] / 1e6:.2f} mm^2 of "
           "logic."]
    return "\n".join(md)


def summary_tables(reports, ice40):
    text = ["Area by configuration (logic from Yosys on OSU 0.18 um, SRAM from the model):", "",
            f"{'config':<12} {'NumPe':>5} {'FIFO':>4} {'PE logic':>10} {'queue':>8} "
            f"{'LNZD':>8} {'CCU':>9} {'hold':>9} {'logic mm2':>9} {'SRAM mm2':>9} "
            f"{'total mm2':>9} {'memory':>6}"]
    md = ["| config | NumPe | FifoDepth | PE logic um^2 | act queue um^2 | LNZD um^2 | CCU logic "
          "um^2 | hold slots um^2 | logic mm^2 | SRAM mm^2 | total mm^2 | memory share |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in reports:
        p, a = r["params"], r["array"]
        blocks = {row["block"].split(" (")[0]: row for row in a["rows"]}
        queue = r["pe"]["rows"][0]["logic_um2"]
        ccu = blocks["Central control"]["logic_um2"]
        hold = blocks["Broadcast hold"]["logic_um2"] if "Broadcast hold" in blocks else 0.0
        cols = [r["name"], p["NumPe"], p["FifoDepth"], fmt_area(r["pe"]["logic_um2"]),
                fmt_area(queue), fmt_area(r["lnzd"]["area_um2"]), fmt_area(ccu), fmt_area(hold),
                f"{a['logic_um2'] / 1e6:.2f}", f"{a['sram_um2'] / 1e6:.2f}",
                f"{a['total_um2'] / 1e6:.2f}", f"{100 * a['memory_share']:.1f}%"]
        text.append(f"{cols[0]:<12} {cols[1]:>5} {cols[2]:>4} {cols[3]:>10} {cols[4]:>8} "
                    f"{cols[5]:>8} {cols[6]:>9} {cols[7]:>9} {cols[8]:>9} {cols[9]:>9} "
                    f"{cols[10]:>9} {cols[11]:>6}")
        md.append("| " + " | ".join(str(c) for c in cols) + " |")
    # Table II comparison on the 64-PE, FIFO-8 configuration (memories inside their modules).
    ref = next((r for r in reports if r["params"]["NumPe"] == 64 and
                r["params"]["FifoDepth"] == 8), reports[-1])
    text += ["", f"One PE of '{ref['name']}' beside EIE Table II (memories inside their modules; "
             "shares, not absolute areas: 0.18 um vs 45 nm):", "",
             f"{'module':<12} {'ours um2':>12} {'ours':>6} {'paper um2':>10} {'paper':>6}"]
    md += ["", "| module | ours um^2 (0.18 um) | ours share | paper um^2 (45 nm) | paper share |",
           "|---|---|---|---|---|"]
    total = ref["pe"]["total_um2"]
    paper = dict(PAPER_TABLE2)
    for row in ref["pe"]["rows"]:
        pa = paper.get(row["block"])
        ps = f"{100 * pa / PAPER_PE_TOTAL:.2f}%" if pa else "-"
        text.append(f"{row['block']:<12} {fmt_area(row['total_um2']):>12} "
                    f"{100 * row['total_um2'] / total:>5.2f}% "
                    f"{fmt_area(pa) if pa else '-':>10} {ps:>6}")
        md.append(f"| {row['block']} | {fmt_area(row['total_um2'])} | "
                  f"{100 * row['total_um2'] / total:.2f}% | {fmt_area(pa) if pa else '-'} | {ps} |")
    mem_share = ref["pe"]["sram_um2"] / total
    text.append(f"{'memory':<12} {fmt_area(ref['pe']['sram_um2']):>12} {100 * mem_share:>5.2f}% "
                f"{'594,786':>10} {'93.22%':>6}")
    md.append(f"| memory (all SRAM) | {fmt_area(ref['pe']['sram_um2'])} | {100 * mem_share:.2f}% "
              "| 594,786 | 93.22% |")
    text.append(f"LNZD node: {ref['lnzd']['per_node_um2']:,.0f} um^2 at 0.18 um "
                f"(paper: {PAPER_LNZD_NODE_UM2} um^2 at 45 nm)")
    if ice40:
        line = (f"iCE40 ({ice40['params']['NumPe']} PEs, FIFO {ice40['params']['FifoDepth']}, "
                f"small memories): {ice40['luts']:,} LUT4, {ice40['flops']:,} flops, "
                f"{ice40['block_rams']} SB_RAM40_4K, {ice40['carries']:,} carry cells")
        text += ["", line]
        md += ["", line]
    return "\n".join(text), "\n".join(md)


def parse_params(items):
    params = {}
    for kv in items:
        m = re.fullmatch(r"(\w+)=(\d+)", kv)
        if not m or m.group(1) not in RTL_DEFAULTS:
            raise ValueError(f"expected NAME=VALUE with NAME one of {sorted(RTL_DEFAULTS)}, "
                             f"got '{kv}'")
        params[m.group(1)] = int(m.group(2))
    return params


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "synth", "reports"))
    ap.add_argument("--sweep", action="store_true", help="NumPe and FifoDepth sweep")
    ap.add_argument("--ice40", action="store_true", help="also map the small config to iCE40")
    ap.add_argument("--params", nargs="*", default=[], metavar="NAME=VALUE",
                    help="one configuration (default: the small one)")
    ap.add_argument("--name", default=None, help="report name of a --params configuration")
    ap.add_argument("--sram-f2-per-bit", type=float, default=PAPER_F2_PER_BIT)
    args = ap.parse_args()
    for tool, path in (("yosys", shutil.which("yosys")), ("liberty", LIBERTY)):
        if not path or not os.path.exists(path):
            print(f"eie_synth: {tool} missing ({path or 'yosys'}); run scripts/setup.sh",
                  file=sys.stderr)
            return 2
    try:
        params = parse_params(args.params)
    except ValueError as e:
        print(f"eie_synth: {e}", file=sys.stderr)
        return 2

    if args.sweep:
        configs = SWEEP
    else:
        configs = [(args.name or ("small" if not params else "custom"), dict(SMALL, **params))]
    os.makedirs(args.out, exist_ok=True)
    reports, failed = [], False
    for name, cfg in configs:
        try:
            r = synth_area(name, cfg, args.out, args.sram_f2_per_bit)
        except SynthError as e:
            print(f"eie_synth: {name}: {e}", file=sys.stderr)
            return 1
        text = config_text(r)
        print(text + "\n")
        open(os.path.join(args.out, name + ".txt"), "w").write(text + "\n")
        json.dump(r, open(os.path.join(args.out, name + ".json"), "w"), indent=1)
        failed |= bool(r["errors"])
        reports.append(r)
    ice40 = None
    if args.ice40:
        try:
            ice40 = synth_ice40(SMALL, args.out)
        except SynthError as e:
            print(f"eie_synth: ice40: {e}", file=sys.stderr)
            return 1
    if args.sweep or ice40:
        text, md = summary_tables(reports, ice40)
        print(text)
        open(os.path.join(args.out, "summary.txt"), "w").write(text + "\n")
        open(os.path.join(args.out, "summary.md"), "w").write(md + "\n")
        # The tables docs/synthesis.md shows, one file each (make synth UPDATE_DOCS=1).
        sweep, table2 = md.split("\n\n")[:2]
        ref = next((r for r in reports if r["params"]["NumPe"] == 64 and
                    r["params"]["FifoDepth"] == 8), reports[-1])
        for key, table in (("sweep", sweep), ("table2", table2), ("pe", pe_table_md(ref))):
            open(os.path.join(args.out, f"doc_{key}.md"), "w").write(table + "\n")
        json.dump(dict(configs=reports, ice40=ice40), open(os.path.join(args.out,
                                                                         "summary.json"), "w"),
                  indent=1)
    print(f"eie_synth: reports in {args.out}")
    if failed:
        print("eie_synth: FAILED: a block's flops, SRAM count or area total is off (see above)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
